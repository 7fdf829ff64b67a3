/**
 * The running tally of one audited mixture or dataset: a `SplitTally` per split, the train keys
 * that other splits are checked against (leaks), and the eval overlap counts. Callers feed train
 * before the other splits, so a leak is counted at the validation record that repeats train.
 */
import type { SampleBody } from '../sample.js';
import type { EvalIndex } from './eval-index.js';
import { recordKeys } from './record-keys.js';
import type { EvalOverlap, SplitAudit } from './report.js';
import type { Example } from './report.js';
import { type AuditedRecord, exampleOf, SplitTally } from './split-tally.js';
import { summarizeSplit } from './split-summary.js';
import type { TokenCounter } from '../tokens/token-counter.js';

/** The split other splits are checked against for leaks. */
export const TRAIN_SPLIT = 'train';

interface EvalCounts {
  readonly splits: Map<string, { content: number; prompt: number; records: number }>;
  readonly examples: Example[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Train first, then the other splits by name. */
export function splitOrder(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a === TRAIN_SPLIT ? -1 : b === TRAIN_SPLIT ? 1 : byName(a, b)));
}

export class SubjectTally {
  private readonly splits = new Map<string, SplitTally>();
  private readonly sourceIndex = new Map<string, number>();
  private readonly evalCounts: EvalCounts[];

  constructor(
    private readonly evals: EvalIndex,
    private readonly tokens: TokenCounter,
    private readonly examplesLimit: number,
  ) {
    this.evalCounts = evals.sets.map(() => ({ splits: new Map(), examples: [] }));
  }

  add(record: AuditedRecord, body: SampleBody): void {
    const keys = recordKeys(body, !this.evals.isEmpty);
    const split = this.splitFor(record.split);
    const train = record.split === TRAIN_SPLIT ? undefined : this.splits.get(TRAIN_SPLIT);
    const leaked = !keys.empty && train !== undefined && train.keys.get(keys.key) !== undefined;
    const match = this.evals.match(keys);
    const matched = (match.content | match.prompt) !== 0;
    if (matched) {
      for (let i = 0; i < this.evalCounts.length; i++) {
        const bit = (1 << i) >>> 0;
        if (!((match.content | match.prompt) & bit)) continue;
        const counts = this.evalCounts[i]!;
        const perSplit = counts.splits.get(record.split) ?? { content: 0, prompt: 0, records: 0 };
        perSplit.records++;
        if (match.content & bit) perSplit.content++;
        else perSplit.prompt++;
        counts.splits.set(record.split, perSplit);
        if (counts.examples.length < this.examplesLimit) {
          counts.examples.push(exampleOf(record, keys.text, { evalSet: this.evals.sets[i]!.name, match: match.content & bit ? 'content' : 'prompt' }));
        }
      }
    }
    split.add(record, keys, this.tokens.count(keys.text), this.sourceIndexOf(record.source), { leaked, contaminated: matched });
  }

  addInvalid(split: string, where: string, message: string): void {
    this.splitFor(split).addInvalid(where, message);
  }

  /** Make a split exist even when it has no readable record (an empty shard). */
  touchSplit(name: string): void {
    this.splitFor(name);
  }

  finish(plannedFor: (split: string) => Readonly<Record<string, number>> | null): { splits: SplitAudit[]; evals: EvalOverlap[] } {
    const hasTrain = this.splits.has(TRAIN_SPLIT);
    const splits = splitOrder(this.splits.keys()).map((name) =>
      summarizeSplit(this.splits.get(name)!, { planned: plannedFor(name), leakApplies: hasTrain && name !== TRAIN_SPLIT, examplesLimit: this.examplesLimit }),
    );
    const evals = this.evals.sets.map((set, i): EvalOverlap => {
      const counts = this.evalCounts[i]!;
      const perSplit: Record<string, { content: number; prompt: number; records: number }> = {};
      for (const split of splits) perSplit[split.name] = counts.splits.get(split.name) ?? { content: 0, prompt: 0, records: 0 };
      return { name: set.name, paths: set.paths, records: set.records, distinct: this.evals.distinct(i), splits: perSplit, examples: counts.examples };
    });
    return { splits, evals };
  }

  private splitFor(name: string): SplitTally {
    let split = this.splits.get(name);
    if (!split) {
      split = new SplitTally(name, this.examplesLimit);
      this.splits.set(name, split);
    }
    return split;
  }

  private sourceIndexOf(source: string): number {
    let index = this.sourceIndex.get(source);
    if (index === undefined) {
      index = this.sourceIndex.size;
      this.sourceIndex.set(source, index);
    }
    return index;
  }
}
