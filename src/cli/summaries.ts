/** Human-readable summaries of results, for stderr. Plain text tables, no colours. */
import type { EvalSetReport } from '../decontam/contamination-tally.js';
import type { Manifest, RunInfo } from '../manifest/manifest.js';
import type { PlanReport } from '../compose/plan-report.js';
import type { MixturePlan } from '../plan/plan.js';
import type { SweepIndex } from '../manifest/sweep-index.js';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows
    .map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '))
    .join('\n');
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Wall time, throughput and peak memory per phase. */
export function runLine(run: RunInfo): string {
  const total = Object.values(run.durationMs).reduce((a, b) => a + b, 0);
  const phases = Object.entries(run.durationMs).map(([phase, ms]) => {
    const details = [
      phase === 'scan' && run.scanMBPerSecond ? `${run.scanMBPerSecond} MB/s` : '',
      run.peakRssBytes?.[phase] ? `peak ${Math.round(run.peakRssBytes[phase] / 1e6)} MB` : '',
    ].filter(Boolean);
    return `${phase} ${(ms / 1000).toFixed(2)} s${details.length ? ` (${details.join(', ')})` : ''}`;
  });
  return `done in ${(total / 1000).toFixed(2)} s: ${phases.join(', ')}`;
}

export function sweepSummary(out: string, index: SweepIndex, run: RunInfo): string {
  const groups = Object.keys(index.points[0]?.shares ?? {});
  const unit = index.unit === 'tokens' ? ' tokens' : '';
  const rows = [
    [
      'point',
      'volume',
      'train',
      'validation',
      `tokens (${index.points[0]?.tokenMethod ?? ''})`,
      ...groups.map((g) => `${g} realized`),
      'short',
      'same as',
      'flags',
    ],
  ];
  for (const p of index.points) {
    const short = groups.filter((g) => (p.shortfall[g] ?? 0) > 0).map((g) => `${g} ${p.shortfall[g]}${unit}`);
    rows.push([
      p.path,
      String(p.volume),
      String(p.rows.train),
      String(p.rows.validation),
      String(p.trainTokens),
      ...groups.map((g) => pct(p.realized.shares[g] ?? 0)),
      short.join(', ') || '-',
      p.sameAs ?? '-',
      p.flags.join(', ') || 'ok',
    ]);
  }
  const flagged = index.warnings.length;
  const warnings =
    flagged === 0
      ? []
      : [
          '',
          `WARNING: ${flagged} of ${index.points.length} points do not hold what their names say (a share off by more than ${(index.tolerance * 100).toFixed(1)} percentage points, or the same training rows as an earlier point):`,
          ...index.warnings.map((w) => `WARNING: ${w}`),
        ];
  return [
    `composed ${index.points.length} sweep points of "${index.recipe.name}" (seed ${index.seed}) into ${out}`,
    '',
    table(rows),
    ...warnings,
    '',
    '  sweep.json, sweep.csv, removed.jsonl',
    '',
    runLine(run),
  ].join('\n');
}

export function composeSummary(out: string, manifest: Manifest): string {
  const groupRows = [['group', 'share', 'quota', 'available', 'train', 'validation', 'shortfall']];
  for (const [name, g] of Object.entries(manifest.groups)) {
    groupRows.push([
      name,
      pct(g.share),
      String(g.quota),
      String(g.available),
      String(g.selected),
      String(g.validation.selected),
      String(g.shortfall),
    ]);
  }
  const sourceRows = [['source', 'group', 'read', 'invalid', 'duplicates', 'cross-group', 'available', 'selected']];
  for (const [name, s] of Object.entries(manifest.sources)) {
    sourceRows.push([
      name,
      s.group,
      String(s.read),
      String(s.invalid),
      String(s.duplicates),
      String(s.crossGroupDuplicates),
      String(s.available),
      String(s.selected + s.validationSelected),
    ]);
  }
  const files = manifest.files.map((f) => `  ${f.path}  ${f.rows} rows  ${f.bytes} bytes`).join('\n');
  return [
    `composed "${manifest.recipe.name}" (seed ${manifest.seed}) into ${out}`,
    '',
    table(groupRows),
    '',
    table(sourceRows),
    '',
    files,
    ...manifest.layouts.map((l) => `  ${l.path}`),
    `  ${manifest.evidence.removed.path}  ${manifest.evidence.removed.rows} records left out, with the reason`,
    `  manifest.json`,
    ...decontaminationLines(manifest.evidence.decontamination),
    ...manifest.evidence.warnings.map((w) => `\nwarning: ${w}`),
    '',
    runLine(manifest.run),
  ].join('\n');
}

/** Per eval set what decontamination read and removed, zeros included; nothing without `decontaminate:`. */
export function decontaminationLines(sets: readonly EvalSetReport[] | null): string[] {
  if (sets === null) return [];
  const lines = ['', 'decontamination:'];
  for (const s of sets) {
    const removed = Object.entries(s.removedBySource).map(([source, n]) => `${source} ${n}`);
    const short =
      s.tooShort > 0 ? ` (${s.tooShortIds.join(', ')}${s.tooShort > s.tooShortIds.length ? ', …' : ''})` : '';
    lines.push(
      `  ${s.set}: ${s.items} items read, ${s.indexed} indexed, ${s.tooShort} too short${short}; ${s.itemsHit} hit (${s.itemsHitExact} question whole, ${s.itemsHitOverlap} n-gram overlap); training records removed: ${removed.join(', ') || '0'}`,
    );
    const example = s.examples[0];
    if (example)
      lines.push(`    e.g. ${example.trainingId} holds ${example.evalId} (${example.layer}): "${example.example}"`);
  }
  return lines;
}

/** The plan alone: quotas per point and pool, no input read. */
export function planSummary(name: string, seed: number, plan: MixturePlan): string {
  const unit = plan.unit === 'tokens' ? 'tokens' : 'records';
  const lines = [
    `plan "${name}" (seed ${seed}): quotas in ${unit}; ${plan.validation} validation ${plan.validationUnit === 'tokens' ? 'tokens' : 'records'} shared by every point`,
    '',
  ];
  const rows = [['point', 'volume', ...plan.pools.map((pool) => `${pool} quota`)]];
  for (const point of plan.points)
    rows.push([
      point.name || '(mixture)',
      String(point.volume),
      ...plan.pools.map((pool) => String(point.quotas[pool] ?? 0)),
    ]);
  rows.push([
    'validation',
    String(plan.validation),
    ...plan.pools.map((pool) => String(plan.validationQuotas[pool] ?? 0)),
  ]);
  lines.push(
    table(rows),
    '',
    'the inputs were not read: add --availability to check every quota against what they hold',
  );
  return lines.join('\n');
}

/** The plan against the inputs: quotas, availability, shortfalls per point and source. */
export function availabilitySummary(report: PlanReport): string {
  const lines = [
    `plan "${report.name}" (seed ${report.seed}, shortage: ${report.shortage}), ${report.validation} validation records shared by every point`,
    '',
  ];
  const groups = report.points[0]?.groups.map((g) => g.group) ?? [];
  const pointRows = [['point', 'volume', ...groups.flatMap((g) => [`${g} quota`, `${g} avail`]), 'status']];
  for (const p of report.points) {
    const status = p.error
      ? 'SHORT'
      : p.groups.some((g) => g.epochs > 1)
        ? 'repeats'
        : p.groups.some((g) => g.quota !== g.plannedQuota)
          ? 'redistributed'
          : p.groups.some((g) => g.shortfall > 0)
            ? 'capped'
            : 'ok';
    pointRows.push([
      p.name || '(mixture)',
      String(p.volume),
      ...p.groups.flatMap((g) => [String(g.plannedQuota), String(g.available)]),
      status,
    ]);
  }
  lines.push(table(pointRows), '');
  const sourceRows = [['source', 'group', 'files', 'read', 'invalid', 'duplicates', 'cross-group', 'available']];
  for (const s of report.sources) {
    sourceRows.push([
      s.name,
      s.group,
      String(s.files),
      String(s.read),
      String(s.invalid),
      String(s.duplicates),
      String(s.crossGroupDuplicates),
      String(s.available),
    ]);
  }
  lines.push(table(sourceRows), '');
  lines.push(
    report.shortfalls.length === 0
      ? 'every group can fill its quota at every point'
      : `short or adjusted:\n  ${report.shortfalls.join('\n  ')}`,
  );
  lines.push(...decontaminationLines(report.decontamination), ...report.warnings.map((w) => `\n${w}`));
  return lines.join('\n');
}
