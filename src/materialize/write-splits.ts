/**
 * Stream one mixture's lines (UTF-8, in batches), already in output order (train rows, then
 * validation rows), into the shards of each split, in the format `sinks` writes. Returns the files
 * written, for the manifest.
 */
import { MixsmithError } from '../errors.js';
import { jsonlSinks } from './jsonl-sink.js';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { outputIoError } from '../io/output-error.js';
import type { FormatFile, SinkFactory } from './shard-sink.js';
import { type SidecarFile, ShardWriter, type WrittenFile } from './shard-writer.js';
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
    const files = await writer.finish();
    written.push(...withFormatFiles(files, await writeFormatFiles(options.dir, sinks.splitFiles?.(split, files))));
  }
  const splits = [...new Set(written.map((file) => file.split))];
  const last = written.splice(written.length - 1);
  written.push(...withFormatFiles(last, await writeFormatFiles(options.dir, sinks.outputFiles?.(splits))));
  return written;
}

/**
 * A format's own files (save_to_disk's state.json, dataset_info.json, dataset_dict.json), written
 * and listed in the manifest as `dataset` sidecars of the last shard they follow, so the audit
 * checks their bytes and sha256 like every other file.
 */
async function writeFormatFiles(dir: string, files: readonly FormatFile[] | undefined): Promise<SidecarFile[]> {
  const out: SidecarFile[] = [];
  for (const file of files ?? []) {
    const bytes = Buffer.from(file.text, 'utf8');
    const target = path.join(dir, ...file.path.split('/'));
    try {
      await writeFile(target, bytes, { flag: 'wx' });
    } catch (cause) {
      throw outputIoError(target, cause);
    }
    out.push({
      kind: 'dataset',
      path: file.path,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  return out;
}

function withFormatFiles(files: WrittenFile[], extra: readonly SidecarFile[]): WrittenFile[] {
  if (extra.length === 0 || files.length === 0) return files;
  const last = files[files.length - 1]!;
  return [...files.slice(0, -1), { ...last, sidecars: [...(last.sidecars ?? []), ...extra] }];
}
