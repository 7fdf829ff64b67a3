/**
 * The sweep grid: volumes across, share vectors down, one cell per point with its training rows
 * and tokens as audited; shading by rows, red outline for a point with problems, grey when its
 * folder is missing. A point that is not what its name says (a realized share off the nominal
 * one, or the same training records as an earlier point) gets a dashed amber outline and a third
 * line saying which. Each cell links to the point's section of the report.
 */
import type { SweepAudit, SweepGroupAudit, SweepPointAudit } from '../audit/report.js';
import { esc } from './html-escape.js';
import { int, pct } from './numbers.js';

const CELL_W = 140;
const CELL_H = 66;
const LEFT = 170;
const TOP = 30;

export function sharesLabel(shares: Readonly<Record<string, number>>, groups: readonly string[]): string {
  return groups.map((g) => `${g} ${Number((shares[g] ?? 0).toFixed(4))}`).join(' / ');
}

export function sweepGridSvg(sweep: SweepAudit, anchorOf: (subject: number) => string): string {
  const rowsLabels = [...new Set(sweep.points.map((p) => sharesLabel(p.shares, sweep.groups)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const volumes = sweep.volumes.length > 0 ? sweep.volumes : [0];
  const width = LEFT + volumes.length * CELL_W + 10;
  const height = TOP + rowsLabels.length * CELL_H + 10;
  const maxRows = Math.max(1, ...sweep.points.map((p) => p.audited?.trainRows ?? 0));
  const parts: string[] = [];
  for (const [i, v] of volumes.entries())
    parts.push(
      `<text x="${LEFT + i * CELL_W + CELL_W / 2}" y="${TOP - 10}" text-anchor="middle" class="label">${esc(int(v))}</text>`,
    );
  for (const [j, label] of rowsLabels.entries())
    parts.push(
      `<text x="${LEFT - 8}" y="${TOP + j * CELL_H + CELL_H / 2 + 4}" text-anchor="end" class="label">${esc(label)}</text>`,
    );
  for (const point of sweep.points) {
    const i = Math.max(0, volumes.indexOf(point.volume ?? 0));
    const j = rowsLabels.indexOf(sharesLabel(point.shares, sweep.groups));
    parts.push(cell(point, LEFT + i * CELL_W, TOP + j * CELL_H, maxRows, anchorOf));
  }
  return `<svg data-chart="sweep-grid" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="sweep grid: volume by shares">${parts.join('')}</svg>`;
}

/** The third line of a cell: the twin of a collapsed point, else the group furthest off its share. */
function flagLine(point: SweepPointAudit): string {
  const a = point.audited;
  if (!a || point.flags.length === 0) return '';
  if (a.sameAs !== null) return `= ${a.sameAs}`;
  // The group whose pool ran out furthest is the cause; the others only moved to make room.
  const off = (g: SweepGroupAudit) => Math.abs(g.share - g.nominal);
  const [group, g] = Object.entries(a.groups).reduce((best, e) =>
    (e[1].shortfall ?? 0) > (best[1].shortfall ?? 0) ||
    ((e[1].shortfall ?? 0) === (best[1].shortfall ?? 0) && off(e[1]) > off(best[1]))
      ? e
      : best,
  );
  return `${group} ${pct(g.share)} ≠ ${pct(g.nominal)}`;
}

function cell(
  point: SweepPointAudit,
  x: number,
  y: number,
  maxRows: number,
  anchorOf: (subject: number) => string,
): string {
  const a = point.audited;
  const shade = a ? 0.15 + 0.6 * (a.trainRows / maxRows) : 0;
  const fill = a ? `rgba(0,114,178,${shade.toFixed(3)})` : '#ddd';
  const flagged = point.flags.length > 0;
  const stroke =
    a && !a.ok
      ? ' stroke="#D55E00" stroke-width="3"'
      : flagged
        ? ' stroke="#E69F00" stroke-width="3" stroke-dasharray="6 3"'
        : ' stroke="#fff" stroke-width="2"';
  const lines = a ? [`${int(a.trainRows)} rows`, `${int(a.trainTokens)} tok`, flagLine(point)] : ['missing', '', ''];
  const flags = flagged
    ? `; ${point.flags.join(', ')}${a?.sameAs ? ` (same training records as ${a.sameAs})` : ''}`
    : '';
  const title = `${point.path}: ${a ? `${a.trainRows} train rows, ${a.validationRows} validation, ${a.trainTokens} tokens${flags}` : 'folder missing'}`;
  const third = lines[2]
    ? `<text x="${x + CELL_W / 2}" y="${y + 56}" text-anchor="middle" class="cell small flag">${esc(lines[2])}</text>`
    : '';
  const body = `<rect x="${x + 2}" y="${y + 2}" width="${CELL_W - 4}" height="${CELL_H - 4}" fill="${fill}"${stroke} data-point="${esc(point.path)}"${flagged ? ` data-flags="${esc(point.flags.join(' '))}"` : ''}><title>${esc(title)}</title></rect><text x="${x + CELL_W / 2}" y="${y + 24}" text-anchor="middle" class="cell">${esc(lines[0]!)}</text><text x="${x + CELL_W / 2}" y="${y + 40}" text-anchor="middle" class="cell small">${esc(lines[1]!)}</text>${third}`;
  return point.subject === null ? body : `<a href="#${esc(anchorOf(point.subject))}">${body}</a>`;
}
