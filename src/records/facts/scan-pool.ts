/**
 * Worker threads for the pure half of the scan (decode, parse, map, filter, normalise, hash):
 * a `WorkerPool` of scan-worker.ts. The caller awaits batches in its own order
 * (compose/analyzed-batches.ts), so any worker count gives the same output.
 */
import { type BatchInput, type BatchOutcome, type RecordContext, transferOf } from './record-outcome.js';
import { liveWorkers, WorkerPool, workerScript } from '../../workers/worker-pool.js';

/** A batch as it crosses: the file's context (workers compile it once per file) and its records. */
export interface ScanRequest {
  readonly context: RecordContext;
  readonly input: BatchInput;
}

/** A batch's outcome, with a lines batch's bytes handed back. */
export interface AnalyzedInput {
  readonly outcome: BatchOutcome;
  readonly bytes?: Uint8Array | undefined;
}

/** Scan workers currently running in this process (tests check that none outlive a run). */
export function liveScanWorkers(): number {
  return liveWorkers('scan');
}

export class ScanPool {
  private readonly pool: WorkerPool<ScanRequest, AnalyzedInput>;

  constructor(size: number, signal?: AbortSignal | undefined) {
    this.pool = new WorkerPool({ size, kind: 'scan', script: workerScript(import.meta.url, './scan-worker'), signal });
  }

  get size(): number {
    return this.pool.size;
  }

  /** The outcomes of one batch of a file's records. The input's memory is transferred: don't touch it until this settles. */
  analyze(context: RecordContext, input: BatchInput): Promise<AnalyzedInput> {
    return this.pool.run({ context, input }, transferOf(input));
  }

  /** Stop every worker; pending batches are rejected. Safe to call more than once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
