/**
 * One audited mixture or dataset as an HTML section (pure): composition bar, group tables,
 * length histograms per group, duplicate / near-duplicate / leak / contamination tables with
 * examples, files, rules and notes.
 */
import type { Example, SplitAudit, SubjectAudit } from '../audit/report.js';
import { esc } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { figure, int, pct, points } from './numbers.js';
import { evalSection } from './html-eval.js';
import { nearDupMethod, nearDupSection } from './html-near-dup.js';
import { colorMap } from './palette.js';
import { compositionSvg } from './svg-composition.js';
import { histogramSvg } from './svg-histogram.js';

/** Histograms are drawn for this many groups of a split; the table covers the rest. */
const MAX_HISTOGRAM_GROUPS = 12;

function exampleRows(examples: readonly Example[]): (string | number)[][] {
  return examples.map((e) => [`${e.file}:${e.line}`, e.origin ?? '', e.group, e.copies ?? '', e.text]);
}

function examplesTable(title: string, examples: readonly Example[], name: string): string {
  if (examples.length === 0) return '';
  return `<h4>${esc(title)}</h4>${htmlTable(['where', 'origin', 'group', 'copies', 'text'], exampleRows(examples), { dataTable: name })}`;
}

/** Near-duplicate columns, present only when the check ran. */
function nearCells(
  split: SplitAudit,
  slice: { readonly nearDuplicates: number; readonly nearLeaked: number },
): string[] {
  if (!split.nearDuplicates) return [];
  return [int(slice.nearDuplicates), ...(split.nearLeak ? [int(slice.nearLeaked)] : [])];
}

function nearHead(split: SplitAudit): string[] {
  if (!split.nearDuplicates) return [];
  return ['near dup', ...(split.nearLeak ? ['near leak'] : [])];
}

function groupTable(split: SplitAudit, tokenWord: string): string {
  const rows = [...Object.entries(split.groups), ['(all)', split.total] as const].map(([name, g]) => [
    name,
    int(g.rows),
    pct(g.share),
    g.plannedShare === null ? '' : pct(g.plannedShare),
    g.plannedShare === null ? '' : points(g.share - g.plannedShare),
    `${int(g.chars.p50)} / ${int(g.chars.p95)} / ${int(g.chars.max)}`,
    `${int(g.tokens.p50)} / ${int(g.tokens.p95)} / ${int(g.tokens.max)}`,
    `${g.turns.min}–${g.turns.max}`,
    int(g.duplicates),
    int(g.verbatimDuplicates),
    ...nearCells(split, g),
    int(g.leaked),
    int(g.contaminated),
  ]);
  const head = [
    'group',
    'rows',
    'share',
    'planned',
    'Δ',
    'chars p50/p95/max',
    `${tokenWord} p50/p95/max`,
    'turns',
    'dup',
    'verbatim dup',
    ...nearHead(split),
    'leak',
    'eval',
  ];
  return htmlTable(head, rows, { dataTable: `groups-${split.name}` });
}

function sourceTable(split: SplitAudit): string {
  const rows = Object.entries(split.sources).map(([name, s]) => [
    name,
    s.groups.join(', '),
    int(s.rows),
    int(s.sourceDuplicates),
    int(s.duplicates),
    int(s.verbatimDuplicates),
    ...nearCells(split, s),
    int(s.empty),
    int(s.leaked),
    int(s.contaminated),
  ]);
  const head = [
    'source',
    'groups',
    'rows',
    'dup in source',
    'dup in split',
    'verbatim dup',
    ...nearHead(split),
    'empty',
    'leak',
    'eval',
  ];
  return `<details><summary>${Object.keys(split.sources).length} sources</summary>${htmlTable(head, rows, { dataTable: `sources-${split.name}` })}</details>`;
}

function histograms(split: SplitAudit, colors: ReadonlyMap<string, string>, tokenWord: string): string {
  const groups = Object.entries(split.groups).filter(([, g]) => g.rows > 0);
  const shown = groups.slice(0, MAX_HISTOGRAM_GROUPS);
  const charts = shown.flatMap(([name, g]) => [
    histogramSvg(g.chars.histogram, {
      title: `${name}: characters (p50 ${int(g.chars.p50)}, p95 ${int(g.chars.p95)})`,
      color: colors.get(name) ?? '#999',
      group: name,
      measure: 'chars',
    }),
    histogramSvg(g.tokens.histogram, {
      title: `${name}: ${tokenWord} (p50 ${int(g.tokens.p50)}, p95 ${int(g.tokens.p95)})`,
      color: colors.get(name) ?? '#999',
      group: name,
      measure: 'tokens',
    }),
  ]);
  const more =
    groups.length > shown.length
      ? `<p class="note">${groups.length - shown.length} more groups: see the table above.</p>`
      : '';
  return `<div class="charts">${charts.join('')}</div>${more}`;
}

function splitSection(split: SplitAudit, colors: ReadonlyMap<string, string>, tokenWord: string): string {
  const r = split.repeated;
  const copies = Object.entries(r.byCopies)
    .map(([k, v]) => `${k}×: ${int(v)}`)
    .join(', ');
  return [
    `<h3>split ${esc(split.name)}: ${int(split.rows)} rows${split.invalid ? `, ${int(split.invalid)} unreadable` : ''}</h3>`,
    groupTable(split, tokenWord),
    sourceTable(split),
    histograms(split, colors, tokenWord),
    `<p>Duplicates: <b>${int(split.total.duplicates)}</b> exact (normalised), ${int(split.total.verbatimDuplicates)} verbatim; ${int(r.keys)} contents repeated (${copies}).${split.leak ? ` Leak from train: <b>${int(split.leak.records)}</b>.` : ''}</p>`,
    examplesTable('most repeated contents', r.top, `repeated-${split.name}`),
    examplesTable('duplicate examples', split.duplicateExamples, `duplicates-${split.name}`),
    split.leak ? examplesTable('records also in train', split.leak.examples, `leak-${split.name}`) : '',
    nearDupSection(split),
    split.invalidExamples.length
      ? `<h4>unreadable records</h4><ul>${split.invalidExamples.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`
      : '',
  ].join('');
}

export function subjectSection(subject: SubjectAudit, anchor: string): string {
  const groups = [...new Set(subject.splits.flatMap((s) => Object.keys(s.groups)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const colors = colorMap(groups);
  const tokenWord = subject.tokenizer.estimate ? '≈tokens' : 'tokens';
  const m = subject.manifest;
  const meta = [
    subject.kind,
    m.recipe ? `recipe "${m.recipe.name}" (sha256 ${m.recipe.sha256.slice(0, 12)}…), seed ${m.seed}` : '',
    `manifest: ${m.status}`,
    `tokens: ${subject.tokenizer.label}`,
    nearDupMethod(subject.nearDuplicates),
  ].filter(Boolean);
  const legend = groups
    .map((g) => `<span class="key"><i style="background:${colors.get(g)}"></i>${esc(g)}</span>`)
    .join('');
  const files = subject.files.map((f) => [
    f.path,
    f.role,
    f.split,
    f.format,
    f.schema,
    int(f.rows),
    int(f.bytes),
    f.sha256.slice(0, 16),
    { html: `<span class="status ${f.status}">${f.status}</span>` },
  ]);
  const rules = subject.rules.map((r) => [
    { html: `<span class="status ${r.ok ? 'ok' : 'mismatch'}">${r.ok ? 'ok' : 'FAIL'}</span>` },
    r.rule,
    figure(r.actual),
  ]);
  return [
    `<section id="${esc(anchor)}" class="subject${subject.findings.length || subject.rules.some((r) => !r.ok) ? ' bad' : ''}">`,
    `<h2>${esc(subject.name)}</h2><p class="meta">${meta.map(esc).join(' · ')}</p>`,
    subject.findings.length
      ? `<ul class="findings">${subject.findings.map((f) => `<li><b>${esc(f.code)}</b> ${esc(f.message)}</li>`).join('')}</ul>`
      : '',
    rules.length ? `<h3>rules</h3>${htmlTable(['', 'rule', 'figure'], rules, { dataTable: 'rules' })}` : '',
    `<h3>composition</h3>${compositionSvg(subject.splits, colors)}<p class="legend">${legend} <span class="key"><i class="tick"></i>planned boundary</span></p>`,
    ...subject.splits.map((s) => splitSection(s, colors, tokenWord)),
    evalSection(subject),
    `<h3>files</h3>${htmlTable(['file', 'role', 'split', 'format', 'read as', 'rows', 'bytes', 'sha256', 'status'], files, { dataTable: 'files' })}`,
    subject.skipped.length
      ? `<details><summary>${subject.skipped.length} files not read</summary><ul>${subject.skipped.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></details>`
      : '',
    subject.notes.length ? `<ul class="notes">${subject.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '',
    '</section>',
  ].join('');
}
