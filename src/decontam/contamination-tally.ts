/**
 * The decontamination report, per eval set: what was read and indexed (items too short for either
 * layer counted and listed), which items were hit and by which layer, how many training samples
 * each source lost, and a few example pairs to show the user what "overlap" meant. Every set is
 * reported, with zeros when nothing was hit.
 */
import type { ContaminationMatch, EvalSetIndexStats } from './eval-index.js';

/** One example: the training sample, the eval item it contained, and a matched n-gram. */
export interface ContaminationExample {
  readonly trainingId: string;
  readonly evalId: string;
  /** `exact`: the question found whole; `overlap`: the n-gram share rule. */
  readonly layer: 'exact' | 'overlap';
  readonly matchedShare: number;
  readonly example: string;
}

export interface EvalSetReport {
  readonly set: string;
  /** Items read from the eval set's files. */
  readonly items: number;
  /** Items in at least one layer; `exact`: those with a question long enough for the exact layer. */
  readonly indexed: number;
  readonly exactIndexed: number;
  /** Items too short for either layer, and the first few of their ids. */
  readonly tooShort: number;
  readonly tooShortIds: readonly string[];
  /** Distinct eval items found in at least one training sample. */
  readonly itemsHit: number;
  /** Of those, found by the exact layer (question whole) and by n-gram overlap only. */
  readonly itemsHitExact: number;
  readonly itemsHitOverlap: number;
  /** Training samples removed, by source, sorted by source name. */
  readonly removedBySource: Readonly<Record<string, number>>;
  /** The first removals recorded (in the caller's order, which is priority order). */
  readonly examples: readonly ContaminationExample[];
}

interface SetTally {
  readonly exact: Set<string>;
  readonly overlap: Set<string>;
  readonly removed: Map<string, number>;
  readonly examples: ContaminationExample[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class ContaminationTally {
  private readonly sets = new Map<string, SetTally>();

  constructor(private readonly maxExamples = 3) {}

  /** Count one removed training sample. */
  record(match: ContaminationMatch, training: { readonly id: string; readonly source: string }): void {
    let tally = this.sets.get(match.set);
    if (!tally) {
      tally = { exact: new Set(), overlap: new Set(), removed: new Map(), examples: [] };
      this.sets.set(match.set, tally);
    }
    (match.layer === 'exact' ? tally.exact : tally.overlap).add(match.evalId);
    tally.removed.set(training.source, (tally.removed.get(training.source) ?? 0) + 1);
    if (tally.examples.length < this.maxExamples) {
      tally.examples.push({
        trainingId: training.id,
        evalId: match.evalId,
        layer: match.layer,
        matchedShare: match.matchedShare,
        example: match.example,
      });
    }
  }

  /** One report per eval set of `indexed` (and any other set that removed something), sorted by set name. */
  report(indexed: readonly EvalSetIndexStats[] = []): EvalSetReport[] {
    const stats = new Map(indexed.map((s) => [s.set, s]));
    const names = [...new Set([...stats.keys(), ...this.sets.keys()])].sort(byName);
    return names.map((set) => {
      const tally = this.sets.get(set);
      const s = stats.get(set);
      const overlapOnly = [...(tally?.overlap ?? [])].filter((id) => !tally?.exact.has(id)).length;
      const exact = tally?.exact.size ?? 0;
      return {
        set,
        items: s?.items ?? 0,
        indexed: s?.indexed ?? 0,
        exactIndexed: s?.exact ?? 0,
        tooShort: s?.tooShort ?? 0,
        tooShortIds: s?.tooShortIds ?? [],
        itemsHit: exact + overlapOnly,
        itemsHitExact: exact,
        itemsHitOverlap: overlapOnly,
        removedBySource: Object.fromEntries(
          [...(tally?.removed ?? new Map<string, number>()).entries()].sort(([a], [b]) => byName(a, b)),
        ),
        examples: tally?.examples ?? [],
      };
    });
  }
}
