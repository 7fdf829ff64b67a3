/**
 * The composition bar: one horizontal bar per split, a segment per group sized by its share of
 * the split's rows, and a dashed tick where the plan puts each boundary, so a share that is
 * off shows as a segment edge away from its tick.
 */
import type { SplitAudit } from '../audit/report.js';
import { esc } from './html-escape.js';
import { pct } from './numbers.js';

const WIDTH = 720;
const LABEL = 110;
const BAR = 26;
const GAP = 14;

export function compositionSvg(splits: readonly SplitAudit[], colors: ReadonlyMap<string, string>): string {
  const barWidth = WIDTH - LABEL - 10;
  const height = splits.length * (BAR + GAP) + GAP;
  const parts: string[] = [];
  splits.forEach((split, row) => {
    const y = GAP + row * (BAR + GAP);
    parts.push(`<text x="0" y="${y + BAR / 2 + 4}" class="label">${esc(split.name)}</text>`);
    parts.push(`<rect x="${LABEL}" y="${y}" width="${barWidth}" height="${BAR}" fill="#eee"/>`);
    let x = LABEL;
    let planned = 0;
    for (const [group, slice] of Object.entries(split.groups)) {
      const w = slice.share * barWidth;
      if (w > 0) {
        const title = `${group}: ${slice.rows} rows, ${pct(slice.share)}${slice.plannedShare === null ? '' : ` (planned ${pct(slice.plannedShare)})`}`;
        parts.push(
          `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${BAR}" fill="${colors.get(group) ?? '#999'}" data-group="${esc(group)}"><title>${esc(title)}</title></rect>`,
        );
        if (w > 60)
          parts.push(
            `<text x="${(x + 6).toFixed(2)}" y="${y + BAR / 2 + 4}" class="inbar">${esc(group)} ${pct(slice.share)}</text>`,
          );
      }
      x += w;
      if (slice.plannedShare !== null) {
        planned += slice.plannedShare;
        if (planned < 0.9999) {
          const px = (LABEL + planned * barWidth).toFixed(2);
          parts.push(
            `<line x1="${px}" x2="${px}" y1="${y - 4}" y2="${y + BAR + 4}" class="plan"><title>planned boundary after ${esc(group)}: ${pct(planned)}</title></line>`,
          );
        }
      }
    }
  });
  return `<svg data-chart="composition" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="composition by split">${parts.join('')}</svg>`;
}
