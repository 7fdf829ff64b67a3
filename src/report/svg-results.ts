/**
 * The study's figure: a task's metric against the domain group's training rows as each point
 * really holds them (from sweep.json, not from the point's name), one curve per nominal share,
 * with an error bar (± one stderr) where the results give one, a hollow square where a point has
 * record for record the training rows of an earlier point (`sameAs`), and a ring at each curve's
 * saturation read-out. On a log axis, points with no domain rows (share 0) stand in a slot at
 * the axis' left end, marked 0 and set off by a break. Pure SVG, no script.
 */
import type { ResultsAxis, ResultsCurve, ResultsPoint, ResultsReport, ResultsTask } from '../results/join.js';
import { esc } from './html-escape.js';
import { int, pct } from './numbers.js';
import { colorOf } from './palette.js';
import { niceCeil } from './svg-saturation.js';
import { metricText } from './results-text.js';

const WIDTH = 520;
const HEIGHT = 320;
const LEFT = 58;
const RIGHT = 18;
const TOP = 28;
const BOTTOM = 42;
/** Width of the zero slot on a log axis, and the gap after it. */
const ZERO_SLOT = 26;

const fixed = (n: number) => n.toFixed(1);

/** The x scale: value → pixel, and the ticks to label. */
export function xScale(
  values: readonly number[],
  axis: ResultsAxis,
  left: number,
  right: number,
): { x: (v: number) => number; ticks: number[]; zeroSlot: boolean } {
  const max = Math.max(1, ...values);
  if (axis === 'linear') {
    const top = niceCeil(max);
    return {
      x: (v) => left + (v / top) * (right - left),
      ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => f * top),
      zeroSlot: false,
    };
  }
  const positive = values.filter((v) => v > 0);
  const zeroSlot = values.some((v) => v <= 0);
  const lo = Math.log10(Math.max(1, Math.min(max, ...positive)));
  const hi = Math.log10(max);
  const from = Math.floor(lo * 10) / 10 - 0.05;
  const to = Math.ceil(hi * 10) / 10 + 0.05;
  const start = zeroSlot ? left + ZERO_SLOT : left;
  const x = (v: number) => (v <= 0 ? left + 6 : start + ((Math.log10(v) - from) / (to - from)) * (right - start));
  const ticks: number[] = zeroSlot ? [0] : [];
  for (let e = Math.floor(from); e <= Math.ceil(to); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log10(v) >= from && Math.log10(v) <= to) ticks.push(v);
    }
  }
  return { x, ticks, zeroSlot };
}

/** The y range: every value and error bar, padded, on round-ish bounds. */
function yRange(values: readonly { value: number; stderr: number | null }[]): [number, number] {
  const lo = Math.min(...values.map((v) => v.value - (v.stderr ?? 0)));
  const hi = Math.max(...values.map((v) => v.value + (v.stderr ?? 0)));
  const pad = Math.max((hi - lo) * 0.08, 1e-3);
  return [lo - pad, hi + pad];
}

const shareLabel = (group: string, share: number) => `${group} ${pct(share)}`;

/** Curve colours: by the nominal share's rank, the same in every panel. */
export function shareColors(report: ResultsReport): Map<number, string> {
  const shares = [...new Set(report.points.map((p) => p.share))].sort((a, b) => a - b);
  return new Map(shares.map((s, i) => [s, colorOf(i)]));
}

export function resultsPanelSvg(report: ResultsReport, task: ResultsTask): string {
  const byName = new Map(report.points.map((p) => [p.name, p]));
  const curves = report.curves.filter((c) => c.task === task.task);
  const colors = shareColors(report);
  const drawn = curves.flatMap((c) => c.points.map((n) => byName.get(n)!));
  const metricOf = (p: ResultsPoint) => p.metrics[task.task]!;
  const plotH = HEIGHT - TOP - BOTTOM;
  const { x, ticks, zeroSlot } = xScale(
    drawn.map((p) => p.domainRows),
    report.axis,
    LEFT,
    WIDTH - RIGHT,
  );
  const [yLo, yHi] = drawn.length > 0 ? yRange(drawn.map(metricOf)) : [0, 1];
  const y = (v: number) => TOP + plotH - ((v - yLo) / (yHi - yLo)) * plotH;
  const parts: string[] = [];
  const title = `${task.task}: ${task.metric} by ${report.group} training rows (${report.axis})`;
  parts.push(`<text x="${LEFT}" y="16" class="title">${esc(title)}</text>`);
  const base = TOP + plotH;
  parts.push(
    `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${base}" y2="${base}" class="axis"/><line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${base}" class="axis"/>`,
  );
  if (zeroSlot)
    parts.push(
      `<path d="M${LEFT + ZERO_SLOT / 2 - 3} ${base + 4} l4 -8 M${LEFT + ZERO_SLOT / 2 + 1} ${base + 4} l4 -8" class="axis" data-axis-break="1"/>`,
    );
  for (const v of ticks) {
    parts.push(
      `<line x1="${fixed(x(v))}" x2="${fixed(x(v))}" y1="${base}" y2="${base + 4}" class="axis"/><text x="${fixed(x(v))}" y="${base + 15}" text-anchor="middle" class="small">${esc(int(v))}</text>`,
    );
  }
  parts.push(
    `<text x="${LEFT + (WIDTH - LEFT - RIGHT) / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="small">${esc(`${report.group} training rows (realized)${report.axis === 'log' ? ', log scale' : ''}`)}</text>`,
  );
  for (let i = 0; i <= 4; i++) {
    const v = yLo + ((yHi - yLo) * i) / 4;
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fixed(y(v))}" y2="${fixed(y(v))}" class="grid"/><text x="${LEFT - 5}" y="${fixed(y(v) + 4)}" text-anchor="end" class="small">${esc(v.toFixed(3))}</text>`,
    );
  }
  const sorted = (c: ResultsCurve) => c.points.map((n) => byName.get(n)!);
  // A curve without domain data stands at x = 0 at every volume: its value at the largest volume is
  // drawn across the panel as the baseline the other curves are read against.
  for (const c of curves) {
    const on = sorted(c);
    if (on.some((p) => p.domainRows > 0)) continue;
    const last = on[on.length - 1]!;
    const by = fixed(y(metricOf(last).value));
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${by}" y2="${by}" stroke="${colors.get(c.share)}" stroke-width="1.2" stroke-dasharray="5 4" data-baseline="${c.share}"/>`,
    );
    parts.push(
      `<text x="${WIDTH - RIGHT}" y="${fixed(Number(by) - 4)}" text-anchor="end" class="small">${esc(`no ${report.group} data (${last.name})`)}</text>`,
    );
  }
  for (const c of curves) {
    const coords = sorted(c)
      .map((p) => `${fixed(x(p.domainRows))},${fixed(y(metricOf(p).value))}`)
      .join(' ');
    parts.push(
      `<polyline points="${coords}" fill="none" stroke="${colors.get(c.share)}" stroke-width="2" data-curve="${c.share}"/>`,
    );
  }
  for (const c of curves) {
    for (const p of sorted(c)) {
      const m = metricOf(p);
      if (m.stderr === null || m.stderr <= 0) continue;
      const px = fixed(x(p.domainRows));
      const y1 = fixed(y(m.value - m.stderr));
      const y2 = fixed(y(m.value + m.stderr));
      parts.push(
        `<path d="M${px} ${y1}V${y2}M${Number(px) - 3} ${y1}h6M${Number(px) - 3} ${y2}h6" stroke="${colors.get(c.share)}" stroke-width="1.2" fill="none" data-errbar="${esc(p.name)}"/>`,
      );
    }
  }
  for (const c of curves) {
    const color = colors.get(c.share)!;
    for (const p of sorted(c)) {
      const m = metricOf(p);
      const px = x(p.domainRows);
      const py = y(m.value);
      const tip = `${p.name}: ${task.metric} ${metricText(m.value, m.stderr)}; ${int(p.domainRows)} ${report.group} rows (${pct(p.domainShare)} of training, nominal ${pct(p.share)})${p.shortfall > 0 ? `; ${int(p.shortfall)} short of its nominal quota` : ''}${p.sameAs ? `; the same training rows as ${p.sameAs}` : ''}`;
      if (p.sameAs !== null) {
        parts.push(
          `<rect x="${fixed(px - 5)}" y="${fixed(py - 5)}" width="10" height="10" fill="#fff" stroke="${color}" stroke-width="2" data-point="${esc(p.name)}" data-collapsed="1"><title>${esc(tip)}</title></rect>`,
        );
      } else {
        parts.push(
          `<circle cx="${fixed(px)}" cy="${fixed(py)}" r="3.5" fill="${color}" data-point="${esc(p.name)}" data-collapsed="0"><title>${esc(tip)}</title></circle>`,
        );
      }
    }
    const s = c.saturation;
    if (s.point !== null) {
      const p = byName.get(s.point)!;
      parts.push(
        `<circle cx="${fixed(x(p.domainRows))}" cy="${fixed(y(s.value!))}" r="8" fill="none" stroke="#222" stroke-width="1.5" data-saturation="${c.share}"><title>${esc(`saturation read-out, ${shareLabel(report.group, c.share)}: ${p.name} (volume ${int(s.volume!)}, ${int(s.domainRows!)} ${report.group} rows) is within ${s.tolerance.toFixed(4)} (${s.toleranceFrom}) of the best, ${s.best.value.toFixed(4)} at ${s.best.point}; read from the data, not a fitted law`)}</title></circle>`,
      );
    }
  }
  return `<svg data-chart="results" data-task="${esc(task.task)}" data-metric="${esc(task.metric)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}

/** One panel per task, and the legend. */
export function resultsFigure(report: ResultsReport): string {
  const colors = shareColors(report);
  const legend = [
    ...[...colors].map(
      ([share, color]) =>
        `<span class="key"><i style="background:${color}"></i>${esc(shareLabel(report.group, share))} (nominal)</span>`,
    ),
    '<span class="key"><i class="bar"></i>± one stderr</span>',
    '<span class="key"><i class="square"></i>same training rows as an earlier point (collapsed)</span>',
    '<span class="key"><i class="sat"></i>saturation read-out</span>',
  ].join('');
  return `<div class="results"><div class="charts">${report.tasks.map((t) => resultsPanelSvg(report, t)).join('')}</div><p class="legend">${legend}</p></div>`;
}
