/**
 * One step shared by every worker that takes re-read records as bytes (the write phase's render
 * workers, the post-scan filters' fact workers): a record's bytes in, the record parsed and mapped
 * exactly as the scan did, after checking it is still the one the scan saw. The same step as
 * `readFileCandidates` on the main thread, so where it runs never changes a result.
 */
import { MixsmithError, type MixsmithErrorOptions } from '../../errors.js';
import type { FieldMapping, PresetName } from '../../recipe/types.js';
import type { Sample } from '../../sample.js';
import { parseRecord } from '../facts/analyze-record.js';
import { RecordError } from '../map/record-error.js';
import { mapperFor, type RecordMapper } from '../map/schema-for.js';
import { type RecordCheck, unchangedSinceScan } from './read-candidates.js';
import { encodingProblem, recordDecoder } from './text-encoding.js';

/** What one file's re-read records need besides their bytes; plain data, so it can cross to a worker. */
export interface RereadContext {
  /** The file's index in the scan: workers cache the compiled context under it. */
  readonly file: number;
  readonly displayPath: string;
  readonly source: string;
  readonly encoding: string;
  /** The file's mapper, as the scan used it (never `auto`). */
  readonly schema: PresetName | FieldMapping;
  /**
   * How each record is checked against the scan: its byte length and crc32 (`expect` holds the
   * crc32), or, when the caller reads and hashes the whole file, its character count (`expect`
   * holds it).
   */
  readonly check: RecordCheck;
  /** Group names that `RereadInput.groups` indexes. */
  readonly groups: readonly string[];
}

/** A batch of records: their bytes one after another, and per record where it ends and what to expect. */
export interface RereadInput {
  /** Emptied by the render step for one huge record once decoded (its bytes are not kept while it is rendered). */
  bytes: Uint8Array;
  readonly ends: Uint32Array;
  readonly lines: Float64Array;
  readonly groups: Uint16Array;
  /** Per record: the byte length the scan saw (checked in 'crc32' mode). */
  readonly lengths: Float64Array;
  readonly expect: Float64Array;
}

/** A batch that stopped at a record no longer what the scan saw, or at an error that is not the record's. */
export type RereadFailure =
  | {
      readonly changedAt: number;
      readonly cause?: {
        readonly code: RecordError['code'];
        readonly message: string;
        readonly hint?: string | undefined;
      };
    }
  | {
      readonly error: {
        readonly code: MixsmithError['code'];
        readonly message: string;
        readonly options: MixsmithErrorOptions;
      };
    };

export interface CompiledReread<C extends RereadContext = RereadContext> {
  readonly context: C;
  readonly mapper: RecordMapper;
  readonly decode: (bytes: Uint8Array) => string | undefined;
}

export function compileReread<C extends RereadContext>(context: C): CompiledReread<C> {
  return { context, mapper: mapperFor(context.schema, undefined), decode: recordDecoder(context.encoding) };
}

/** A re-read record: its parsed value, mapped body and JSON text. */
export interface Reread {
  readonly value: unknown;
  readonly body: Sample['body'];
  readonly text: string;
}

/**
 * Record `i` of `input` (its bytes `input.bytes[start, input.ends[i])`), or undefined when it is no
 * longer what the scan saw. Throws what parsing or mapping throws (`rereadFailure` sorts it).
 */
export function rereadAt(input: RereadInput, i: number, start: number, compiled: CompiledReread): Reread | undefined {
  const { context, mapper, decode } = compiled;
  const bytes = input.bytes.subarray(start, input.ends[i]!);
  const text = decode(bytes);
  const raw = text === undefined ? { text: '', problem: encodingProblem(context.encoding, bytes) } : { text };
  const value = parseRecord(raw, { maxDepth: Number.POSITIVE_INFINITY }); // its depth was checked by the scan
  const body = mapper.toBody(value);
  if (!unchangedSinceScan(context.check, body, bytes, input.lengths[i]!, input.expect[i]!)) return undefined;
  return { value, body, text: text ?? '' };
}

/**
 * `error`, thrown while re-reading record `at`, as a batch reports it: the scan parsed and mapped
 * this record, so a record error now means its bytes changed. Rethrown when it is not the record's
 * fault (a bug).
 */
export function rereadFailure(error: unknown, at: number): RereadFailure {
  if (error instanceof RecordError)
    return { changedAt: at, cause: { code: error.code, message: error.message, hint: error.hint } };
  if (error instanceof MixsmithError)
    return {
      error: {
        code: error.code,
        message: error.message,
        options: { where: error.where, hint: error.hint, excerpt: error.excerpt },
      },
    };
  throw error;
}

/** The transferable memory of a batch. */
export function transferOfReread(input: RereadInput): ArrayBuffer[] {
  return [
    input.bytes.buffer,
    input.ends.buffer,
    input.lines.buffer,
    input.groups.buffer,
    input.lengths.buffer,
    input.expect.buffer,
  ] as ArrayBuffer[];
}
