/**
 * Overlap of audited records with the `--eval` sets, per set: records contaminating an item by the
 * n-gram rule of `decontam/` (what `contamination` rules count, and what compose's
 * `decontaminate:` removes), per split and source, the distinct items hit, and example pairs;
 * beside them the exact columns (whole normalised content, or prompt only, is an item's).
 *
 * A record counts under one set at most for the n-gram rule (the index returns the best item), as
 * in compose; the exact columns count it under every set it matches.
 */
import type { ContaminationMatch } from '../decontam/eval-index.js';
import type { LoadedEvals } from './load-evals.js';
import type { RecordKeys } from './record-keys.js';
import type { EvalExample, EvalOverlap, EvalSplitOverlap } from './report.js';
import { type AuditedRecord, exampleOf } from './split-tally.js';

interface SplitCounts {
  records: number;
  content: number;
  prompt: number;
  readonly sources: Map<string, number>;
}

interface SetCounts {
  readonly splits: Map<string, SplitCounts>;
  /** Distinct items hit (exact layer, n-gram rule): bounded by the eval set's size. */
  readonly items: Set<string>;
  readonly exactItems: Set<string>;
  readonly examples: EvalExample[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Eval overlap counts of one audited subject; the eval indexes are shared across subjects. */
export class EvalTally {
  private readonly counts: SetCounts[];
  private readonly setIndex: Map<string, number>;

  constructor(
    private readonly evals: LoadedEvals,
    private readonly examplesLimit: number,
  ) {
    this.counts = evals.exact.sets.map(() => ({
      splits: new Map(),
      items: new Set(),
      exactItems: new Set(),
      examples: [],
    }));
    this.setIndex = new Map(evals.exact.sets.map((s, i) => [s.name, i]));
  }

  /** Whether records need their prompt key (only to compare with eval sets). */
  get active(): boolean {
    return !this.evals.exact.isEmpty;
  }

  /**
   * Count one record, with the item it contaminates by the n-gram rule (`ngram.match` of its text,
   * computed with its other facts); true when there is one.
   */
  add(record: AuditedRecord, keys: RecordKeys, hit: ContaminationMatch | undefined): boolean {
    if (!this.active || keys.empty) return false;
    const exact = this.evals.exact.match(keys);
    const hitSet = hit ? this.setIndex.get(hit.set) : undefined;
    for (let i = 0; i < this.counts.length; i++) {
      const bit = (1 << i) >>> 0;
      const content = (exact.content & bit) !== 0;
      const prompt = !content && (exact.prompt & bit) !== 0;
      const ngram = hitSet === i;
      if (!(content || prompt || ngram)) continue;
      const set = this.counts[i]!;
      const split = this.splitCounts(set, record.split);
      if (content) split.content++;
      if (prompt) split.prompt++;
      if (ngram && hit) {
        split.records++;
        split.sources.set(record.source, (split.sources.get(record.source) ?? 0) + 1);
        set.items.add(hit.evalId);
        if (hit.layer === 'exact') set.exactItems.add(hit.evalId);
      }
      if (set.examples.length >= this.examplesLimit) continue;
      const example = exampleOf(record, keys.text);
      if (ngram && hit) {
        set.examples.push({
          record: example,
          match: hit.layer === 'exact' ? 'question' : 'n-gram',
          evalId: hit.evalId,
          evalText: this.evals.texts.get(hit.evalId) ?? '',
          matchedShare: hit.matchedShare,
          gram: hit.example,
        });
      } else {
        set.examples.push({ record: example, match: content ? 'content' : 'prompt' });
      }
    }
    return hit !== undefined;
  }

  /** One overlap per eval set, with a row for every audited split (zeros included). */
  finish(splitNames: readonly string[]): EvalOverlap[] {
    return this.evals.exact.sets.map((info, i): EvalOverlap => {
      const set = this.counts[i]!;
      const splits: Record<string, EvalSplitOverlap> = {};
      for (const name of splitNames) {
        const c = set.splits.get(name);
        const sources = Object.fromEntries(
          [...(c?.sources ?? new Map<string, number>())].sort(([a], [b]) => byName(a, b)),
        );
        splits[name] = { records: c?.records ?? 0, content: c?.content ?? 0, prompt: c?.prompt ?? 0, sources };
      }
      const indexing = this.evals.indexing[i] ?? { indexed: 0, tooShort: 0, tooShortIds: [] };
      const overlapOnly = [...set.items].filter((id) => !set.exactItems.has(id)).length;
      return {
        name: info.name,
        paths: info.paths,
        records: info.records,
        distinct: this.evals.exact.distinct(i),
        indexed: indexing.indexed,
        tooShort: indexing.tooShort,
        tooShortIds: indexing.tooShortIds,
        itemsHit: set.items.size,
        itemsHitExact: set.exactItems.size,
        itemsHitOverlap: overlapOnly,
        splits,
        examples: set.examples,
      };
    });
  }

  private splitCounts(set: SetCounts, split: string): SplitCounts {
    let counts = set.splits.get(split);
    if (!counts) {
      counts = { records: 0, content: 0, prompt: 0, sources: new Map() };
      set.splits.set(split, counts);
    }
    return counts;
  }
}
