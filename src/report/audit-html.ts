/**
 * The audit report as one self-contained HTML page (pure: report object in, string out). Charts
 * are inline SVG and styles are inline; there is no script at all, and a Content-Security-Policy
 * forbids every fetch, so the page opens offline and cannot leak the data it shows.
 */
import type { AuditResult, SweepAudit, SweepPointAudit } from '../audit/report.js';
import { auditViolations } from '../audit/violations.js';
import { formatWhere } from '../errors.js';
import { esc } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { figure, int, pct } from './numbers.js';
import { subjectSection } from './html-subject.js';
import { saturationFigure } from './svg-saturation.js';
import { sweepGridSvg } from './svg-sweep-grid.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 0; } h3 { font-size: 15px; margin: 20px 0 6px; } h4 { font-size: 13px; margin: 12px 0 4px; }
.banner { padding: 10px 14px; border-radius: 4px; font-weight: 600; }
.banner.ok { background: #e3f4ea; color: #0b5d2a; } .banner.bad { background: #fde8e1; color: #8a2a00; }
section.subject { border-top: 2px solid #ddd; padding-top: 14px; margin-top: 28px; } section.subject.bad h2 { color: #8a2a00; }
.meta, .note { color: #666; font-size: 12px; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 12px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 8px; text-align: left; vertical-align: top; max-width: 460px; overflow-wrap: break-word; }
th { background: #f6f6f6; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { padding: 1px 6px; border-radius: 3px; font-size: 11px; } .status.ok { background: #e3f4ea; } .status.mismatch, .status.missing, .status.unlisted { background: #fde8e1; } .status.unverified { background: #eee; }
.charts { display: flex; flex-wrap: wrap; gap: 10px; }
.legend .key { margin-right: 14px; font-size: 12px; } .legend i { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; }
.legend i.tick { width: 0; border-left: 2px dashed #222; }
svg text { font: 11px system-ui, sans-serif; fill: #333; } svg text.inbar { fill: #fff; font-weight: 600; } svg text.title { font-weight: 600; }
svg .plan { stroke: #222; stroke-width: 2; stroke-dasharray: 4 3; } svg .axis { stroke: #999; } svg text.small { fill: #555; }
svg .pool { stroke: #555; stroke-width: 1.5; stroke-dasharray: 5 4; } svg text.flag { fill: #8a4b00; font-size: 9.5px; font-weight: 600; }
.legend i.hline { width: 16px; height: 0; border-top: 2px dashed #555; vertical-align: 3px; } .legend i.ring { width: 7px; height: 7px; border: 2.5px solid #D55E00; border-radius: 50%; background: #fff; }
ul.findings li { color: #8a2a00; }
`;

/** The grid, the saturation figure beside it, the table of points with what each really holds, and the sweep rules. */
function sweepSection(sweep: SweepAudit, subjects: AuditResult['subjects'], anchor: (i: number) => string): string {
  const flagged = sweep.points.filter((p) => p.flags.length > 0);
  // Token panels only when tokens were counted: an estimate is characters / 4, the rows panel again.
  const withTokens = subjects.length > 0 && subjects.every((s) => !s.tokenizer.estimate);
  const shortOf = (p: SweepPointAudit) =>
    sweep.groups
      .filter((g) => (p.audited?.groups[g]?.shortfall ?? 0) > 0)
      .map((g) => `${g} ${int(p.audited!.groups[g]!.shortfall!)}`)
      .join(', ');
  const repeatedOf = (p: SweepPointAudit) =>
    sweep.groups
      .filter((g) => (p.audited?.groups[g]?.repeated ?? 0) > 0)
      .map((g) => `${g} ${int(p.audited!.groups[g]!.repeated)}`)
      .join(', ');
  const rules = sweep.rules.map((r) => [
    { html: `<span class="status ${r.ok ? 'ok' : 'mismatch'}">${r.ok ? 'ok' : 'FAIL'}</span>` },
    r.rule,
    figure(r.actual),
  ]);
  return [
    `<h2>sweep grid: ${sweep.points.length} points (volume × shares)</h2>`,
    flagged.length > 0
      ? `<p class="banner bad">${flagged.length} of ${sweep.points.length} points do not hold what their names say: a realized share off its nominal share by more than ${esc(figure(sweep.tolerance))}, or the same training records as an earlier point (amber cells; details in the table)</p>`
      : '',
    sweepGridSvg(sweep, anchor),
    `<h3>saturation: what each group really got, by volume</h3>`,
    saturationFigure(sweep, withTokens),
    htmlTable(
      [
        'point',
        'volume',
        ...sweep.groups,
        'train rows',
        'validation rows',
        'train tokens (audit)',
        'train tokens (index)',
        ...sweep.groups.map((g) => `${g} realized · rows`),
        'short',
        'repeated',
        'same as',
        'flags',
        'status',
      ],
      sweep.points.map((p) => [
        p.path,
        p.volume === null ? '' : int(p.volume),
        ...sweep.groups.map((g) => String(p.shares[g] ?? '')),
        p.audited ? int(p.audited.trainRows) : 'missing',
        p.audited ? int(p.audited.validationRows) : '',
        p.audited ? int(p.audited.trainTokens) : '',
        p.index.trainTokens === null ? '' : int(p.index.trainTokens),
        ...sweep.groups.map((g) =>
          p.audited?.groups[g] ? `${pct(p.audited.groups[g].share)} · ${int(p.audited.groups[g].rows)}` : '',
        ),
        shortOf(p),
        repeatedOf(p),
        p.audited?.sameAs ?? '',
        p.flags.join(', '),
        p.audited ? (p.audited.ok ? 'ok' : 'problems') : 'missing',
      ]),
      { dataTable: 'sweep-points' },
    ),
    rules.length ? `<h3>sweep rules</h3>${htmlTable(['', 'rule', 'figure'], rules, { dataTable: 'sweep-rules' })}` : '',
  ].join('');
}

export function auditHtml(result: AuditResult): string {
  const violations = auditViolations(result);
  const anchor = (i: number) => `subject-${i}`;
  const title = result.sweep ? `sweep ${result.sweep.dir}` : result.subjects.map((s) => s.name).join(', ');
  const banner = result.ok
    ? '<p class="banner ok">ok: files match their manifests and every rule holds</p>'
    : `<p class="banner bad">${violations.length} problem${violations.length === 1 ? '' : 's'} found</p><ul class="findings">${violations.map((v) => `<li><b>${esc(v.code)}</b> ${v.where ? `${esc(formatWhere(v.where))}: ` : ''}${esc(v.message)}</li>`).join('')}</ul>`;
  const sweep = result.sweep ? sweepSection(result.sweep, result.subjects, anchor) : '';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>mixsmith audit: ${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>mixsmith audit: ${esc(title)}</h1>`,
    banner,
    sweep,
    ...result.subjects.map((s, i) => subjectSection(s, anchor(i))),
    '</body></html>',
    '',
  ].join('\n');
}
