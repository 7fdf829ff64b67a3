/**
 * Limits while reading: the most bytes one record may have and the deepest its JSON may nest. They
 * are checked inside the readers, as the bytes arrive, so a gzip bomb, an endless line or a record
 * nested 100,000 deep ends as `INPUT_LIMIT` at its `file:line` before it costs gigabytes of memory
 * or a stack overflow when rendered.
 *
 * Defaults, and why:
 * - `max_record_bytes` 64 MiB. A whole book is a few MB, a 1M-token context about 4 MB of text;
 *   a record past 64 MiB is almost always a file without newlines (a gzip bomb, a JSON dump read as
 *   JSONL, /dev/zero copied to a file). Reading one record costs about 3× its bytes at its peak, so
 *   the default keeps a bad file under ~200 MB, and a user with real huge records raises it. The
 *   most it can be raised to is 511 MiB: V8 cannot hold a longer string, so a longer record could
 *   not be decoded anyway.
 * - `max_depth` 512. Chat data nests a handful of levels; JSON readers elsewhere stop at 512–1024
 *   (simdjson 1024, Python's recursion limit 1000). Rendering is recursive (`JSON.stringify`), and
 *   512 stays far from the stack's end on the main thread and in workers. Records at most 64 deep
 *   are always accepted (the byte-level key path vouches for them without parsing), so 64 is the
 *   least it can be set to; 4096 the most.
 */
import { MixsmithError, type Where } from '../errors.js';

export interface ReadLimits {
  /** Bytes of one record as read (a JSONL line, a JSON element, a CSV row, a Parquet cell), decompressed. */
  readonly maxRecordBytes: number;
  /** Nesting of one record's JSON: 1 for `{}` or `[]`, 2 for `{"a": []}`. */
  readonly maxDepth: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
export const MAX_MAX_RECORD_BYTES = 511 * 1024 * 1024;
export const MIN_MAX_RECORD_BYTES = 1024;
export const DEFAULT_MAX_DEPTH = 512;
export const MIN_MAX_DEPTH = 64;
export const MAX_MAX_DEPTH = 4096;

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
  maxDepth: DEFAULT_MAX_DEPTH,
};

/** The limits a source's recipe keys set, defaults for the rest. */
export function readLimitsOf(spec: { readonly max_record_bytes?: number; readonly max_depth?: number }): ReadLimits {
  return {
    maxRecordBytes: spec.max_record_bytes ?? DEFAULT_MAX_RECORD_BYTES,
    maxDepth: spec.max_depth ?? DEFAULT_MAX_DEPTH,
  };
}

const MIB = 1024 * 1024;
const mib = (bytes: number) =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(bytes % MIB === 0 ? 0 : 1)} MiB` : `${bytes} bytes`;

/** A record passed `max_record_bytes`: `what` names it ("line 3", "element 2", "row 9"). */
export function recordTooLarge(where: Where, what: string, limits: ReadLimits): MixsmithError {
  return new MixsmithError(
    'INPUT_LIMIT',
    `${what} is longer than max_record_bytes (${limits.maxRecordBytes} bytes = ${mib(limits.maxRecordBytes)}) and was not read`,
    {
      where,
      hint: `if the record is real, raise the source's max_record_bytes (at most ${MAX_MAX_RECORD_BYTES}, e.g. --set sources.NAME.max_record_bytes=${Math.min(MAX_MAX_RECORD_BYTES, 4 * limits.maxRecordBytes)}); a file without line breaks, or a compression bomb, is not a dataset`,
    },
  );
}

/** The message and hint of a record nested deeper than `max_depth` (a record problem or an error). */
export function tooDeepMessage(maxDepth: number): { message: string; hint: string } {
  return {
    message: `the record's JSON nests deeper than max_depth (${maxDepth} levels)`,
    hint: `raise the source's max_depth (at most ${MAX_MAX_DEPTH}) if the nesting is real`,
  };
}

/**
 * Whether `value` (a parsed JSON value) nests deeper than `maxDepth`. The walk stops at
 * `maxDepth`, so its own recursion stays within the limit whatever the value holds.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (maxDepth <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value)
      if (item !== null && typeof item === 'object' && nestsDeeperThan(item, maxDepth - 1)) return true;
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object' && nestsDeeperThan(item, maxDepth - 1)) return true;
  }
  return false;
}
