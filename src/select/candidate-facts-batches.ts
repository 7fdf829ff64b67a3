/**
 * Candidates' facts from the worker pool, consumed in the order the candidates were read. Texts
 * go out in batches; each batch's facts are settled, one candidate after the other, only once
 * every earlier batch is settled, so the tally's examples, the removals and the near-duplicate
 * pass see exactly the sequence this thread alone would have produced. Batches in flight are
 * bounded (`IN_FLIGHT_PER_WORKER` per worker): reading waits for the oldest answer when the
 * workers are behind, so memory stays bounded.
 */
import type { WantedRecord } from '../records/read/read-candidates.js';
import {
  defaultWorkerCount,
  IN_FLIGHT_PER_WORKER,
  MIN_MESSAGE_RECORDS,
  MIN_POOL_BYTES,
} from '../workers/worker-pool.js';
import { type CandidateFact, type NearFactSettings, type PackedFacts, unpackFacts } from './candidate-facts.js';
import { CandidateFactsPool, type CandidateTexts } from './candidate-facts-pool.js';
import type { EvalMatcher } from './filter-candidates.js';

/**
 * The pool to compute `wanted`'s facts in, or undefined to compute them on this thread: `workers`
 * 0, or left out with candidates under 4 MB (starting workers costs about what they save on a few
 * thousand records).
 */
export function candidateFactsPoolFor(
  matcher: EvalMatcher | undefined,
  near: NearFactSettings | null,
  wanted: readonly WantedRecord[],
  options: { readonly workers?: number | undefined; readonly signal?: AbortSignal | undefined },
): CandidateFactsPool | undefined {
  const count = options.workers ?? defaultWorkerCount();
  if (count < 1) return undefined;
  if (options.workers === undefined && wanted.reduce((sum, w) => sum + w.candidate.length, 0) < MIN_POOL_BYTES)
    return undefined;
  return new CandidateFactsPool(count, { index: matcher?.shared() ?? null, near }, options.signal);
}

/**
 * `R`: what the caller keeps of each record until its facts come: keep it small (not the parsed
 * record), since up to `IN_FLIGHT_PER_WORKER` batches per worker wait at once.
 */
export class OrderedBatches<R> {
  private reads: R[] = [];
  private texts: string[] = [];
  private nearTexts: string[] = [];
  private readonly inFlight: { readonly reads: R[]; readonly answer: Promise<PackedFacts> }[] = [];

  /**
   * `shape`: whether batches carry decontamination texts, near-duplicate texts (unless they are
   * the same texts), and the band keys per record to unpack.
   */
  constructor(
    private readonly pool: Pick<CandidateFactsPool, 'size' | 'facts'>,
    private readonly settle: (read: R, fact: CandidateFact) => void,
    private readonly shape: { readonly texts: boolean; readonly nearTexts: boolean; readonly bands: number },
    private readonly batchSize = MIN_MESSAGE_RECORDS,
  ) {}

  /** Queue one candidate; a promise when reading should wait for the oldest batch's facts. */
  add(read: R, text: string | undefined, nearText: string | undefined): Promise<void> | undefined {
    this.reads.push(read);
    if (this.shape.texts) this.texts.push(text ?? '');
    if (this.shape.nearTexts) this.nearTexts.push(nearText ?? '');
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
    const batch: CandidateTexts = {
      texts: this.shape.texts ? this.texts : null,
      nearTexts: this.shape.nearTexts ? this.nearTexts : null,
    };
    const answer = this.pool.facts(batch);
    // Awaited in order later; a failure before then must not count as an unhandled rejection.
    answer.catch(() => undefined);
    this.inFlight.push({ reads: this.reads, answer });
    this.reads = [];
    this.texts = [];
    this.nearTexts = [];
  }

  private async settleOldest(): Promise<void> {
    const { reads, answer } = this.inFlight.shift()!;
    const facts = unpackFacts(await answer, this.shape.bands);
    for (let i = 0; i < reads.length; i++) this.settle(reads[i]!, facts[i]!);
  }
}
