/**
 * A length histogram as an SVG bar chart: bins from the report (shared edges across groups of a
 * split), the last bar marked "+" when it also holds the tail beyond its edge.
 */
import type { Histogram } from '../audit/distribution.js';
import { esc } from './html-escape.js';
import { int } from './numbers.js';

const WIDTH = 340;
const HEIGHT = 150;
const PAD_BOTTOM = 22;
const PAD_TOP = 18;

export function histogramSvg(
  histogram: Histogram,
  options: { readonly title: string; readonly color: string; readonly group: string; readonly measure: string },
): string {
  const { edges, counts } = histogram;
  const max = Math.max(1, ...counts);
  const plot = HEIGHT - PAD_BOTTOM - PAD_TOP;
  const barWidth = (WIDTH - 10) / counts.length;
  const bars = counts.map((count, i) => {
    const h = (count / max) * plot;
    const x = 5 + i * barWidth;
    const top = i === counts.length - 1 && histogram.openTop ? '+' : `–${int(edges[i + 1]!)}`;
    return `<rect x="${x.toFixed(2)}" y="${(PAD_TOP + plot - h).toFixed(2)}" width="${Math.max(1, barWidth - 1).toFixed(2)}" height="${Math.max(h, count > 0 ? 1 : 0).toFixed(2)}" fill="${options.color}"><title>${int(edges[i]!)}${top}: ${int(count)}</title></rect>`;
  });
  const last = edges[edges.length - 1]!;
  const axis = `<line x1="5" x2="${WIDTH - 5}" y1="${HEIGHT - PAD_BOTTOM}" y2="${HEIGHT - PAD_BOTTOM}" class="axis"/><text x="5" y="${HEIGHT - 6}" class="tick">0</text><text x="${WIDTH - 5}" y="${HEIGHT - 6}" class="tick" text-anchor="end">${int(last)}${histogram.openTop ? '+' : ''}</text>`;
  const title = `<text x="5" y="12" class="title">${esc(options.title)}</text>`;
  return `<svg data-chart="histogram" data-group="${esc(options.group)}" data-measure="${esc(options.measure)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(options.title)}">${title}${bars.join('')}${axis}</svg>`;
}
