/**
 * `mixsmith results --html`: one self-contained page (pure: report in, string out) with the
 * figure (a panel per task), the saturation read-outs, and the table of points with what each
 * really holds beside its metrics. No script; the same Content-Security-Policy as the audit page.
 */
import type { ResultsReport } from '../results/join.js';
import { esc } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { int, pct } from './numbers.js';
import { pointTable } from './results-text.js';
import { resultsFigure } from './svg-results.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin: 22px 0 6px; }
.note { color: #555; font-size: 12.5px; max-width: 900px; }
.banner { padding: 10px 14px; border-radius: 4px; font-weight: 600; background: #fdf1dc; color: #7a4a00; }
ul.warnings li { color: #7a4a00; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 12px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 8px; text-align: left; vertical-align: top; } td { white-space: nowrap; }
th { background: #f6f6f6; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.legend .key { margin-right: 14px; font-size: 12px; white-space: nowrap; } .legend i { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; }
.legend i.bar { width: 0; height: 12px; border-left: 1.5px solid #444; } .legend i.square { width: 7px; height: 7px; border: 2px solid #444; background: #fff; }
.legend i.sat { width: 11px; height: 11px; border: 1.5px solid #222; border-radius: 50%; }
svg text { font: 11px system-ui, sans-serif; fill: #333; } svg text.title { font-weight: 600; } svg text.small { fill: #555; }
svg .axis { stroke: #999; fill: none; } svg .grid { stroke: #eee; }
`;

export function resultsHtml(report: ResultsReport): string {
  const g = report.group;
  const title = `results of ${report.recipe} (${report.sweep})`;
  const readouts = htmlTable(
    ['task', `${g} share (nominal)`, 'saturation read-out: point', 'volume', `${g} rows`, 'value', 'best', 'within'],
    report.curves.map((c) => {
      const s = c.saturation;
      return [
        c.task,
        pct(c.share),
        s.point === null
          ? s.note
          : s.note.includes('no flat stretch')
            ? `${s.point} (still rising: no flat stretch inside the sweep)`
            : s.point,
        s.volume === null ? '' : int(s.volume),
        s.domainRows === null ? '' : int(s.domainRows),
        s.value === null ? '' : s.value.toFixed(4),
        `${s.best.value.toFixed(4)} (${s.best.point})`,
        s.point === null ? '' : `${s.tolerance.toFixed(4)} (${s.toleranceFrom})`,
      ];
    }),
    { dataTable: 'saturation-readout' },
  );
  const points = pointTable(report, { flags: true });
  const table = htmlTable(points.head, points.rows, { dataTable: 'results-points' });
  const warnings =
    report.warnings.length === 0
      ? ''
      : `<p class="banner">${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}</p><ul class="warnings">${report.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>mixsmith ${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>mixsmith ${esc(title)}</h1>`,
    `<p class="note">Each point is drawn at the ${esc(g)} training rows it really holds (sweep.json), not at the volume its name says; a hollow square is a point whose training rows are record for record those of an earlier point. Curves join the points of one nominal ${esc(g)} share by volume. Train tokens: ${esc(report.points[0]?.tokenMethod ?? '')}.</p>`,
    warnings,
    resultsFigure(report),
    '<h2>saturation read-out</h2>',
    `<p class="note">Read from the data, not a fitted law: per task and nominal share, the smallest volume whose metric is within one stderr of the best point's (its own stderr), or within --tolerance when given.</p>`,
    readouts,
    '<h2>points</h2>',
    table,
    '</body></html>',
    '',
  ].join('\n');
}
