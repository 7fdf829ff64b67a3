/**
 * The running tally of one audited mixture or dataset: a `SplitTally` per split, the train keys
 * that other splits are checked against (leaks), the near-duplicate index and the eval overlap
 * counts. Callers feed train before the other splits, so a leak is counted at the validation
 * record that repeats train.
 */
import type { TokenCounter } from '../tokens/token-counter.js';
import type { EvalTally } from './eval-tally.js';
import type { RecordPosition } from './file-records.js';
import { type NearDupCheckOptions, NearDupTally } from './near-dup-tally.js';
import { OrderDigest } from './order-digest.js';
import type { RecordFacts } from './record-facts.js';
import type { EvalOverlap, NearDupPair, SplitAudit } from './report.js';
import { type AuditedRecord, SplitTally } from './split-tally.js';
import { summarizeSplit } from './split-summary.js';

/** The split other splits are checked against for leaks. */
export const TRAIN_SPLIT = 'train';

/** What a subject's tally shares with the others (eval indexes, token counter) and its settings. */
export interface SubjectTallyOptions {
  readonly evals: EvalTally;
  readonly tokens: TokenCounter;
  readonly examplesLimit: number;
  /** Null: no near-duplicate check (`--no-near`). */
  readonly near: NearDupCheckOptions | null;
}

/** Near-duplicate example pairs of one split, both sides read. */
export interface SplitPairs {
  readonly duplicates: readonly NearDupPair[];
  readonly leaks: readonly NearDupPair[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Train first, then the other splits by name. */
export function splitOrder(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a === TRAIN_SPLIT ? -1 : b === TRAIN_SPLIT ? 1 : byName(a, b)));
}

/** Everything counted while one subject's records stream past; `finish` makes its report sections. */
export class SubjectTally {
  /** Null when the check is off. */
  readonly near: NearDupTally | null;
  private readonly splits = new Map<string, SplitTally>();
  private readonly sourceIndex = new Map<string, number>();
  /** The train split's contents in reading order (sweep points that are the same training set). */
  private readonly trainOrder = new OrderDigest();

  constructor(private readonly options: SubjectTallyOptions) {
    this.near = options.near ? new NearDupTally(options.near, TRAIN_SPLIT, options.examplesLimit) : null;
  }

  /** Count one record, in reading order, with the facts its text decided (`record-facts.ts`). */
  add(record: AuditedRecord, position: RecordPosition, facts: RecordFacts): void {
    const { keys } = facts;
    const split = this.splitFor(record.split);
    if (record.split === TRAIN_SPLIT) this.trainOrder.add(keys.key);
    const train = record.split === TRAIN_SPLIT ? undefined : this.splits.get(TRAIN_SPLIT);
    const leaked = !keys.empty && train !== undefined && train.keys.get(keys.key) !== undefined;
    const contaminated = this.options.evals.add(record, keys, facts.evalHit);
    const near =
      this.near && !keys.empty && facts.shingles
        ? this.near.check({
            record,
            text: keys.text,
            shingles: facts.shingles,
            bandKeys: facts.bandKeys,
            position,
            exactDuplicate: split.keys.get(keys.key) !== undefined,
            checkLeak: train !== undefined && !leaked,
          })
        : undefined;
    split.add(record, keys, facts.tokens ?? this.options.tokens.count(keys.text), this.sourceIndexOf(record.source), {
      leaked,
      contaminated,
      nearDuplicate: near?.duplicate ?? false,
      nearLeaked: near?.leaked ?? false,
    });
  }

  addInvalid(split: string, where: string, message: string): void {
    this.splitFor(split).addInvalid(where, message);
  }

  /** Make a split exist even when it has no readable record (an empty shard). */
  touchSplit(name: string): void {
    this.splitFor(name);
  }

  /** Split names in report order (train first). */
  get splitNames(): string[] {
    return splitOrder(this.splits.keys());
  }

  /** The report sections; `pairs` gives each split's near-duplicate examples with both sides read. */
  finish(
    plannedFor: (split: string) => Readonly<Record<string, number>> | null,
    pairs: ReadonlyMap<string, SplitPairs>,
  ): { splits: SplitAudit[]; evals: EvalOverlap[]; trainSequence: string | null } {
    const hasTrain = this.splits.has(TRAIN_SPLIT);
    const names = this.splitNames;
    const splits = names.map((name) =>
      summarizeSplit(this.splits.get(name)!, {
        planned: plannedFor(name),
        leakApplies: hasTrain && name !== TRAIN_SPLIT,
        examplesLimit: this.options.examplesLimit,
        near: this.near ? (pairs.get(name) ?? { duplicates: [], leaks: [] }) : null,
      }),
    );
    return {
      splits,
      evals: this.options.evals.finish(names),
      trainSequence: hasTrain ? this.trainOrder.digest() : null,
    };
  }

  private splitFor(name: string): SplitTally {
    let split = this.splits.get(name);
    if (!split) {
      split = new SplitTally(name, this.options.examplesLimit);
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
