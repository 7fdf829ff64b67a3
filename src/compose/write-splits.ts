/**
 * The write phase: re-read the selected records into output order (via the order spool), then
 * stream each split into its shards. Returns the files written, for the manifest.
 */
import { MixsmithError } from '../errors.js';
import { OrderSpool } from '../io/order-spool.js';
import { ShardWriter, type WrittenFile } from '../io/shard-writer.js';
import type { OutputSpec } from '../recipe/types.js';
import { materialize } from './materialize.js';
import type { ScanResult } from './scan.js';
import type { Selection, SplitName } from './select.js';

const SPLITS: readonly SplitName[] = ['train', 'validation'];

export interface WriteSplitsOptions {
  readonly dir: string;
  readonly seed: number;
  readonly dedup: boolean;
  readonly output: OutputSpec;
  readonly signal?: AbortSignal | undefined;
}

export async function writeSplits(scan: ScanResult, selection: Selection, options: WriteSplitsOptions): Promise<WrittenFile[]> {
  const { rows } = selection;
  const estimatedBytes = selection.records.reduce((sum, r) => sum + r.candidate.length + 64, 0);
  const spool = new OrderSpool(options.dir, rows.train + rows.validation, estimatedBytes);
  await materialize(scan, selection, spool, {
    seed: options.seed,
    dedup: options.dedup,
    output: options.output,
    signal: options.signal,
    spoolPosition: (r) => (r.split === 'train' ? r.position : rows.train + r.position),
  });
  const written: WrittenFile[] = [];
  const limits = { maxRows: options.output.max_rows_per_shard, maxBytes: options.output.max_bytes_per_shard };
  const lines = spool.drain();
  for (const split of SPLITS) {
    if (split === 'validation' && rows.validation === 0) continue;
    const writer = new ShardWriter(options.dir, split, 'jsonl', limits);
    for (let i = 0; i < rows[split]; i++) {
      const next = await lines.next();
      if (next.done) throw new MixsmithError('INTERNAL', `the order spool ended early in ${split}`);
      await writer.writeLine(next.value);
    }
    written.push(...(await writer.finish()));
  }
  return written;
}
