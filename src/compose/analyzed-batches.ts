/**
 * A file's record batches in, the same records with their outcomes out, in file order: inline,
 * or through a worker pool with a bounded number of batches in flight. Whatever runs where, the
 * consumer sees what one thread would have seen, which is what keeps the output byte-identical
 * for any number of workers (docs/determinism.md).
 *
 * The mapper is decided here, on this thread, from the file's first record that parses and fits
 * (as `mapperFor` always did); only the records after it go to workers, with the decision.
 */
import type { RawRecord } from '../io/raw-record.js';
import type { SchemaSpec } from '../recipe/types.js';
import { RecordError } from '../schema/record-error.js';
import { mapperFor, type RecordMapper } from '../schema/schema-for.js';
import type { ScanPool } from '../workers/scan-pool.js';
import { parseRecord } from './analyze-record.js';
import { analyzeBatch, type BatchOutcome, batchInput, type CompiledContext, compileContext, emptyOutcome, type RecordContext, type RecordNote, schemaOf } from './record-outcome.js';

export interface AnalyzedBatch {
  readonly records: readonly RawRecord[];
  readonly outcome: BatchOutcome;
}

export interface FileAnalysis {
  /** The file's context; `schema` is filled in once the mapper is known. */
  readonly context: Omit<RecordContext, 'schema'>;
  readonly spec: SchemaSpec;
  /** Set from the first record that yields one; read by the consumer (tokens of candidates). */
  mapper: RecordMapper | undefined;
}

export interface BatchRouting {
  /** Absent: analyse inline. */
  readonly pool?: ScanPool | undefined;
  /** Send parsed values (CSV, Parquet) rather than texts (JSON formats). */
  readonly withValues?: boolean;
}

/**
 * Batches smaller than this are merged before they go to a worker (zstd pipes deliver 64 KiB):
 * a message costs about as much as a few dozen records, so tiny ones would eat the gain.
 */
const MIN_BATCH_RECORDS = 512;
/** Batches in flight per worker: enough that no worker waits on this thread, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 3;

/**
 * Records of `batch` up to and including the first that yields a mapper, with their outcomes.
 * A record before it was invalid (unparseable, or `auto` could not tell its schema).
 */
function detectMapper(batch: readonly RawRecord[], file: FileAnalysis): { count: number; outcome: BatchOutcome; compiled?: CompiledContext } {
  const notes: [number, RecordNote][] = [];
  for (let i = 0; i < batch.length; i++) {
    let mapper: RecordMapper;
    try {
      mapper = mapperFor(file.spec, parseRecord(batch[i]!));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      notes.push([i, { error: { code: error.code, message: error.message, hint: error.hint } }]);
      continue;
    }
    file.mapper = mapper;
    const compiled = compileContext({ ...file.context, schema: schemaOf(mapper, file.spec) }, mapper);
    const first = analyzeBatch(1, () => batch[i]!, compiled);
    const outcome = emptyOutcome(i + 1);
    outcome.keys[i] = first.keys[0]!;
    outcome.priorities[i] = first.priorities[0]!;
    outcome.splitRanks[i] = first.splitRanks[0]!;
    outcome.chars[i] = first.chars[0]!;
    outcome.notes.push(...notes, ...first.notes.map(([, note]): [number, RecordNote] => [i, note]));
    return { count: i + 1, outcome, compiled };
  }
  const outcome = emptyOutcome(batch.length);
  outcome.notes.push(...notes);
  return { count: batch.length, outcome };
}

interface InFlight {
  readonly records: readonly RawRecord[];
  readonly outcome: Promise<BatchOutcome>;
}

export async function* analyzedBatches(batches: AsyncIterable<RawRecord[]>, file: FileAnalysis, routing: BatchRouting = {}): AsyncGenerator<AnalyzedBatch> {
  const { pool } = routing;
  const maxInFlight = (pool?.size ?? 0) * IN_FLIGHT_PER_WORKER;
  const inFlight: InFlight[] = [];
  let compiled: CompiledContext | undefined;
  let pending: RawRecord[] = [];
  const dispatch = (records: RawRecord[]) => {
    const outcome = pool!.analyze(compiled!.context, batchInput(records, routing.withValues === true));
    // Settled later in order, or never when the consumer stops early: don't let that be an unhandled rejection.
    outcome.catch(() => {});
    inFlight.push({ records, outcome });
  };
  const reader = batches[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<RawRecord[]>;
      try {
        next = await reader.next();
      } catch (error) {
        // A failing stream (truncated gzip) is reported after every record read before it, as inline.
        if (pending.length > 0) dispatch(pending);
        pending = [];
        for (const batch of inFlight.splice(0)) yield { records: batch.records, outcome: await batch.outcome };
        throw error;
      }
      if (next.done) break;
      let batch = next.value;
      if (!compiled) {
        const detected = detectMapper(batch, file);
        compiled = detected.compiled;
        yield { records: batch.slice(0, detected.count), outcome: detected.outcome };
        if (!compiled) continue;
        batch = batch.slice(detected.count);
      }
      if (!pool) {
        const records = batch;
        yield { records, outcome: analyzeBatch(records.length, (i) => records[i]!, compiled) };
        continue;
      }
      pending = pending.length === 0 ? batch : pending.concat(batch);
      if (pending.length < MIN_BATCH_RECORDS) continue;
      dispatch(pending);
      pending = [];
      while (inFlight.length >= maxInFlight) {
        const head = inFlight.shift()!;
        yield { records: head.records, outcome: await head.outcome };
      }
    }
    if (pending.length > 0) dispatch(pending);
    for (const batch of inFlight.splice(0)) yield { records: batch.records, outcome: await batch.outcome };
  } finally {
    await reader.return?.();
  }
}
