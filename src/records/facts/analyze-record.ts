/**
 * The per-record step of the scan, as one synchronous function: parse, map to a body, normalise,
 * key and rank. It returns a value or throws `RecordError`; the scan loop owns counting and policy.
 */
import type { DropReason, SampleFilter } from '../map/sample-filter.js';
import { type SampleBody, sampleText } from '../../sample.js';
import type { RawRecord } from '../read/raw-record.js';
import { RecordError } from '../map/record-error.js';
import { contentKey, rankDigest } from '../../keys/hashing.js';
import { normalizeForKey } from '../../keys/normalize.js';
import { analyzeBodyInPieces, bodyUnits, PIECEWISE_BODY_UNITS } from './body-keys.js';
import { DEFAULT_MAX_DEPTH, nestsDeeperThan, tooDeepMessage } from '../../io/read-limits.js';

export interface AnalyzedRecord {
  /** The content key: 32 hex. */
  readonly key: string;
  /** md5(seed:key), 32 hex: the priority (0–15) and split rank (16–31) of docs/determinism.md. */
  readonly ranks: string;
  readonly chars: number;
  /** Set when the record is valid but dropped by a filter: `empty`, or the recipe filter's name. */
  readonly filtered?: 'empty' | DropReason;
}

/**
 * The record's value: as the reader parsed it (CSV, Parquet), else its JSON text parsed. A value
 * nested deeper than `maxDepth` is an `INPUT_LIMIT` record error: rendering it (recursive
 * `JSON.stringify`) would overflow the stack.
 */
export function parseRecord(
  raw: Pick<RawRecord, 'text' | 'value' | 'problem'>,
  options?: { readonly maxDepth?: number | undefined },
): unknown {
  // An options object, not a number: `records.map(parseRecord)` passes an index second.
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (raw.problem) throw new RecordError(raw.problem.code, raw.problem.message, raw.problem.hint);
  const value = raw.value !== undefined ? raw.value : parseJson(raw.text);
  // Infinity: a re-read of a record the scan already checked.
  if (maxDepth !== Number.POSITIVE_INFINITY && nestsDeeperThan(value, maxDepth)) {
    const { message, hint } = tooDeepMessage(maxDepth);
    throw new RecordError('INPUT_LIMIT', message, hint);
  }
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new RecordError(
      'INPUT_JSON',
      `not valid JSON: ${detail}`,
      'each line of a JSONL file must be one complete JSON object',
    );
  }
}

export interface KeyOptions {
  readonly seed: number;
  /** With exact dedup off, the origin joins the key so copies stay distinct. */
  readonly distinctSuffix?: string;
  /** The source's filters (src/filters); absent when it sets none. */
  readonly filter?: SampleFilter | undefined;
}

export function analyzeBody(body: SampleBody, options: KeyOptions): AnalyzedRecord {
  // A huge body's text is never joined or normalised whole (body-keys.ts): the same answer, fewer copies.
  const inPieces = bodyUnits(body) >= PIECEWISE_BODY_UNITS ? analyzeBodyInPieces(body, options) : undefined;
  if (inPieces) {
    const dropped = options.filter?.(body);
    return dropped ? { ...inPieces, filtered: dropped } : inPieces;
  }
  const text = sampleText(body);
  const normalized = normalizeForKey(text);
  const base = contentKey(normalized);
  const key = options.distinctSuffix === undefined ? base : contentKey(`${base}:${options.distinctSuffix}`);
  const ranks = rankDigest(options.seed, key);
  if (normalized === '') return { key, ranks, chars: 0, filtered: 'empty' };
  const dropped = options.filter?.(body);
  return dropped ? { key, ranks, chars: text.length, filtered: dropped } : { key, ranks, chars: text.length };
}
