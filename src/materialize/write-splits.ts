/**
 * Stream one mixture's lines (UTF-8, in batches), already in output order (train rows, then
 * validation rows), into the shards of each split, in the format `sinks` writes. Returns the files
 * written, for the manifest.
 */
import { MixsmithError } from '../errors.js';
import { jsonlSinks } from './jsonl-sink.js';
import type { SinkFactory } from './shard-sink.js';
import { ShardWriter, type WrittenFile } from './shard-writer.js';
import type { OutputSpec } from '../recipe/types.js';
import type { SplitName } from '../select/select.js';

const SPLITS: readonly SplitName[] = ['train', 'validation'];

export interface WriteSplitsOptions {
  readonly dir: string;
  readonly output: OutputSpec;
  /** The shard format (see `output/output-sinks.ts`); plain JSONL when absent. */
  readonly sinks?: SinkFactory | undefined;
  /** Checked at every batch: an interrupted run stops writing (the caller removes the folder). */
  readonly signal?: AbortSignal | undefined;
}

export async function writeSplits(
  lines: AsyncIterator<readonly Uint8Array[]>,
  rows: Readonly<Record<SplitName, number>>,
  options: WriteSplitsOptions,
): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  const limits = { maxRows: options.output.max_rows_per_shard, maxBytes: options.output.max_bytes_per_shard };
  const sinks = options.sinks ?? jsonlSinks('none');
  let batch: readonly Uint8Array[] = [];
  let at = 0;
  for (const split of SPLITS) {
    if (split === 'validation' && rows.validation === 0) continue;
    const writer = new ShardWriter(options.dir, split, sinks, limits);
    for (let i = 0; i < rows[split]; i++) {
      while (at === batch.length) {
        const next = await lines.next();
        if (next.done) throw new MixsmithError('INTERNAL', `the order spool ended early in ${split}`);
        if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
        batch = next.value;
        at = 0;
      }
      const pending = writer.writeLine(batch[at++]!);
      if (pending) await pending;
    }
    written.push(...(await writer.finish()));
  }
  return written;
}
