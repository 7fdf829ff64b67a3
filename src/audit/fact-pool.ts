/**
 * Worker threads for the pure half of an audit (`record-facts.ts`): a `WorkerPool` of
 * fact-worker.ts, each worker with its own `FactComputer` built from the settings. The caller
 * awaits batches in reading order (`record-feed.ts`), so any worker count gives the same report.
 */
import { liveWorkers, WorkerPool, workerScript } from '../workers/worker-pool.js';
import type { FactBatch, FactInput, FactSettings } from './record-facts.js';

/** Fact workers currently running in this process (tests check that none outlive an audit). */
export function liveFactWorkers(): number {
  return liveWorkers('audit');
}

export class FactPool {
  private readonly pool: WorkerPool<FactInput, FactBatch, FactSettings>;

  constructor(size: number, settings: FactSettings, signal?: AbortSignal | undefined) {
    this.pool = new WorkerPool({
      size,
      kind: 'audit',
      script: workerScript(import.meta.url, 'fact-worker'),
      data: settings,
      signal,
    });
  }

  get size(): number {
    return this.pool.size;
  }

  /** The facts of one batch. */
  compute(input: FactInput): Promise<FactBatch> {
    return this.pool.run(input);
  }

  /** Stop every worker; pending batches are rejected. Safe to call more than once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
