/**
 * A split's tally → its report section (pure). Group, source and split figures are merged from
 * the (group, source) cells, so percentiles are exact for every slice, and every slice's
 * histogram shares the split's bin edges so that groups can be compared bar for bar.
 */
import { percentile, summarize } from './distribution.js';
import type { Example, NearDupPair, RepeatedRecords, SliceStats, SplitAudit } from './report.js';
import { type Cell, type CellCounters, type SplitTally, zeroCounters } from './split-tally.js';
import { sortedUnion } from './value-series.js';

export interface SplitSummaryOptions {
  /** Planned share per group for this split (from the manifest), or null. */
  readonly planned: Readonly<Record<string, number>> | null;
  /** Whether this split is compared with train (it is not train, and train exists). */
  readonly leakApplies: boolean;
  readonly examplesLimit: number;
  /** Near-duplicate examples of this split; null when the check is off. */
  readonly near: { readonly duplicates: readonly NearDupPair[]; readonly leaks: readonly NearDupPair[] } | null;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface HistogramMax {
  readonly chars: number;
  readonly tokens: number;
  readonly turns: number;
}

interface SortedValues {
  readonly chars: Uint32Array;
  readonly tokens: Uint32Array;
  readonly turns: Uint32Array;
}

function sortedValues(cells: readonly Cell[]): SortedValues {
  return {
    chars: sortedUnion(cells.map((c) => c.chars)),
    tokens: sortedUnion(cells.map((c) => c.tokens)),
    turns: sortedUnion(cells.map((c) => c.turns)),
  };
}

function sliceOf(
  cells: readonly Cell[],
  splitRows: number,
  plannedShare: number | null,
  max: HistogramMax,
  sorted = sortedValues(cells),
): SliceStats {
  const sum = zeroCounters();
  for (const cell of cells) {
    for (const k of Object.keys(sum) as (keyof CellCounters)[]) sum[k] += cell.counters[k];
  }
  return {
    rows: sum.rows,
    share: splitRows === 0 ? 0 : sum.rows / splitRows,
    plannedShare,
    chars: summarize(sorted.chars, max.chars),
    tokens: summarize(sorted.tokens, max.tokens),
    turns: summarize(sorted.turns, max.turns),
    duplicates: sum.duplicates,
    verbatimDuplicates: sum.verbatimDuplicates,
    sourceDuplicates: sum.sourceDuplicates,
    empty: sum.empty,
    leaked: sum.leaked,
    contaminated: sum.contaminated,
    nearDuplicates: sum.nearDuplicates,
    nearLeaked: sum.nearLeaked,
  };
}

function groupBy(cells: readonly Cell[], field: 'group' | 'source'): Map<string, Cell[]> {
  const out = new Map<string, Cell[]>();
  for (const cell of cells) {
    const list = out.get(cell[field]) ?? [];
    list.push(cell);
    out.set(cell[field], list);
  }
  return out;
}

const COPY_BUCKETS = ['2', '3', '4', '5-9', '10+'] as const;
const TOP_REPEATED = 10;

function copyBucket(copies: number): (typeof COPY_BUCKETS)[number] {
  if (copies >= 10) return '10+';
  if (copies >= 5) return '5-9';
  return String(copies) as '2' | '3' | '4';
}

export function repeatedOf(tally: SplitTally): RepeatedRecords {
  const byCopies: Record<string, number> = Object.fromEntries(COPY_BUCKETS.map((b) => [b, 0]));
  const repeated: (readonly [number, number, number])[] = [];
  let extraCopies = 0;
  let maxCopies = 0;
  for (const entry of tally.keys.entries()) {
    const copies = entry[2];
    if (copies < 2) continue;
    repeated.push(entry);
    extraCopies += copies - 1;
    maxCopies = Math.max(maxCopies, copies);
    byCopies[copyBucket(copies)]!++;
  }
  repeated.sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]);
  const top: Example[] = repeated.slice(0, TOP_REPEATED).map(([hi, lo, copies]) => {
    const example = tally.repeatExamples.get(`${hi}:${lo}`);
    return example
      ? { ...example, copies }
      : {
          file: '',
          line: 0,
          source: '',
          group: '',
          text: '(no example kept: first seen after the first 1,000 repeated contents)',
          copies,
        };
  });
  return { keys: repeated.length, extraCopies, maxCopies, byCopies, top };
}

export function summarizeSplit(tally: SplitTally, options: SplitSummaryOptions): SplitAudit {
  const cells = [...tally.cells.values()];
  const rows = cells.reduce((n, c) => n + c.counters.rows, 0);
  const sorted = sortedValues(cells);
  const max: HistogramMax = {
    chars: percentile(sorted.chars, 0.99),
    tokens: percentile(sorted.tokens, 0.99),
    turns: sorted.turns[sorted.turns.length - 1] ?? 0,
  };
  const aligned = sliceOf(cells, rows, null, max, sorted);
  const cellsByGroup = groupBy(cells, 'group');
  const groupNames = new Set([...cellsByGroup.keys(), ...Object.keys(options.planned ?? {})]);
  const groups: Record<string, SliceStats> = {};
  for (const name of [...groupNames].sort(byName)) {
    groups[name] = sliceOf(
      cellsByGroup.get(name) ?? [],
      rows,
      options.planned?.[name] ?? (options.planned ? 0 : null),
      max,
    );
  }
  const sources: Record<string, SliceStats & { groups: string[] }> = {};
  const cellsBySource = groupBy(cells, 'source');
  for (const name of [...cellsBySource.keys()].sort(byName)) {
    const list = cellsBySource.get(name)!;
    sources[name] = { ...sliceOf(list, rows, null, max), groups: [...new Set(list.map((c) => c.group))].sort(byName) };
  }
  return {
    name: tally.name,
    rows,
    invalid: tally.invalid,
    invalidExamples: tally.invalidExamples,
    total: aligned,
    groups,
    sources,
    repeated: repeatedOf(tally),
    duplicateExamples: tally.duplicateExamples,
    leak: options.leakApplies ? { records: aligned.leaked, examples: tally.leakExamples } : null,
    nearDuplicates: options.near ? { records: aligned.nearDuplicates, examples: options.near.duplicates } : null,
    nearLeak:
      options.near && options.leakApplies ? { records: aligned.nearLeaked, examples: options.near.leaks } : null,
  };
}
