/**
 * The saturation figure of a sweep: per group, the training rows it really got (and, with a real
 * tokenizer, their tokens) against volume, one line per nominal share vector. Where the group's
 * pool ran out (a shortfall against its nominal quota) the point is drawn hollow with a red ring,
 * and a dashed line marks the pool's size (its distinct records outside validation): a line that bends flat there is a group that stopped
 * growing, whatever the points' names say. Pure SVG, no script.
 */
import type { SweepAudit, SweepPointAudit } from '../audit/report.js';
import { esc } from './html-escape.js';
import { int, pct } from './numbers.js';
import { colorOf } from './palette.js';
import { sharesLabel } from './svg-sweep-grid.js';

const WIDTH = 440;
const HEIGHT = 250;
const LEFT = 64;
const RIGHT = 16;
const TOP = 26;
const BOTTOM = 40;
const SHORT = '#D55E00';

export type SaturationMeasure = 'rows' | 'tokens';

/** One line of the figure: the points of one share vector, by volume. */
export interface SaturationLine {
  readonly label: string;
  readonly color: string;
  readonly points: readonly SweepPointAudit[];
}

/** Audited points with a volume, one line per share vector (sorted as the grid's rows), each by volume. */
export function saturationLines(sweep: SweepAudit): SaturationLine[] {
  const byLabel = new Map<string, SweepPointAudit[]>();
  for (const p of sweep.points) {
    if (p.audited === null || p.volume === null) continue;
    const label = sharesLabel(p.shares, sweep.groups);
    byLabel.set(label, [...(byLabel.get(label) ?? []), p]);
  }
  const labels = [...byLabel.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return labels.map((label, i) => ({
    label,
    color: colorOf(i),
    points: byLabel.get(label)!.sort((a, b) => a.volume! - b.volume!),
  }));
}

const fixed = (n: number) => n.toFixed(1);

/** The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above `n`, for an axis top. */
export function niceCeil(n: number): number {
  if (n <= 0) return 1;
  const base = 10 ** Math.floor(Math.log10(n));
  return [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * base).find((v) => v >= n - 1e-9 * base)!;
}

/** One panel: `measure` of `group` against volume. */
export function saturationSvg(
  sweep: SweepAudit,
  lines: readonly SaturationLine[],
  group: string,
  measure: SaturationMeasure,
): string {
  const amountOf = (p: SweepPointAudit) =>
    measure === 'rows' ? (p.audited!.groups[group]?.rows ?? 0) : (p.audited!.groups[group]?.tokens ?? 0);
  const all = lines.flatMap((l) => l.points);
  const pool = measure === 'rows' ? Math.max(0, ...all.map((p) => p.audited!.groups[group]?.pool ?? 0)) : 0;
  const maxX = Math.max(1, ...all.map((p) => p.volume!));
  // Headroom above the highest value, so the pool line and its label stay clear of the title.
  const maxY = niceCeil(1.08 * Math.max(1, pool, ...all.map(amountOf)));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (v: number) => LEFT + (v / maxX) * plotW;
  const y = (v: number) => TOP + plotH - (v / maxY) * plotH;
  const parts: string[] = [];
  const title = `${group}: ${measure === 'rows' ? 'training rows' : 'training tokens'} by volume`;
  parts.push(`<text x="${LEFT}" y="14" class="title">${esc(title)}</text>`);
  // Axes, with a tick at every volume of the grid and at 0, half and the top of the value range.
  parts.push(
    `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}" class="axis"/><line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + plotH}" class="axis"/>`,
  );
  for (const v of sweep.volumes)
    parts.push(
      `<text x="${fixed(x(v))}" y="${TOP + plotH + 14}" text-anchor="middle" class="small">${esc(int(v))}</text>`,
    );
  parts.push(`<text x="${LEFT + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="small">volume</text>`);
  for (const v of [0, maxY / 2, maxY])
    parts.push(`<text x="${LEFT - 6}" y="${fixed(y(v) + 4)}" text-anchor="end" class="small">${esc(int(v))}</text>`);
  if (pool > 0) {
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fixed(y(pool))}" y2="${fixed(y(pool))}" class="pool" data-pool="${pool}"/>`,
    );
    parts.push(
      `<text x="${WIDTH - RIGHT}" y="${fixed(y(pool) - 4)}" text-anchor="end" class="small">training pool: ${esc(int(pool))} records</text>`,
    );
  }
  for (const line of lines) {
    const coords = line.points.map((p) => `${fixed(x(p.volume!))},${fixed(y(amountOf(p)))}`).join(' ');
    parts.push(
      `<polyline points="${coords}" fill="none" stroke="${line.color}" stroke-width="2" data-line="${esc(line.label)}"/>`,
    );
  }
  for (const line of lines) {
    for (const p of line.points) {
      const g = p.audited!.groups[group];
      const short = (g?.shortfall ?? 0) > 0;
      const detail = g
        ? `${int(amountOf(p))} ${measure === 'rows' ? 'rows' : 'tokens'}, ${pct(g.share)} of training (nominal ${pct(g.nominal)})${short ? `; pool ran out, ${int(g.shortfall!)} short of the nominal quota` : ''}${g.repeated > 0 ? `; ${int(g.repeated)} repeated rows` : ''}${p.audited!.sameAs ? `; same training records as ${p.audited!.sameAs}` : ''}`
        : 'no such group';
      const mark = short ? `fill="#fff" stroke="${SHORT}" stroke-width="2.5" r="5"` : `fill="${line.color}" r="3.5"`;
      parts.push(
        `<circle cx="${fixed(x(p.volume!))}" cy="${fixed(y(amountOf(p)))}" ${mark} data-mark="${esc(p.path)}" data-short="${short ? 1 : 0}"><title>${esc(`${p.path}: ${group} ${detail}`)}</title></circle>`,
      );
    }
  }
  return `<svg data-chart="saturation" data-group="${esc(group)}" data-measure="${measure}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}

/** Every panel (rows per group; tokens per group too when they were counted, not estimated) and the legend. */
export function saturationFigure(sweep: SweepAudit, withTokens: boolean): string {
  const lines = saturationLines(sweep);
  if (lines.length === 0) return '';
  const measures: SaturationMeasure[] = withTokens ? ['rows', 'tokens'] : ['rows'];
  const panels = measures.flatMap((m) => sweep.groups.map((g) => saturationSvg(sweep, lines, g, m)));
  const legend = [
    ...lines.map((l) => `<span class="key"><i style="background:${l.color}"></i>${esc(l.label)}</span>`),
    `<span class="key"><i class="ring"></i>pool ran out (short of the nominal quota)</span>`,
    `<span class="key"><i class="hline"></i>the group's training pool (distinct records outside validation)</span>`,
  ].join('');
  return `<div class="saturation"><div class="charts">${panels.join('')}</div><p class="legend">${legend}</p></div>`;
}
