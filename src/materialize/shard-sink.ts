/**
 * What a shard writer needs from a file format: open a shard, take rendered records in output
 * order, close and report size and checksum. `ShardWriter` owns rotation and naming; a sink
 * owns only the bytes of one file (JSONL plain/gzip/zstd, Parquet), so rotation rules live in
 * one place and cannot drift between formats.
 */
import { isAscii } from 'node:buffer';
import type { FileDigest } from '../io/hashed-file.js';

/** A file written beside a shard (the OpenAI target's provenance), still under its temporary name. */
export interface ClosedSidecar extends FileDigest {
  readonly kind: 'provenance';
  readonly tempPath: string;
  /** Appended to the shard's base name for the final name: `train-00000-of-00002.provenance.jsonl`. */
  readonly suffix: string;
  readonly rows: number;
}

/** A finished shard: its own digest plus any sidecars. */
export interface ClosedShard extends FileDigest {
  readonly sidecars: readonly ClosedSidecar[];
}

/** One shard being written. */
export interface ShardSink {
  /**
   * One rendered record: a JSON text, UTF-8, without its newline. The sink copies what it keeps.
   * Returns a promise only when the record could not be taken at once (a buffer went to disk, a
   * row group was encoded): await it before the next write.
   */
  write(line: Uint8Array): Promise<void> | undefined;
  close(): Promise<ClosedShard>;
}

/** Opens shards of one format. */
export interface SinkFactory {
  /** The shards' file name extension, without the dot: `jsonl`, `jsonl.zst`, `parquet`. */
  readonly extension: string;
  /** Start a shard at `tempPath`, a file that does not exist yet. */
  open(tempPath: string): Promise<ShardSink>;
  /**
   * The shard's final path relative to the output folder, when the format names its shards its own
   * way (save_to_disk: `train/data-00000-of-00002.arrow`); `<split>-00000-of-00002.<extension>` otherwise.
   */
  shardPath?(split: string, index: number, total: number): string;
  /** Files the format writes once a split's shards are named (save_to_disk: `state.json`, `dataset_info.json`). */
  splitFiles?(split: string, shards: readonly SplitShard[]): readonly FormatFile[];
  /** Files the format writes once every split is written (save_to_disk: `dataset_dict.json`). */
  outputFiles?(splits: readonly string[]): readonly FormatFile[];
}

/** A finished shard as `splitFiles` sees it. */
export interface SplitShard {
  /** Relative to the output folder. */
  readonly path: string;
  readonly rows: number;
  readonly sha256: string;
}

/** A small file a format writes beside its shards: its path relative to the output folder, and its text. */
export interface FormatFile {
  readonly path: string;
  readonly text: string;
}

/** A rendered line's text, for sinks that parse it. ASCII (most lines) decodes as Latin-1: a plain copy. */
export function lineText(line: Uint8Array): string {
  const bytes = Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  return isAscii(line) ? bytes.toString('latin1') : bytes.toString('utf8');
}
