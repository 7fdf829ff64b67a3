/**
 * A point's training rows as one value: sha256 over each row's identity — its content key and
 * copy number (`<key>:<copy>\n`) — in output order. Two points with equal digests hold the same
 * records, the same copies of them, in the same order: one training run would stand for both.
 * Decided from the selection, not from the files, so two points whose shards happen to be laid
 * out alike cannot be confused, and two that differ only in shard layout cannot be told apart.
 */
import { createHash } from 'node:crypto';
import type { PointSelection } from '../select/select.js';

/** Rows hashed per update: one update per row would cost twice as much for a 200k-row point. */
const CHUNK_ROWS = 4096;

export function trainDigest(selection: PointSelection): string {
  const rows = new Array<string>(selection.rows.train);
  for (const record of selection.records)
    if (record.split === 'train') rows[record.position] = `${record.candidate.key}:${record.copy}\n`;
  const hash = createHash('sha256');
  for (let start = 0; start < rows.length; start += CHUNK_ROWS)
    hash.update(rows.slice(start, start + CHUNK_ROWS).join(''));
  return hash.digest('hex');
}
