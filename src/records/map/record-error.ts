/**
 * A problem with one input record, raised while mapping it to a `Sample`. The scan turns it into
 * a `file:line` diagnostic (on_error: fail) or a counted skip (on_error: skip).
 */
import type { ErrorCode } from '../../errors.js';

export type RecordErrorCode = Extract<
  ErrorCode,
  | 'INPUT_JSON'
  | 'INPUT_FIELD_MISSING'
  | 'INPUT_FIELD_TYPE'
  | 'INPUT_EMPTY'
  | 'INPUT_ENCODING'
  | 'INPUT_CSV'
  | 'INPUT_LIMIT'
>;

export class RecordError extends Error {
  constructor(
    readonly code: RecordErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}
