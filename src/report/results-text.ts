/** `mixsmith results` as text: a row per point, its metrics beside what it really holds; the read-outs; the warnings. */
import type { ResultsReport } from '../results/join.js';
import { int, pct } from './numbers.js';
import { textTable } from './text-table.js';

/** 0.71234 ± 0.0123 → "0.7123 ±0.0123". */
export function metricText(value: number, stderr: number | null): string {
  return stderr === null ? value.toFixed(4) : `${value.toFixed(4)} ±${stderr.toFixed(4)}`;
}

/**
 * The per-point table both reports show: header and cells, the composition the point really holds
 * beside each task's metric. `flags` adds the flags column (the HTML page has room for it).
 */
export function pointTable(
  report: ResultsReport,
  options: { readonly flags: boolean },
): { head: string[]; rows: string[][] } {
  const g = report.group;
  const head = [
    'point',
    'volume',
    `${g} share`,
    `${g} rows`,
    `${g} tokens`,
    `realized ${g}`,
    'train tokens',
    `${g} shortfall`,
    'same as',
    ...(options.flags ? ['flags'] : []),
    ...report.tasks.map((t) => `${t.task} ${t.metric}`),
  ];
  const rows = report.points.map((p) => [
    p.name,
    int(p.volume),
    pct(p.share),
    int(p.domainRows),
    p.domainTokens === null ? '' : int(p.domainTokens),
    pct(p.domainShare),
    int(p.trainTokens),
    p.shortfall > 0 ? int(p.shortfall) : '0',
    p.sameAs ?? '',
    ...(options.flags ? [p.flags.join(', ')] : []),
    ...report.tasks.map((t) => {
      const m = p.metrics[t.task];
      return m ? metricText(m.value, m.stderr) : '—';
    }),
  ]);
  return { head, rows };
}

export function resultsText(report: ResultsReport): string {
  const g = report.group;
  const { head, rows } = pointTable(report, { flags: false });
  const readouts = report.curves.map((c) => {
    const s = c.saturation;
    const where =
      s.point === null
        ? s.note
        : `reaches ${s.value!.toFixed(4)} at volume ${int(s.volume!)} (${int(s.domainRows!)} ${g} rows, ${s.point}), within ${s.tolerance.toFixed(4)} (${s.toleranceFrom}) of its best ${s.best.value.toFixed(4)} at ${s.best.point}`;
    const flat = s.point !== null && s.note.includes('no flat stretch') ? ' (no flat stretch inside this sweep)' : '';
    return `  ${c.task}, ${g} ${pct(c.share)}: ${where}${flat}`;
  });
  const tokenNote = report.points[0] ? `train tokens: ${report.points[0].tokenMethod}` : '';
  return [
    `results of ${report.points.length} sweep points of "${report.recipe}" (${report.sweep}); x of the figure: ${g} training rows as realized`,
    '',
    textTable([head, ...rows]),
    tokenNote,
    '',
    'saturation read-out (read from the data, not a fitted law: per share, the smallest volume whose metric is within one stderr of the best, or --tolerance):',
    ...readouts,
    ...report.warnings.map((w) => `WARNING: ${w}`),
  ].join('\n');
}
