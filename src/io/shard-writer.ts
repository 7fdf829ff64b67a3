/**
 * Writes one split's lines into shards that rotate by rows and/or bytes, hashing as it writes.
 * Shards are written under temporary names and renamed `<split>-00000-of-00004.jsonl` at the end,
 * when the count is known. Which line lands in which shard depends only on the lines themselves.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open, rename } from 'node:fs/promises';
import path from 'node:path';

export interface ShardLimits {
  readonly maxRows: number | null;
  readonly maxBytes: number | null;
}

export interface WrittenFile {
  /** Relative to the output folder. */
  readonly path: string;
  readonly split: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

const FLUSH_BYTES = 1 << 20;

interface OpenShard {
  readonly handle: FileHandle;
  readonly tempPath: string;
  readonly hash: Hash;
  rows: number;
  bytes: number;
  pending: Buffer[];
  pendingBytes: number;
}

export class ShardWriter {
  private readonly done: { tempPath: string; rows: number; bytes: number; sha256: string }[] = [];
  private current: OpenShard | undefined;

  constructor(
    private readonly dir: string,
    private readonly split: string,
    private readonly extension: string,
    private readonly limits: ShardLimits,
  ) {}

  async writeLine(line: string): Promise<void> {
    const buffer = Buffer.from(`${line}\n`, 'utf8');
    let shard = this.current;
    if (shard && this.isFull(shard, buffer.length)) {
      await this.closeShard(shard);
      shard = undefined;
    }
    shard ??= await this.openShard();
    shard.pending.push(buffer);
    shard.pendingBytes += buffer.length;
    shard.rows++;
    shard.bytes += buffer.length;
    shard.hash.update(buffer);
    if (shard.pendingBytes >= FLUSH_BYTES) await this.flush(shard);
  }

  /** Close the last shard and give shards their final names. Always at least one shard. */
  async finish(): Promise<WrittenFile[]> {
    if (!this.current && this.done.length === 0) await this.openShard();
    if (this.current) await this.closeShard(this.current);
    const total = this.done.length;
    const width = (n: number) => String(n).padStart(5, '0');
    const files: WrittenFile[] = [];
    for (const [i, shard] of this.done.entries()) {
      const name = `${this.split}-${width(i)}-of-${width(total)}.${this.extension}`;
      await rename(shard.tempPath, path.join(this.dir, name));
      files.push({ path: name, split: this.split, rows: shard.rows, bytes: shard.bytes, sha256: shard.sha256 });
    }
    return files;
  }

  private isFull(shard: OpenShard, nextBytes: number): boolean {
    const { maxRows, maxBytes } = this.limits;
    if (maxRows !== null && shard.rows >= maxRows) return true;
    // A line larger than the limit still gets a shard of its own rather than failing.
    return maxBytes !== null && shard.rows > 0 && shard.bytes + nextBytes > maxBytes;
  }

  private async openShard(): Promise<OpenShard> {
    const tempPath = path.join(this.dir, `.${this.split}-${this.done.length}.part`);
    const shard: OpenShard = { handle: await open(tempPath, 'wx'), tempPath, hash: createHash('sha256'), rows: 0, bytes: 0, pending: [], pendingBytes: 0 };
    this.current = shard;
    return shard;
  }

  private async flush(shard: OpenShard): Promise<void> {
    if (shard.pendingBytes === 0) return;
    await shard.handle.write(Buffer.concat(shard.pending, shard.pendingBytes));
    shard.pending = [];
    shard.pendingBytes = 0;
  }

  private async closeShard(shard: OpenShard): Promise<void> {
    await this.flush(shard);
    await shard.handle.close();
    this.done.push({ tempPath: shard.tempPath, rows: shard.rows, bytes: shard.bytes, sha256: shard.hash.digest('hex') });
    this.current = undefined;
  }
}
