/** Human-readable summaries of results, for stderr. Plain text tables, no colours. */
import type { Manifest } from '../compose/manifest.js';
import type { PlanReport } from '../compose/plan-report.js';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ')).join('\n');
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function composeSummary(out: string, manifest: Manifest): string {
  const groupRows = [['group', 'share', 'quota', 'available', 'train', 'validation', 'shortfall']];
  for (const [name, g] of Object.entries(manifest.groups)) {
    groupRows.push([name, pct(g.share), String(g.quota), String(g.available), String(g.selected), String(g.validation.selected), String(g.shortfall)]);
  }
  const sourceRows = [['source', 'group', 'read', 'invalid', 'duplicates', 'cross-group', 'available', 'selected']];
  for (const [name, s] of Object.entries(manifest.sources)) {
    sourceRows.push([name, s.group, String(s.read), String(s.invalid), String(s.duplicates), String(s.crossGroupDuplicates), String(s.available), String(s.selected + s.validationSelected)]);
  }
  const files = manifest.files.map((f) => `  ${f.path}  ${f.rows} rows  ${f.bytes} bytes`).join('\n');
  const total = Object.values(manifest.run.durationMs).reduce((a, b) => a + b, 0);
  return [
    `composed "${manifest.recipe.name}" (seed ${manifest.seed}) into ${out}`,
    '',
    table(groupRows),
    '',
    table(sourceRows),
    '',
    files,
    `  manifest.json`,
    '',
    `done in ${(total / 1000).toFixed(2)} s`,
  ].join('\n');
}

export function planSummary(report: PlanReport): string {
  const groupRows = [['group', 'share', 'quota', 'validation', 'available', 'shortfall']];
  for (const g of report.groups) {
    groupRows.push([g.group, pct(g.share), String(g.quota), String(g.validationQuota), String(g.available), String(g.shortfall + g.validationShortfall)]);
  }
  const sourceRows = [['source', 'group', 'files', 'read', 'invalid', 'duplicates', 'cross-group', 'available']];
  for (const s of report.sources) {
    sourceRows.push([s.name, s.group, String(s.files), String(s.read), String(s.invalid), String(s.duplicates), String(s.crossGroupDuplicates), String(s.available)]);
  }
  const verdict = report.shortfalls.length === 0 ? 'every group can fill its quota' : `short (shortage: ${report.shortage}):\n  ${report.shortfalls.join('\n  ')}`;
  return [`plan "${report.name}": ${report.volume} training + ${report.validation} validation records (seed ${report.seed})`, '', table(groupRows), '', table(sourceRows), '', verdict].join('\n');
}
