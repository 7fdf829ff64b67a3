/**
 * The decontamination report, per eval set: which items were hit, how many training samples each
 * source lost, and a few example pairs to show the user what "overlap" meant.
 */
import type { ContaminationMatch } from './eval-index.js';

/** One example: the training sample, the eval item it contained, and a matched n-gram. */
export interface ContaminationExample {
  readonly trainingId: string;
  readonly evalId: string;
  readonly matchedShare: number;
  readonly example: string;
}

export interface EvalSetReport {
  readonly set: string;
  /** Distinct eval items found in at least one training sample. */
  readonly itemsHit: number;
  /** Training samples removed, by source, sorted by source name. */
  readonly removedBySource: Readonly<Record<string, number>>;
  /** The first removals recorded (in the caller's order, which is priority order). */
  readonly examples: readonly ContaminationExample[];
}

interface SetTally {
  readonly items: Set<string>;
  readonly removed: Map<string, number>;
  readonly examples: ContaminationExample[];
}

export class ContaminationTally {
  private readonly sets = new Map<string, SetTally>();

  constructor(private readonly maxExamples = 3) {}

  /** Count one removed training sample. */
  record(match: ContaminationMatch, training: { readonly id: string; readonly source: string }): void {
    let tally = this.sets.get(match.set);
    if (!tally) {
      tally = { items: new Set(), removed: new Map(), examples: [] };
      this.sets.set(match.set, tally);
    }
    tally.items.add(match.evalId);
    tally.removed.set(training.source, (tally.removed.get(training.source) ?? 0) + 1);
    if (tally.examples.length < this.maxExamples) {
      tally.examples.push({ trainingId: training.id, evalId: match.evalId, matchedShare: match.matchedShare, example: match.example });
    }
  }

  /** One report per eval set that removed anything, sorted by set name. */
  report(): EvalSetReport[] {
    return [...this.sets.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([set, tally]) => ({
        set,
        itemsHit: tally.items.size,
        removedBySource: Object.fromEntries([...tally.removed.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        examples: tally.examples,
      }));
  }
}
