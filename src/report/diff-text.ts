/** A diff report as terminal text (pure): counts per group and source, contents, same records or not, recipe changes. */
import type { Example } from '../audit/report.js';
import type { DiffReport, DiffSideSummary } from '../diff/diff.js';
import { figure, int } from './numbers.js';
import { textTable } from './text-table.js';

const signed = (n: number) => (n > 0 ? `+${int(n)}` : n < 0 ? int(n) : '0');

function deltaTable(title: string, rows: DiffReport['groups']): string {
  const changed = rows.filter((r) => r.delta !== 0);
  const body = rows.map((r) => [r.split, r.name, int(r.a), int(r.b), signed(r.delta)]);
  return `${title} (${changed.length} of ${rows.length} changed)\n${textTable([
    ['split', title.replace(/s$/, ''), 'A', 'B', 'Δ'],
    ...body,
  ])
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}`;
}

function examples(title: string, list: readonly Example[]): string[] {
  if (list.length === 0) return [];
  return [title, ...list.map((e) => `  ${e.file}:${e.line}${e.origin ? ` (${e.origin})` : ''} [${e.group}] ${e.text}`)];
}

function valueText(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** `sweep point v400-medical0.75: volume 400, shares medical 0.75 / general 0.25; `, or nothing. */
function pointText(side: DiffSideSummary): string {
  const p = side.point;
  if (!p) return '';
  const shares = Object.entries(p.shares).map(([g, s]) => `${g} ${figure(s)}`);
  return `sweep point ${p.name}: volume ${int(p.volume)}, shares ${shares.join(' / ')}; `;
}

/** The loud line when A and B are the same data, naming what each claims to be. */
function sameText(report: DiffReport): string[] {
  const { a, b, same } = report;
  if (!same.train) return ['train records: different'];
  const what = same.all ? 'every split holds' : 'the train splits hold';
  const names =
    a.point && b.point && a.point.name !== b.point.name
      ? `: sweep points ${a.point.name} and ${b.point.name} are one training set under two names`
      : '';
  return [`SAME RECORDS: ${what} record for record the same data in A and B (contents, copies and order)${names}`];
}

export function diffText(report: DiffReport): string {
  const { a, b, contents: c } = report;
  const lines = [
    `A: ${a.name} (${pointText(a)}${a.kind}, ${int(a.rows)} rows, ${int(a.distinct)} distinct contents${a.recipe ? `, recipe "${a.recipe.name}" seed ${a.seed}` : ''})`,
    `B: ${b.name} (${pointText(b)}${b.kind}, ${int(b.rows)} rows, ${int(b.distinct)} distinct contents${b.recipe ? `, recipe "${b.recipe.name}" seed ${b.seed}` : ''})`,
    '',
    deltaTable('groups', report.groups),
    '',
    deltaTable('sources', report.sources),
    '',
    `contents: ${int(c.common)} in both, ${int(c.added)} added in B, ${int(c.removed)} removed from A; Jaccard ${c.jaccard.toFixed(4)}`,
    ...examples('added (examples):', c.addedExamples),
    ...examples('removed (examples):', c.removedExamples),
    ...sameText(report),
    '',
  ];
  const r = report.recipe;
  if (!r.compared) lines.push(`recipes: not compared (${r.note})`);
  else if (r.same) lines.push('recipes: identical (same resolved recipe and seed)');
  else
    lines.push(
      `recipes differ at ${r.differences.length} place${r.differences.length === 1 ? '' : 's'}:`,
      ...r.differences.map((d) => `  ${d.path}: ${valueText(d.a)} → ${valueText(d.b)}`),
    );
  return lines.join('\n');
}
