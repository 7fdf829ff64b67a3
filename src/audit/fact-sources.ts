/**
 * Where one audit computes its records' facts: on this thread, or in one pool of worker threads
 * shared by its subjects, started at the first subject large enough to repay it and closed when
 * the audit ends. Where a fact is computed never changes the report; this only decides where it
 * is fastest.
 */
import { stat } from 'node:fs/promises';
import type { EvalIndex } from '../decontam/eval-index.js';
import { MixsmithError } from '../errors.js';
import { defaultWorkerCount, MIN_POOL_BYTES } from '../workers/worker-pool.js';
import { FactPool } from './fact-pool.js';
import type { FileRef } from './file-records.js';
import { FactComputer, type FactSettings } from './record-facts.js';
import type { FactSource } from './record-feed.js';
import type { TokenCounter } from '../tokens/token-counter.js';

async function totalBytes(files: readonly FileRef[]): Promise<number> {
  let bytes = 0;
  for (const file of files)
    bytes += await stat(file.absolutePath).then(
      (s) => s.size,
      () => 0,
    );
  return bytes;
}

export class FactSources {
  private readonly computer: FactComputer;
  private readonly count: number;
  private pool: FactPool | undefined;

  /**
   * `ngram` and `counter`: the caller's n-gram index (read from `settings.evalIndex`) and the counter of
   * `settings.tokenizer` (used inline); `workers`: as `AuditOptions.workers`.
   */
  constructor(
    private readonly settings: FactSettings,
    ngram: EvalIndex,
    counter: TokenCounter | null,
    private readonly requested: number | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (requested !== undefined && !(Number.isInteger(requested) && requested >= 0)) {
      throw new MixsmithError('USAGE', `workers must be a whole number of 0 or more, got ${requested}`);
    }
    this.computer = new FactComputer(settings, settings.evalIndex ? ngram : null, settings.tokenizer ? counter : null);
    this.count = requested ?? defaultWorkerCount();
  }

  /** Where to compute the facts of a subject with these files. */
  async forSubject(files: readonly FileRef[]): Promise<FactSource> {
    if (this.count < 1) return { computer: this.computer };
    if (!this.pool && this.requested === undefined && (await totalBytes(files)) < MIN_POOL_BYTES)
      return { computer: this.computer };
    this.pool ??= new FactPool(this.count, this.settings, this.signal);
    return { computer: this.computer, pool: this.pool };
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
