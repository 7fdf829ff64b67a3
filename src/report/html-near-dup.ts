/**
 * Near-duplicate tables for the HTML report (pure): the pairs left inside a split and the pairs a
 * split shares with train, each with both records and their Jaccard similarity.
 */
import type { NearDupPair, NearDupSummary, SplitAudit } from '../audit/report.js';
import { esc } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { int } from './numbers.js';

function where(e: NearDupPair['earlier']): string {
  return `${e.file}:${e.line}${e.origin ? ` (${e.origin})` : ''} · ${e.group}`;
}

function pairsTable(title: string, pairs: readonly NearDupPair[], name: string): string {
  if (pairs.length === 0) return '';
  const rows = pairs.map((p) => [p.jaccard.toFixed(3), where(p.earlier), p.earlier.text, where(p.later), p.later.text]);
  return `<h4>${esc(title)}</h4>${htmlTable(['Jaccard', 'earlier', 'text', 'later', 'text'], rows, { dataTable: name })}`;
}

/** One line saying how near duplicates were looked for. */
export function nearDupMethod(summary: NearDupSummary): string {
  if (summary.status === 'off') return 'near duplicates: not checked (--no-near)';
  const { threshold, fields, shingles, bands, rows } = summary;
  return `near duplicates: Jaccard ≥ ${threshold} on ${shingles.wordSize}-word / ${shingles.charSize}-character shingles of ${fields === 'all' ? 'all turns' : `${fields} turns`} (MinHash LSH ${bands} × ${rows}, every candidate verified)`;
}

/** The split's near-duplicate paragraph and pair tables; empty when the check was off. */
export function nearDupSection(split: SplitAudit): string {
  const inside = split.nearDuplicates;
  if (!inside) return '';
  const leak = split.nearLeak;
  return [
    `<p>Near duplicates left (not exact copies): <b>${int(inside.records)}</b> in the split${leak ? `; <b>${int(leak.records)}</b> near a train record` : ''}.</p>`,
    pairsTable('near-duplicate pairs in the split', inside.examples, `near-duplicates-${split.name}`),
    leak ? pairsTable('near duplicates of train records', leak.examples, `near-leak-${split.name}`) : '',
  ].join('');
}
