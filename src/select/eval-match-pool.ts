/**
 * Decontamination in worker threads: a `WorkerPool` of eval-match-worker.ts, each worker matching
 * with the one eval index this thread built, read in place from shared memory
 * (`EvalIndex.toShared`/`fromShared`): no worker builds or holds an index of its own, and a text
 * gets the same answer on any thread. The caller sends candidates' texts in batches and consumes
 * the answers in the order it sent them (`eval-match-batches.ts`), so the result never depends on
 * the worker count.
 */
import type { ContaminationMatch, SharedEvalIndex } from '../decontam/eval-index.js';
import { liveWorkers, WorkerPool, workerScript } from '../workers/worker-pool.js';

/** One batch's answers, in the order of its texts (null: no eval item found). */
export type EvalMatchBatch = readonly (ContaminationMatch | null)[];

/** Decontamination workers currently running in this process (tests check that none outlive a run). */
export function liveEvalMatchWorkers(): number {
  return liveWorkers('decontamination');
}

export class EvalMatchPool {
  private readonly pool: WorkerPool<readonly string[], EvalMatchBatch, SharedEvalIndex>;

  constructor(size: number, index: SharedEvalIndex, signal?: AbortSignal | undefined) {
    this.pool = new WorkerPool({
      size,
      kind: 'decontamination',
      script: workerScript(import.meta.url, './eval-match-worker'),
      data: index,
      signal,
    });
  }

  get size(): number {
    return this.pool.size;
  }

  match(texts: readonly string[]): Promise<EvalMatchBatch> {
    return this.pool.run(texts);
  }

  /** Stop every worker; pending batches are rejected. Safe to call more than once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
