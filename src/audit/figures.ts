/**
 * Every number an `--expect` rule can name, flattened from the report (pure). Names:
 * - `rows`, `rows.<split>`, `invalid`, `unreadable`, `empty`, `findings`
 * - `share.<group>` (main split), `share.<split>.<group>`
 * - `dup.exact`, `dup.verbatim` (all splits) and `.<split>`
 * - `dup.near` and `dup.near.<split>` (records near-duplicating an earlier one of their split,
 *   exact duplicates not counted), unless the check is off
 * - `leak` and `leak.<split>` (records of a split whose content is in train)
 * - `leak.near` and `leak.near.<split>` (records of a split near-duplicating a train record,
 *   exact leaks not counted), unless the check is off
 * - `contamination`, `contamination.<eval set>`, `contamination.<split>`: records contaminating
 *   an eval item by the n-gram rule compose's `decontaminate:` applies
 * - `chars|tokens|turns.<stat>` (main split), `.<split>.<stat>`, `.<split>.<group>.<stat>`,
 *   with stat one of min, mean, p50, p90, p95, p99, max
 * The main split is train, or the first split when there is no train.
 *
 * A sweep folder also has figures of its own, checked once for the whole sweep (not per point):
 * - `sweep.points`; `sweep.collapsed` (points whose train split is record-for-record an earlier
 *   point's), `sweep.deviating` (a realized share off its nominal share by more than the
 *   tolerance), `sweep.flagged` (either), `sweep.short` (a group got less than its nominal quota),
 *   `sweep.repeated` (a group holds repeated rows)
 * - `sweep.deviation`: the largest distance between a realized and a nominal share
 */
import type { Diagnostic } from '../errors.js';
import type { Distribution } from './distribution.js';
import type { EvalOverlap, SliceStats, SplitAudit, SweepPointAudit } from './report.js';
import { TRAIN_SPLIT } from './subject-tally.js';

const STATS = ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'] as const;
const MEASURES = ['chars', 'tokens', 'turns'] as const;

/** The split unqualified figures describe: train, else the first. */
export function mainSplit(splits: readonly SplitAudit[]): SplitAudit | undefined {
  return splits.find((s) => s.name === TRAIN_SPLIT) ?? splits[0];
}

function putDistribution(figures: Record<string, number>, prefix: string, d: Distribution): void {
  for (const stat of STATS) figures[`${prefix}.${stat}`] = d[stat];
}

function putMeasures(figures: Record<string, number>, prefix: string, slice: SliceStats): void {
  for (const measure of MEASURES)
    putDistribution(figures, prefix === '' ? measure : `${measure}.${prefix}`, slice[measure]);
}

/** Every figure of one subject, by name. */
export function figuresOf(report: {
  readonly splits: readonly SplitAudit[];
  readonly evals: readonly EvalOverlap[];
  readonly findings: readonly Diagnostic[];
  readonly unreadable?: number;
}): Record<string, number> {
  const figures: Record<string, number> = {};
  const { splits, evals } = report;
  const sum = (pick: (s: SplitAudit) => number) => splits.reduce((n, s) => n + pick(s), 0);
  figures.rows = sum((s) => s.rows);
  figures.invalid = sum((s) => s.invalid);
  // Records whose bytes could not be read at all (counted in `invalid` too): a wrong encoding shows here.
  figures.unreadable = report.unreadable ?? 0;
  figures.empty = sum((s) => s.total.empty);
  figures.findings = report.findings.length;
  figures['dup.exact'] = sum((s) => s.total.duplicates);
  figures['dup.verbatim'] = sum((s) => s.total.verbatimDuplicates);
  figures.leak = sum((s) => s.leak?.records ?? 0);
  figures.contamination = sum((s) => s.total.contaminated);
  // Near-duplicate figures exist only when the check ran, so a rule on them under --no-near is a
  // usage error rather than a vacuous pass.
  if (splits.some((s) => s.nearDuplicates !== null)) {
    figures['dup.near'] = sum((s) => s.total.nearDuplicates);
    figures['leak.near'] = sum((s) => s.total.nearLeaked);
  }
  const main = mainSplit(splits);
  if (main) {
    for (const [group, slice] of Object.entries(main.groups)) figures[`share.${group}`] = slice.share;
    putMeasures(figures, '', main.total);
  }
  for (const split of splits) {
    figures[`rows.${split.name}`] = split.rows;
    figures[`dup.exact.${split.name}`] = split.total.duplicates;
    figures[`dup.verbatim.${split.name}`] = split.total.verbatimDuplicates;
    if (split.leak) figures[`leak.${split.name}`] = split.leak.records;
    if (split.nearDuplicates) figures[`dup.near.${split.name}`] = split.nearDuplicates.records;
    if (split.nearLeak) figures[`leak.near.${split.name}`] = split.nearLeak.records;
    figures[`contamination.${split.name}`] = split.total.contaminated;
    for (const [group, slice] of Object.entries(split.groups)) {
      figures[`share.${split.name}.${group}`] = slice.share;
      putMeasures(figures, `${split.name}.${group}`, slice);
    }
    putMeasures(figures, split.name, split.total);
  }
  for (const overlap of evals) {
    figures[`contamination.${overlap.name}`] = Object.values(overlap.splits).reduce((n, s) => n + s.records, 0);
  }
  return figures;
}

/** Figures of a sweep as a whole, from its audited points. */
export function sweepFiguresOf(points: readonly SweepPointAudit[]): Record<string, number> {
  const count = (test: (p: SweepPointAudit) => boolean) => points.filter(test).length;
  const groups = (p: SweepPointAudit) => Object.values(p.audited?.groups ?? {});
  return {
    'sweep.points': points.length,
    'sweep.collapsed': count((p) => p.flags.includes('collapsed')),
    'sweep.deviating': count((p) => p.flags.includes('deviating')),
    'sweep.flagged': count((p) => p.flags.length > 0),
    'sweep.short': count((p) => groups(p).some((g) => (g.shortfall ?? 0) > 0)),
    'sweep.repeated': count((p) => groups(p).some((g) => g.repeated > 0)),
    'sweep.deviation': Math.max(0, ...points.map((p) => p.audited?.deviation ?? 0)),
  };
}
