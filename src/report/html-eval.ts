/**
 * Eval-overlap tables for the HTML report (pure): per eval set the items hit and the records
 * contaminating them per split (n-gram rule, with the exact columns beside), the hits per source,
 * and example pairs of record and eval item with the share of the item's n-grams found.
 */
import type { SubjectAudit } from '../audit/report.js';
import { htmlTable } from './html-table.js';
import { int, pct } from './numbers.js';

/** The eval-overlap section of a subject; empty without `--eval`. */
export function evalSection(subject: SubjectAudit): string {
  if (subject.evals.length === 0) return '';
  const splitNames = subject.splits.map((s) => s.name);
  const rows = subject.evals.map((e) => [
    e.name,
    int(e.records),
    int(e.indexed),
    int(e.tooShort),
    `${int(e.itemsHit)} (question whole: ${int(e.itemsHitExact)}, n-gram overlap: ${int(e.itemsHitOverlap)})`,
    ...splitNames.map((s) => {
      const c = e.splits[s];
      return c ? `${int(c.records)} (exact: ${int(c.content)} content, ${int(c.prompt)} prompt)` : '0';
    }),
  ]);
  const sourceRows = subject.evals.flatMap((e) =>
    splitNames.flatMap((s) =>
      Object.entries(e.splits[s]?.sources ?? {}).map(([source, n]) => [e.name, s, source, int(n)]),
    ),
  );
  const examples = subject.evals.flatMap((e) =>
    e.examples.map((x) => [
      e.name,
      `${x.record.file}:${x.record.line}`,
      x.record.source,
      x.match,
      x.matchedShare === undefined ? '' : pct(x.matchedShare),
      x.evalId ?? '',
      x.gram ?? '',
      x.record.text,
      x.evalText ?? '',
    ]),
  );
  return [
    '<h3>overlap with eval sets</h3>',
    htmlTable(
      ['eval set', 'items', 'indexed', 'too short', 'items hit', ...splitNames.map((s) => `${s} records`)],
      rows,
      { dataTable: 'contamination' },
    ),
    sourceRows.length
      ? `<h4>contaminating records by source</h4>${htmlTable(['eval set', 'split', 'source', 'records'], sourceRows, { dataTable: 'contamination-sources' })}`
      : '',
    examples.length
      ? `<h4>overlapping records</h4>${htmlTable(['eval set', 'where', 'source', 'match', 'share of item', 'eval item', 'matched n-gram', 'record', 'eval item text'], examples, { dataTable: 'contamination-examples' })}`
      : '',
  ].join('');
}
