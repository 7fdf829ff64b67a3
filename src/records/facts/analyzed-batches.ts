/**
 * A file's record batches in, the same records with their outcomes out, in file order: inline,
 * or through a worker pool with a bounded number of batches in flight. Whatever runs where, the
 * consumer sees what one thread would have seen, which is what keeps the output byte-identical
 * for any number of workers (docs/determinism.md).
 *
 * The mapper is decided here, on this thread, from the file's first record that parses and fits
 * (as `mapperFor` always did); only the records after it go to workers, with the decision.
 */
import { type BlockPool, MAX_POOLED_BLOCK_BYTES } from '../../io/block-pool.js';
import { releaseMemory } from '../../workers/release-memory.js';
import type { SchemaSpec } from '../../recipe/types.js';
import { RecordError } from '../map/record-error.js';
import { mapperFor, type RecordMapper } from '../map/schema-for.js';
import type { ScanPool } from './scan-pool.js';
import { IN_FLIGHT_PER_WORKER, MIN_MESSAGE_RECORDS } from '../../workers/worker-pool.js';
import { parseRecord } from './analyze-record.js';
import { PIECEWISE_RECORD_BYTES } from './line-keys.js';
import { parseShape } from '../read/long-string-json.js';
import {
  analyzeBatch,
  analyzeInput,
  type BatchInput,
  type BatchOutcome,
  batchInput,
  type CompiledContext,
  compileContext,
  copyOutcome,
  emptyOutcome,
  type RecordContext,
  type RecordNote,
  schemaOf,
} from './record-outcome.js';
import { LinesBatch, RecordsBatch, type ScanBatch } from '../read/scan-batch.js';

export interface AnalyzedBatch {
  readonly batch: ScanBatch;
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
  /** Where the blocks of lines batches go back once consumed (their reader took them from it). */
  readonly blocks?: BlockPool | undefined;
  /** Send parsed values (CSV, Parquet) rather than texts (JSON formats). */
  readonly withValues?: boolean;
}

/**
 * Records of `batch` up to and including the first that yields a mapper, with their outcomes.
 * A record before it was invalid (unparseable, or `auto` could not tell its schema).
 */
function detectMapper(
  batch: ScanBatch,
  file: FileAnalysis,
): { count: number; outcome: BatchOutcome; compiled?: CompiledContext } {
  const notes: [number, RecordNote][] = [];
  for (let i = 0; i < batch.size; i++) {
    const huge = batch instanceof LinesBatch && batch.lengthAt(i) >= PIECEWISE_RECORD_BYTES;
    const mapper = mapperOfRecord(batch, i, file);
    if (mapper instanceof RecordError) {
      notes.push([i, { error: { code: mapper.code, message: mapper.message, hint: mapper.hint } }]);
      continue;
    }
    file.mapper = mapper;
    const compiled = compileContext({ ...file.context, schema: schemaOf(mapper, file.spec) }, mapper);
    const outcome = emptyOutcome(i + 1);
    outcome.notes.push(...notes);
    // A huge line is keyed by the JSONL fast path in pieces (line-keys.ts), which answers as the
    // general path does; the general path would normalise its whole text here.
    const first = huge ? analyzeInput(oneLine(batch as LinesBatch, i), compiled) : undefined;
    copyOutcome(outcome, i, first ?? analyzeBatch(1, () => batch.recordAt(i), compiled), 0);
    return { count: i + 1, outcome, compiled };
  }
  const outcome = emptyOutcome(batch.size);
  outcome.notes.push(...notes);
  return { count: batch.size, outcome };
}

/** The mapper record `i` of `batch` yields, or why it yields none (unparseable, or `auto` could not tell its schema). */
function mapperOfRecord(batch: ScanBatch, i: number, file: FileAnalysis): RecordMapper | RecordError {
  const huge = batch instanceof LinesBatch && batch.lengthAt(i) >= PIECEWISE_RECORD_BYTES;
  try {
    // A huge line's schema from its shape (long strings left out): decoding and parsing it here
    // held its text and value beside its bytes on this thread.
    const shape = huge ? parseShape(batch.bytesAt(i)) : undefined;
    const value = shape ?? parseRecord(batch.recordAt(i), { maxDepth: file.context.maxDepth });
    if (shape !== undefined) parseRecord({ text: '', value: shape }, { maxDepth: file.context.maxDepth });
    return mapperFor(file.spec, value);
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    return error;
  }
}

/**
 * The mapper a whole-file scan has decided by byte `before` (a piece of a file starting there):
 * the one of the file's first record that yields one, if it starts before `before`; else
 * undefined, and the piece decides it from its own records, as the scan does from the same ones.
 */
export async function mapperBefore(
  batches: AsyncIterable<ScanBatch>,
  file: FileAnalysis,
  before: number,
): Promise<RecordMapper | undefined> {
  for await (const batch of batches) {
    for (let i = 0; i < batch.size; i++) {
      if (batch.offsetAt(i) >= before) return undefined;
      const mapper = mapperOfRecord(batch, i, file);
      if (!(mapper instanceof RecordError)) return mapper;
    }
  }
  return undefined;
}

/** Line `i` of `batch` alone, as a worker would take it. */
function oneLine(batch: LinesBatch, i: number): BatchInput {
  const { bytes, starts, ends, lines } = batch.lines;
  return {
    kind: 'lines',
    bytes,
    starts: starts.subarray(i, i + 1),
    ends: ends.subarray(i, i + 1),
    lines: lines.subarray(i, i + 1),
    encoding: batch.encoding,
  };
}

interface InFlight {
  readonly batch: ScanBatch;
  readonly outcome: Promise<BatchOutcome>;
}

/** What a batch sends to a worker. Lines hand over their bytes, which come back with the outcome. */
function inputOf(batch: ScanBatch, withValues: boolean): BatchInput {
  if (batch instanceof LinesBatch) {
    const { bytes, starts, ends, lines } = batch.lines;
    return { kind: 'lines', bytes, starts, ends, lines, encoding: batch.encoding };
  }
  return batchInput((batch as RecordsBatch).records, withValues);
}

/**
 * A record so large that cloning it to a worker (the message, then the worker's copy) would hold
 * it two more times: its value's top-level strings, its text or its bytes are that long.
 */
function holdsHugeRecord(batch: RecordsBatch): boolean {
  return batch.records.some((record) => {
    if (record.length >= PIECEWISE_RECORD_BYTES || record.text.length >= PIECEWISE_RECORD_BYTES) return true;
    const value = record.value;
    if (value === null || typeof value !== 'object') return false;
    let units = 0;
    for (const field of Object.values(value)) if (typeof field === 'string') units += field.length;
    return units >= PIECEWISE_RECORD_BYTES;
  });
}

function merged(pending: readonly ScanBatch[]): ScanBatch {
  if (pending.length === 1) return pending[0]!;
  return new RecordsBatch(pending.flatMap((batch) => (batch as RecordsBatch).records));
}

export async function* analyzedBatches(
  batches: AsyncIterable<ScanBatch>,
  file: FileAnalysis,
  routing: BatchRouting = {},
): AsyncGenerator<AnalyzedBatch> {
  const { pool } = routing;
  const maxInFlight = (pool?.size ?? 0) * IN_FLIGHT_PER_WORKER;
  const inFlight: InFlight[] = [];
  // A piece of a file after its first records comes with the mapper they decided (mapperBefore).
  let compiled: CompiledContext | undefined = file.mapper
    ? compileContext({ ...file.context, schema: schemaOf(file.mapper, file.spec) }, file.mapper)
    : undefined;
  let pending: ScanBatch[] = [];
  let pendingRecords = 0;
  const dispatch = (batch: ScanBatch) => {
    const outcome = pool!
      .analyze(compiled!.context, inputOf(batch, routing.withValues === true))
      .then(({ outcome, bytes }) => {
        // The worker sends the block back: errors and tokenizers may still decode its records.
        if (bytes && batch instanceof LinesBatch) batch.lines.bytes = bytes;
        return outcome;
      });
    // Settled later in order, or never when the consumer stops early: don't let that be an unhandled rejection.
    outcome.catch(() => {});
    inFlight.push({ batch, outcome });
  };
  const flushPending = () => {
    if (pending.length > 0) dispatch(merged(pending));
    pending = [];
    pendingRecords = 0;
  };
  // A consumed lines batch's block goes back to its reader (nothing keeps its bytes past consumption);
  // a huge line's block, too large to pool, is freed at once.
  const recycle = (batch: ScanBatch) => {
    if (!routing.blocks || !(batch instanceof LinesBatch)) return;
    const { buffer } = batch.lines.bytes;
    if (buffer.byteLength > MAX_POOLED_BLOCK_BYTES) void releaseMemory(buffer);
    else routing.blocks.give(buffer);
  };
  const reader = batches[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<ScanBatch>;
      try {
        next = await reader.next();
      } catch (error) {
        // A failing stream (truncated gzip) is reported after every record read before it, as inline.
        flushPending();
        for (const batch of inFlight.splice(0)) yield { batch: batch.batch, outcome: await batch.outcome };
        throw error;
      }
      if (next.done) break;
      let batch = next.value;
      if (!compiled) {
        const detected = detectMapper(batch, file);
        compiled = detected.compiled;
        // Consumed before the rest of the batch is dispatched (its bytes may then leave for a worker).
        yield { batch: batch.slice(0, detected.count), outcome: detected.outcome };
        if (!compiled) continue;
        batch = batch.slice(detected.count);
        if (batch.size === 0) continue;
      }
      if (!pool) {
        const current = batch;
        const outcome =
          current instanceof LinesBatch
            ? analyzeInput(inputOf(current, false), compiled)
            : analyzeBatch(current.size, (i) => current.recordAt(i), compiled);
        yield { batch: current, outcome };
        recycle(current);
        continue;
      }
      if (batch instanceof LinesBatch) {
        flushPending();
        dispatch(batch);
      } else if (holdsHugeRecord(batch as RecordsBatch)) {
        // Analysed here, in its turn: its outcome is consumed in order with the workers'.
        flushPending();
        const current = batch;
        inFlight.push({
          batch: current,
          outcome: Promise.resolve(analyzeBatch(current.size, (i) => current.recordAt(i), compiled)),
        });
      } else {
        // Small record batches are merged first (JSONL arrives in ~1 MiB blocks already: io/line-batches.ts).
        pending.push(batch);
        pendingRecords += batch.size;
        if (pendingRecords < MIN_MESSAGE_RECORDS) continue;
        flushPending();
      }
      while (inFlight.length >= maxInFlight) {
        const head = inFlight.shift()!;
        yield { batch: head.batch, outcome: await head.outcome };
        recycle(head.batch);
      }
    }
    flushPending();
    for (const batch of inFlight.splice(0)) {
      yield { batch: batch.batch, outcome: await batch.outcome };
      recycle(batch.batch);
    }
  } finally {
    await reader.return?.();
  }
}
