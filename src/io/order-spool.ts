/**
 * Puts lines that arrive in file order into their output order without holding them all:
 * lines go to bucket files by position range, and each bucket is sorted in memory on the way out.
 * Small outputs use a single in-memory bucket. Memory is bounded by one bucket (~64 MB).
 */
import { appendFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export const BUCKET_BYTES = 64 * 1024 * 1024;
/** Lines buffered before they are appended to bucket files; small, since a sweep has a spool per point. */
const PENDING_BYTES = 2 * 1024 * 1024;

export class OrderSpool {
  private readonly bucketCount: number;
  private readonly perBucket: number;
  private readonly memory: (string | undefined)[] | undefined;
  private readonly pending: string[][];
  private pendingBytes = 0;

  /**
   * @param total number of positions (0 … total-1)
   * @param estimatedBytes expected bytes of all lines, to size buckets; up to one bucket's worth
   *   (or 0, when the caller knows everything fits) stays in memory
   */
  constructor(
    private readonly dir: string,
    private readonly total: number,
    estimatedBytes: number,
  ) {
    this.bucketCount = Math.max(1, Math.ceil(estimatedBytes / BUCKET_BYTES));
    this.perBucket = Math.max(1, Math.ceil(total / this.bucketCount));
    this.memory = this.bucketCount === 1 ? new Array<string | undefined>(total) : undefined;
    this.pending = Array.from({ length: this.bucketCount }, () => []);
  }

  async put(position: number, line: string): Promise<void> {
    if (this.memory) {
      this.memory[position] = line;
      return;
    }
    const bucket = Math.floor(position / this.perBucket);
    // JSON lines never contain a raw newline, so `position\tline\n` frames them safely.
    this.pending[bucket]!.push(`${position}\t${line}\n`);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= PENDING_BYTES) await this.flushAll();
  }

  /** Every line, in position order. */
  async *drain(): AsyncGenerator<string> {
    if (this.memory) {
      for (const line of this.memory) if (line !== undefined) yield line;
      return;
    }
    await this.flushAll();
    for (let bucket = 0; bucket < this.bucketCount; bucket++) {
      const file = this.bucketPath(bucket);
      const text = await readFile(file, 'utf8').catch(() => '');
      const start = bucket * this.perBucket;
      const lines = new Array<string | undefined>(Math.min(this.perBucket, this.total - start));
      let from = 0;
      while (from < text.length) {
        const tab = text.indexOf('\t', from);
        const end = text.indexOf('\n', tab);
        lines[Number(text.slice(from, tab)) - start] = text.slice(tab + 1, end);
        from = end + 1;
      }
      await rm(file, { force: true });
      for (const line of lines) if (line !== undefined) yield line;
    }
  }

  private bucketPath(bucket: number): string {
    return path.join(this.dir, `.order-bucket-${bucket}.tmp`);
  }

  private async flushAll(): Promise<void> {
    for (let bucket = 0; bucket < this.bucketCount; bucket++) {
      const lines = this.pending[bucket]!;
      if (lines.length === 0) continue;
      await appendFile(this.bucketPath(bucket), lines.join(''));
      this.pending[bucket] = [];
    }
    this.pendingBytes = 0;
  }
}
