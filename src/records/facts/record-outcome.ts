/**
 * The pure half of the scan: a batch of records in, one compact outcome per record out. It runs
 * inline or in a worker thread (src/workers/scan-worker.ts), and both give the same outcome, so
 * the ordered half (scan-record.ts) cannot tell where it ran.
 *
 * Outcomes are bytes and typed arrays, not one object or string per record: a worker's reply is
 * transferred, not cloned, and the main thread builds strings only for the few records that
 * become candidates.
 */
import type { DropReason } from '../map/sample-filter.js';
import { compileFilters } from '../map/sample-filter.js';
import type { RawRecord, RecordProblem } from '../read/raw-record.js';
import { bodyConflict } from '../../recipe/resolve-output.js';
import type { FieldMapping, OutputSchema, PresetName, SourceFilters } from '../../recipe/types.js';
import { RecordError, type RecordErrorCode } from '../map/record-error.js';
import { mapperFor, type RecordMapper } from '../map/schema-for.js';
import { analyzeBody, parseRecord } from './analyze-record.js';
import { lineRecordAt } from '../read/line-records.js';
import { recordDecoder } from '../read/text-encoding.js';
import { type LineKeyer, lineKeyerFor } from './line-keys.js';

/** What a file's records need besides themselves; plain data, so it can cross to a worker. */
export interface RecordContext {
  /** The file's index in the scan: workers cache the compiled mapper and filters under it. */
  readonly file: number;
  readonly displayPath: string;
  readonly source: string;
  readonly seed: number;
  readonly dedup: boolean;
  /** The file's mapper as the main thread detected it from the first record (never `auto`). */
  readonly schema: PresetName | FieldMapping;
  readonly filters?: SourceFilters | undefined;
  /** Provenance fields a passthrough record must not carry itself. */
  readonly reservedFields?: readonly string[] | undefined;
  /** Refuse bodies this output schema cannot express, at their first record. */
  readonly outputSchema?: OutputSchema | undefined;
  /** The source's max_depth (io/read-limits.ts); the default when absent. */
  readonly maxDepth?: number | undefined;
}

/** A record as the pure step reads it: no byte positions, which stay with the main thread. */
export type RecordInput = Pick<RawRecord, 'line' | 'text' | 'value' | 'problem'>;

/** Why a record has no key: dropped by a filter, invalid, or its body conflicts with the output schema (fatal). */
export type RecordNote =
  | { readonly filtered: 'empty' | DropReason }
  | { readonly error: { readonly code: RecordErrorCode; readonly message: string; readonly hint?: string | undefined } }
  | { readonly conflict: string };

/** Bytes of `BatchOutcome.digests` per record. */
export const DIGEST_BYTES = 32;

export interface BatchOutcome {
  /**
   * Per record, 32 bytes: the content key's md5 (16), then md5(seed:key) (16: priority, then
   * split rank; docs/determinism.md). Zero for a record with a note.
   */
  readonly digests: Uint8Array;
  /** Per record: 1 when it has a key, 0 when a note says why not. */
  readonly keyed: Uint8Array;
  /** Per record: characters of its text (0 when it has a note). */
  readonly chars: Float64Array;
  /** [record index, note] for every record without a key, in index order. */
  readonly notes: [number, RecordNote][];
}

/** A context with its mapper and filters built, once per file. */
export interface CompiledContext {
  readonly context: RecordContext;
  readonly mapper: RecordMapper;
  readonly filter: ReturnType<typeof compileFilters>;
  /** The JSONL fast path for lines in `encoding`, built on first use; undefined when the file's records cannot take it. */
  readonly lineKeyer: (encoding: string) => LineKeyer | undefined;
}

export function compileContext(context: RecordContext, mapper?: RecordMapper): CompiledContext {
  const keyers = new Map<string, LineKeyer | undefined>();
  const compiled: CompiledContext = {
    context,
    mapper: mapper ?? mapperFor(context.schema, undefined),
    filter: compileFilters(context.filters),
    lineKeyer: (encoding) => {
      if (!keyers.has(encoding)) keyers.set(encoding, lineKeyerFor(compiled, encoding));
      return keyers.get(encoding);
    },
  };
  return compiled;
}

/** What a worker needs to rebuild the file's mapper: its preset name, or the recipe's mapping. */
export function schemaOf(mapper: RecordMapper, spec: PresetName | 'auto' | FieldMapping): PresetName | FieldMapping {
  if (mapper.name !== 'mapping') return mapper.name;
  if (typeof spec !== 'object') throw new Error(`a field-mapping mapper for schema "${spec}"`);
  return spec;
}

function checkReserved(value: unknown, reserved: readonly string[] | undefined): void {
  if (!reserved || value === null || typeof value !== 'object') return;
  for (const field of reserved) {
    if (field in value) {
      throw new RecordError(
        'INPUT_FIELD_TYPE',
        `the record has its own "${field}" field, which passthrough output would overwrite with provenance`,
        'set output.provenance: false to keep the record exactly as it is',
      );
    }
  }
}

type Analyzed = { readonly key: string; readonly ranks: string; readonly chars: number };

function analyzeOne(record: RecordInput, compiled: CompiledContext): Analyzed | RecordNote {
  const { context, mapper, filter } = compiled;
  try {
    const value = parseRecord(record, { maxDepth: context.maxDepth });
    checkReserved(value, context.reservedFields);
    const body = mapper.toBody(value);
    const conflict = context.outputSchema ? bodyConflict(body.kind, context.outputSchema) : undefined;
    if (conflict) return { conflict };
    const analyzed = analyzeBody(body, {
      seed: context.seed,
      ...(context.dedup ? {} : { distinctSuffix: `${context.displayPath}:${record.line}` }),
      filter,
    });
    return analyzed.filtered ? { filtered: analyzed.filtered } : analyzed;
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    return { error: { code: error.code, message: error.message, hint: error.hint } };
  }
}

/** Outcomes for `count` records that all have notes, until filled in. Its memory is its own (transferable). */
export function emptyOutcome(count: number): BatchOutcome {
  return {
    digests: Buffer.alloc(count * DIGEST_BYTES),
    keyed: new Uint8Array(count),
    chars: new Float64Array(count),
    notes: [],
  };
}

/** Record `i`'s outcome is `from`'s record `j`'s (for outcomes computed in parts). */
export function copyOutcome(to: BatchOutcome, i: number, from: BatchOutcome, j: number): void {
  to.digests.set(from.digests.subarray(j * DIGEST_BYTES, (j + 1) * DIGEST_BYTES), i * DIGEST_BYTES);
  to.keyed[i] = from.keyed[j]!;
  to.chars[i] = from.chars[j]!;
  for (const [index, note] of from.notes) if (index === j) to.notes.push([i, note]);
}

/** Record `i`'s outcome by the general path. */
function analyzeInto(outcome: BatchOutcome, i: number, record: RecordInput, compiled: CompiledContext): void {
  const result = analyzeOne(record, compiled);
  if ('key' in result) {
    const digests = outcome.digests as Buffer;
    digests.write(result.key, i * DIGEST_BYTES, 16, 'hex');
    digests.write(result.ranks, i * DIGEST_BYTES + 16, 16, 'hex');
    outcome.keyed[i] = 1;
    outcome.chars[i] = result.chars;
  } else outcome.notes.push([i, result]);
}

/** Analyse `count` records; `recordAt(i)` gives the i-th, so callers need not build an array of inputs. */
export function analyzeBatch(
  count: number,
  recordAt: (i: number) => RecordInput,
  compiled: CompiledContext,
): BatchOutcome {
  const outcome = emptyOutcome(count);
  for (let i = 0; i < count; i++) analyzeInto(outcome, i, recordAt(i), compiled);
  return outcome;
}

/** A lines batch: the fast path (line-keys.ts) for every record it answers, the general path for the rest. */
function analyzeLines(input: LinesInput, keyer: LineKeyer, compiled: CompiledContext): BatchOutcome {
  const count = input.starts.length;
  const outcome = emptyOutcome(count);
  const recordAt = linesRecordAt(input);
  // As a Buffer, the block's `indexOf` is native (memchr), which the field scanner leans on.
  const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  keyer.begin();
  for (let i = 0; i < count; i++) {
    const chars = keyer.keyLine(
      bytes,
      input.starts[i]!,
      input.ends[i]!,
      input.lines[i]!,
      outcome.digests,
      i * DIGEST_BYTES,
    );
    if (chars >= 0) {
      outcome.keyed[i] = 1;
      outcome.chars[i] = chars;
    } else analyzeInto(outcome, i, recordAt(i), compiled);
  }
  keyer.finish(outcome.digests);
  return outcome;
}

/** Records as they cross to a worker: texts (JSON formats) or parsed values (row formats), lines, reader problems. */
export interface RecordsInput {
  readonly kind: 'records';
  readonly texts: string[];
  readonly values: unknown[] | null;
  readonly lines: Float64Array;
  readonly problems: [number, RecordProblem][];
}

/** Undecoded JSONL lines as they cross to a worker: the block's bytes are transferred, not copied. */
export interface LinesInput {
  readonly kind: 'lines';
  readonly bytes: Uint8Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly lines: Float64Array;
  readonly encoding: string;
}

export type BatchInput = RecordsInput | LinesInput;

export function batchInput(records: readonly RawRecord[], withValues: boolean): RecordsInput {
  const texts = new Array<string>(records.length);
  const values = withValues ? new Array<unknown>(records.length) : null;
  const lines = new Float64Array(records.length);
  const problems: [number, RecordProblem][] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    // Row formats carry their parsed value; the text (a CSV line) would only be cloned for nothing.
    texts[i] = withValues ? '' : record.text;
    if (values) values[i] = record.value;
    lines[i] = record.line;
    if (record.problem) problems.push([i, record.problem]);
  }
  return { kind: 'records', texts, values, lines, problems };
}

/**
 * The memory a message with `input` should transfer rather than copy: a lines batch's block (the
 * worker hands it back); its positions are copied, since the scan reads them while it waits.
 */
export function transferOf(input: BatchInput): ArrayBuffer[] {
  if (input.kind === 'records') return [input.lines.buffer as ArrayBuffer];
  return [input.bytes.buffer as ArrayBuffer];
}

function linesRecordAt(input: LinesInput): (i: number) => RecordInput {
  const decode = recordDecoder(input.encoding);
  // Offsets stay with the main thread: base 0 is as good as any here.
  const lines = { ...input, base: 0 };
  return (i) => lineRecordAt(lines, i, decode, input.encoding);
}

function recordsRecordAt(input: RecordsInput): (i: number) => RecordInput {
  const problems = new Map(input.problems);
  return (i) => {
    const record: { line: number; text: string; value?: unknown; problem?: RecordProblem } = {
      line: input.lines[i]!,
      text: input.texts[i]!,
    };
    const value = input.values?.[i];
    if (value !== undefined) record.value = value;
    const problem = problems.get(i);
    if (problem) record.problem = problem;
    return record;
  };
}

/** The worker's side of `batchInput` and of a lines batch. */
export function analyzeInput(input: BatchInput, compiled: CompiledContext): BatchOutcome {
  if (input.kind === 'lines') {
    const keyer = compiled.lineKeyer(input.encoding);
    return keyer
      ? analyzeLines(input, keyer, compiled)
      : analyzeBatch(input.starts.length, linesRecordAt(input), compiled);
  }
  return analyzeBatch(input.texts.length, recordsRecordAt(input), compiled);
}
