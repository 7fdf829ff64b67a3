/**
 * Writes one split's records into shards that rotate by rows and/or bytes. The format lives in a
 * `SinkFactory` (JSONL plain/gzip/zstd, Parquet); rotation and naming live here, once for all.
 *
 * Shards are written under temporary names and renamed `<split>-00000-of-00004.<ext>` at the end,
 * when the count is known. Rotation counts rows and the bytes of the rendered JSON lines (not the
 * compressed or encoded bytes on disk, which a compressor reports late and in chunks of its own):
 * which record lands in which shard depends only on the records, never on timing or codec.
 */
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { outputIoError } from '../io/output-error.js';
import type { ClosedShard, ShardSink, SinkFactory } from './shard-sink.js';

export interface ShardLimits {
  readonly maxRows: number | null;
  /** Bytes of rendered JSON lines, newline included. */
  readonly maxBytes: number | null;
}

/** A file written beside a shard (provenance for the OpenAI target). */
export interface SidecarFile {
  /** `provenance` (the OpenAI target's); `dataset` (a save_to_disk folder's state.json, dataset_info.json, dataset_dict.json). */
  readonly kind: 'provenance' | 'dataset';
  /** Relative to the output folder. */
  readonly path: string;
  /** Lines of a provenance sidecar; absent for `dataset` files, which are not line files. */
  readonly rows?: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface WrittenFile {
  /** Relative to the output folder. */
  readonly path: string;
  readonly split: string;
  readonly rows: number;
  /** On disk (compressed or encoded). */
  readonly bytes: number;
  readonly sha256: string;
  /** Present only when the format writes some. */
  readonly sidecars?: readonly SidecarFile[];
}

interface OpenShard {
  readonly sink: ShardSink;
  readonly tempPath: string;
  rows: number;
  lineBytes: number;
}

interface DoneShard {
  readonly tempPath: string;
  readonly rows: number;
  readonly closed: ClosedShard;
}

export class ShardWriter {
  private readonly done: DoneShard[] = [];
  private current: OpenShard | undefined;

  constructor(
    private readonly dir: string,
    private readonly split: string,
    private readonly sinks: SinkFactory,
    private readonly limits: ShardLimits,
  ) {}

  /**
   * One rendered record: a JSON text without newline, as UTF-8 bytes (or a string, encoded here).
   * Returns a promise only when a shard rotated or a sink had to wait: await it before the next line.
   */
  writeLine(line: Uint8Array | string): Promise<void> | undefined {
    const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
    const lineBytes = bytes.length + 1;
    const shard = this.current;
    if (!shard || this.isFull(shard, lineBytes)) return this.rotateAndWrite(bytes);
    shard.rows++;
    shard.lineBytes += lineBytes;
    return shard.sink.write(bytes);
  }

  private async rotateAndWrite(bytes: Uint8Array): Promise<void> {
    if (this.current) await this.closeShard(this.current);
    const shard = await this.openShard();
    shard.rows++;
    shard.lineBytes += bytes.length + 1;
    await shard.sink.write(bytes);
  }

  /** Close the last shard and give shards (and sidecars) their final names. Always at least one shard. */
  async finish(): Promise<WrittenFile[]> {
    if (!this.current && this.done.length === 0) await this.openShard();
    if (this.current) await this.closeShard(this.current);
    const total = this.done.length;
    const width = (n: number) => String(n).padStart(5, '0');
    const files: WrittenFile[] = [];
    for (const [i, shard] of this.done.entries()) {
      const base = `${this.split}-${width(i)}-of-${width(total)}`;
      const name = this.sinks.shardPath?.(this.split, i, total) ?? `${base}.${this.sinks.extension}`;
      if (name.includes('/')) {
        const folder = path.dirname(path.join(this.dir, name));
        await mkdir(folder, { recursive: true }).catch((cause: unknown) => {
          throw outputIoError(folder, cause, 'create');
        });
      }
      await renameOutput(shard.tempPath, path.join(this.dir, name));
      const sidecars: SidecarFile[] = [];
      for (const sidecar of shard.closed.sidecars) {
        const relative = `${base}${sidecar.suffix}`;
        await renameOutput(sidecar.tempPath, path.join(this.dir, relative));
        sidecars.push({
          kind: sidecar.kind,
          path: relative,
          rows: sidecar.rows,
          bytes: sidecar.bytes,
          sha256: sidecar.sha256,
        });
      }
      const { bytes, sha256 } = shard.closed;
      files.push({
        path: name,
        split: this.split,
        rows: shard.rows,
        bytes,
        sha256,
        ...(sidecars.length > 0 ? { sidecars } : {}),
      });
    }
    return files;
  }

  private isFull(shard: OpenShard, nextBytes: number): boolean {
    const { maxRows, maxBytes } = this.limits;
    if (maxRows !== null && shard.rows >= maxRows) return true;
    // A line larger than the limit still gets a shard of its own rather than failing.
    return maxBytes !== null && shard.rows > 0 && shard.lineBytes + nextBytes > maxBytes;
  }

  private async openShard(): Promise<OpenShard> {
    const tempPath = path.join(this.dir, `.${this.split}-${this.done.length}.part`);
    const shard: OpenShard = { sink: await this.sinks.open(tempPath), tempPath, rows: 0, lineBytes: 0 };
    this.current = shard;
    return shard;
  }

  private async closeShard(shard: OpenShard): Promise<void> {
    this.done.push({ tempPath: shard.tempPath, rows: shard.rows, closed: await shard.sink.close() });
    this.current = undefined;
  }
}

async function renameOutput(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (cause) {
    throw outputIoError(to, cause, 'name');
  }
}
