/**
 * Candidates' decontamination answers from the worker pool, consumed in the order the candidates
 * were read. Texts go out in batches; each batch's answers are settled, one candidate after the
 * other, only once every earlier batch is settled, so the tally's examples, the removals and the
 * near-duplicate pass see exactly the sequence the main thread alone would have produced.
 * Batches in flight are bounded (`IN_FLIGHT_PER_WORKER` per worker): reading waits for the oldest
 * answer when the workers are behind, so memory stays bounded.
 */
import type { ContaminationMatch } from '../decontam/eval-index.js';
import type { WantedRecord } from '../records/read/read-candidates.js';
import {
  defaultWorkerCount,
  IN_FLIGHT_PER_WORKER,
  MIN_MESSAGE_RECORDS,
  MIN_POOL_BYTES,
} from '../workers/worker-pool.js';
import { type EvalMatchBatch, EvalMatchPool } from './eval-match-pool.js';
import type { EvalMatcher } from './filter-candidates.js';

/**
 * The pool to match `wanted` in, or undefined to match on this thread: `workers` 0, or left out
 * with candidates under 4 MB (starting workers costs about what they save on a few thousand
 * records).
 */
export function evalMatchPoolFor(
  matcher: EvalMatcher,
  wanted: readonly WantedRecord[],
  options: { readonly workers?: number | undefined; readonly signal?: AbortSignal | undefined },
): EvalMatchPool | undefined {
  const count = options.workers ?? defaultWorkerCount();
  if (count < 1) return undefined;
  if (options.workers === undefined && wanted.reduce((sum, w) => sum + w.candidate.length, 0) < MIN_POOL_BYTES)
    return undefined;
  return new EvalMatchPool(count, matcher.shared(), options.signal);
}

/**
 * `R`: what the caller keeps of each record until its answer comes: keep it small (not the parsed
 * record), since up to `IN_FLIGHT_PER_WORKER` batches per worker wait at once.
 */
export class OrderedBatches<R> {
  private reads: R[] = [];
  private texts: string[] = [];
  private readonly inFlight: { readonly reads: R[]; readonly answer: Promise<EvalMatchBatch> }[] = [];

  constructor(
    private readonly pool: Pick<EvalMatchPool, 'size' | 'match'>,
    private readonly settle: (read: R, hit: ContaminationMatch | undefined) => void,
    private readonly batchSize = MIN_MESSAGE_RECORDS,
  ) {}

  /** Queue one candidate; a promise when reading should wait for the oldest batch's answer. */
  add(read: R, text: string): Promise<void> | undefined {
    this.reads.push(read);
    this.texts.push(text);
    if (this.reads.length < this.batchSize) return undefined;
    this.send();
    return this.inFlight.length < this.pool.size * IN_FLIGHT_PER_WORKER ? undefined : this.settleOldest();
  }

  /** Settle everything queued. */
  async finish(): Promise<void> {
    if (this.reads.length > 0) this.send();
    while (this.inFlight.length > 0) await this.settleOldest();
  }

  private send(): void {
    const answer = this.pool.match(this.texts);
    // Awaited in order later; a failure before then must not count as an unhandled rejection.
    answer.catch(() => undefined);
    this.inFlight.push({ reads: this.reads, answer });
    this.reads = [];
    this.texts = [];
  }

  private async settleOldest(): Promise<void> {
    const { reads, answer } = this.inFlight.shift()!;
    const matches = await answer;
    for (let i = 0; i < reads.length; i++) this.settle(reads[i]!, matches[i] ?? undefined);
  }
}
