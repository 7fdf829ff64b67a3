/**
 * The post-scan filters' per-candidate work in worker threads: a `WorkerPool` of
 * candidate-facts-worker.ts. Decontamination matches with the one eval index this thread built,
 * read in place from shared memory (`EvalIndex.toShared`/`fromShared`): no worker builds or holds
 * an index of its own. Near-duplicate shingles and band keys come from the recipe's settings. The
 * caller sends candidates' texts, or for JSONL read by offset their bytes (the worker then
 * parses and maps them, off the main thread), in batches, and consumes the facts in the order it
 * sent them (`candidate-facts-batches.ts`), so the result never depends on the worker count.
 */
import type { SharedEvalIndex } from '../decontam/eval-index.js';
import {
  type RereadContext,
  type RereadFailure,
  type RereadInput,
  transferOfReread,
} from '../records/read/reread-record.js';
import { liveWorkers, WorkerPool, workerScript } from '../workers/worker-pool.js';
import type { FactFields, NearFactSettings, PackedFacts } from './candidate-facts.js';

/** What every worker starts with. */
export interface CandidateFactsData {
  readonly index: SharedEvalIndex | null;
  readonly near: NearFactSettings | null;
}

/**
 * One batch's texts: `texts` for decontamination (null without it), `nearTexts` for
 * near-duplicate removal (null: the same as `texts`, or no near-duplicate removal).
 */
export interface CandidateTexts {
  readonly texts: readonly string[] | null;
  readonly nearTexts: readonly string[] | null;
}

/**
 * One file's records as bytes (records/read/reread-batches.ts), read again in the worker exactly as
 * the scan read them; `fields`: the decontamination fields (null without it), `nearFields` the
 * near-duplicate ones (null without near-duplicate removal).
 */
export interface CandidateBytes {
  readonly context: RereadContext & FactFields;
  readonly input: RereadInput;
}

/** A bytes batch's facts, with its input's memory handed back; or where its re-read failed. */
export type FactsOfBytes = (PackedFacts & { readonly input: Uint8Array }) | RereadFailure;

/** Filter workers currently running in this process (tests check that none outlive a run). */
export function liveCandidateFactWorkers(): number {
  return liveWorkers('candidate facts');
}

export class CandidateFactsPool {
  private readonly pool: WorkerPool<CandidateTexts | CandidateBytes, PackedFacts | FactsOfBytes, CandidateFactsData>;

  constructor(size: number, data: CandidateFactsData, signal?: AbortSignal | undefined) {
    this.pool = new WorkerPool({
      size,
      kind: 'candidate facts',
      script: workerScript(import.meta.url, './candidate-facts-worker'),
      data,
      signal,
    });
  }

  get size(): number {
    return this.pool.size;
  }

  facts(batch: CandidateTexts): Promise<PackedFacts> {
    return this.pool.run(batch) as Promise<PackedFacts>;
  }

  /** The facts of a batch of records as bytes. Its memory is transferred: don't touch it after this call. */
  factsOfBytes(batch: CandidateBytes): Promise<FactsOfBytes> {
    return this.pool.run(batch, transferOfReread(batch.input)) as Promise<FactsOfBytes>;
  }

  /** Stop every worker; pending batches are rejected. Safe to call more than once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
