/**
 * Puts lines that arrive in file order into their output order without holding them all.
 *
 * Each line is encoded to UTF-8 once, as a frame `[position u32][byte length u32][bytes]`, into a
 * few MiB of pending bytes. Positions fall into buckets by range; when the pending bytes reach
 * their limit, each bucket's frames are appended to its own file in the output folder. Draining
 * reads one bucket file at a time, indexes its frames by position and hands the lines out in
 * order, as views into that one buffer. Memory is bounded by one bucket (~32 MB) plus the pending
 * bytes, whatever the number of lines. Small outputs (one bucket) never touch the disk: their
 * frames stay in the pending chunks.
 */
import { appendFile, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { outputIoError } from './output-error.js';

export const BUCKET_BYTES = 32 * 1024 * 1024;

export interface SpoolLimits {
  /** Estimated bytes per bucket: what draining holds at once. */
  readonly bucketBytes: number;
  /** Bytes of frames gathered before they go to the bucket files; small, since a sweep has a spool per point. */
  readonly pendingBytes: number;
}

const DEFAULT_LIMITS: SpoolLimits = { bucketBytes: BUCKET_BYTES, pendingBytes: 4 * 1024 * 1024 };
/** Frame header: position and byte length, both u32 little-endian. */
const HEADER_BYTES = 8;
/** Lines handed out at once by `drain`. */
const DRAIN_BATCH = 4096;

export class OrderSpool {
  private readonly bucketCount: number;
  private readonly perBucket: number;
  private readonly inMemory: boolean;
  /** Filled chunks of frames, and the one being filled. */
  private chunks: Buffer[] = [];
  private chunk: Buffer;
  private used = 0;
  private pendingBytes = 0;
  /** Bytes appended to each bucket file so far. */
  private readonly bucketBytes: number[];
  /**
   * Lines of at least `pendingBytes`, kept as the caller's memory until the next flush writes them
   * to their bucket files as they are: copying a 300 MB line into a chunk, then into `outgoing`,
   * held it three times.
   */
  private large: { readonly position: number; readonly line: Uint8Array }[] = [];
  private largeBytes = 0;
  /** Frames sorted by bucket, on their way to the files; `writing` settles when they are there. */
  private outgoing: Buffer = Buffer.alloc(0);
  private writing: Promise<void> | undefined;

  /**
   * @param total number of positions (0 … total-1)
   * @param estimatedBytes expected bytes of all lines, to size buckets; up to one bucket's worth
   *   (or 0, when the caller knows everything fits) stays in memory
   */
  constructor(
    private readonly dir: string,
    private readonly total: number,
    estimatedBytes: number,
    private readonly limits: SpoolLimits = DEFAULT_LIMITS,
  ) {
    this.bucketCount = Math.max(1, Math.ceil(estimatedBytes / limits.bucketBytes));
    this.perBucket = Math.max(1, Math.ceil(total / this.bucketCount));
    this.inMemory = this.bucketCount === 1;
    this.bucketBytes = new Array<number>(this.bucketCount).fill(0);
    this.chunk = Buffer.allocUnsafe(
      this.inMemory ? Math.min(limits.pendingBytes, Math.max(64 * 1024, estimatedBytes)) : limits.pendingBytes,
    );
  }

  /** Keep `line` for `position`. Synchronous: call `flush` when `mustFlush` says so. */
  put(position: number, line: string): void {
    // Three UTF-8 bytes per UTF-16 unit at most: measure exactly only when that may not fit.
    if (this.used + HEADER_BYTES + line.length * 3 > this.chunk.length) {
      const bytes = HEADER_BYTES + Buffer.byteLength(line, 'utf8');
      if (this.used + bytes > this.chunk.length) this.nextChunk(bytes);
    }
    const start = this.used;
    const written = this.chunk.write(line, start + HEADER_BYTES, 'utf8');
    this.chunk.writeUInt32LE(position, start);
    this.chunk.writeUInt32LE(written, start + 4);
    this.used = start + HEADER_BYTES + written;
    this.pendingBytes += HEADER_BYTES + written;
  }

  /**
   * Keep `line`, already UTF-8, for `position`. Synchronous: call `flush` when `mustFlush` says so.
   * A line of `pendingBytes` or more is kept as it is, not copied, in a spool that goes to disk
   * (`mustFlush` then says so, and its memory must stay unchanged until that flush has returned) and,
   * when `owned`, in one that stays in memory (its memory must then stay unchanged until drained).
   */
  putBytes(position: number, line: Uint8Array, owned = false): void {
    const bytes = HEADER_BYTES + line.length;
    // An in-memory spool keeps a large line as it is too when it is the caller's to give (`owned`:
    // memory nothing else writes or frees): copied into a chunk, a 300 MB line was held twice.
    if ((!this.inMemory || owned) && line.length >= this.limits.pendingBytes) {
      this.large.push({ position, line });
      this.largeBytes += bytes;
      this.pendingBytes += bytes;
      return;
    }
    if (this.used + bytes > this.chunk.length) this.nextChunk(bytes);
    const start = this.used;
    this.chunk.set(line, start + HEADER_BYTES);
    this.chunk.writeUInt32LE(position, start);
    this.chunk.writeUInt32LE(line.length, start + 4);
    this.used = start + bytes;
    this.pendingBytes += bytes;
  }

  /** Whether the pending frames should go to the bucket files now. */
  get mustFlush(): boolean {
    return !this.inMemory && this.pendingBytes >= this.limits.pendingBytes;
  }

  /**
   * Send the pending frames to their bucket files (nothing for an in-memory spool). The frames are
   * sorted by bucket into one outgoing buffer, whose writing goes on while new lines arrive; the
   * next flush waits for it (and reports its failure).
   */
  async flush(): Promise<void> {
    if (this.inMemory || this.pendingBytes === 0) return;
    await this.writing;
    const framed = this.pendingBytes - this.largeBytes;
    if (this.outgoing.length < framed) this.outgoing = Buffer.allocUnsafe(framed);
    const chunks = [...this.chunks, this.chunk.subarray(0, this.used)];
    const sizes = new Array<number>(this.bucketCount).fill(0);
    this.forEachFrame(chunks, (bucket, at, end) => {
      sizes[bucket]! += end - at;
    });
    const starts = new Array<number>(this.bucketCount);
    for (let bucket = 0, sum = 0; bucket < this.bucketCount; sum += sizes[bucket++]!) starts[bucket] = sum;
    const cursor = [...starts];
    this.forEachFrame(chunks, (bucket, at, end, chunk) => {
      cursor[bucket]! += chunk.copy(this.outgoing, cursor[bucket]!, at, end);
    });
    this.chunks = [];
    this.used = 0;
    // A chunk grown for one long string line is not kept for the small ones after it.
    if (this.chunk.length > this.limits.pendingBytes) this.chunk = Buffer.allocUnsafe(this.limits.pendingBytes);
    this.pendingBytes = 0;
    const large = this.large;
    this.large = [];
    this.largeBytes = 0;
    this.writing = this.writeBuckets(this.outgoing, starts, sizes).then(() => this.writeLarge(large));
    // Awaited by the next flush, `drain` or `settle`; this only keeps it from counting as unhandled.
    this.writing.catch(() => {});
    // Large lines are the caller's memory: written before this returns, so the caller may reuse it.
    if (large.length > 0) await this.writing;
  }

  /** Appends each large line to its bucket file as one frame, from the caller's memory. */
  private async writeLarge(large: readonly { readonly position: number; readonly line: Uint8Array }[]): Promise<void> {
    for (const { position, line } of large) {
      const bucket = Math.floor(position / this.perBucket);
      const file = this.bucketPath(bucket);
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      header.writeUInt32LE(position, 0);
      header.writeUInt32LE(line.length, 4);
      for (const bytes of [header, line]) {
        await appendFile(file, bytes).catch((cause: unknown) => {
          throw outputIoError(file, cause);
        });
      }
      this.bucketBytes[bucket]! += HEADER_BYTES + line.length;
    }
  }

  /** Wait until no bucket file is being written, failed or not (before the folder is removed). */
  async settle(): Promise<void> {
    await this.writing?.catch(() => {});
  }

  /**
   * Every line, in position order, in batches. A batch is a set of views into one bucket's bytes,
   * valid until the next batch is asked for: buckets are read into the same buffer in turn.
   */
  async *drain(): AsyncGenerator<Buffer[]> {
    if (this.inMemory) {
      yield* this.bucketLines(0, [...this.chunks, this.chunk.subarray(0, this.used)], this.large);
      this.large = [];
      this.chunks = [];
      this.chunk = Buffer.alloc(0);
      this.used = 0;
      return;
    }
    await this.flush();
    await this.writing;
    // One buffer, as large as the largest bucket, serves every bucket in turn.
    const buffer = Buffer.allocUnsafe(Math.max(...this.bucketBytes));
    for (let bucket = 0; bucket < this.bucketCount; bucket++) {
      const file = this.bucketPath(bucket);
      const bytes =
        this.bucketBytes[bucket]! === 0
          ? buffer.subarray(0, 0)
          : await readBucket(file, buffer.subarray(0, this.bucketBytes[bucket]!));
      // Removed before its lines go out: the reader may stop after the last line it needs.
      await rm(file, { force: true });
      yield* this.bucketLines(bucket, [bytes]);
    }
  }

  /** The lines of one bucket, from its frames (in any order) and the large lines kept whole, by position. */
  private *bucketLines(
    bucket: number,
    chunks: readonly Buffer[],
    large: readonly { readonly position: number; readonly line: Uint8Array }[] = [],
  ): Generator<Buffer[]> {
    const start = bucket * this.perBucket;
    const count = Math.max(0, Math.min(this.perBucket, this.total - start));
    // Where each position's frame sits: chunk number + 1 (0: no line), byte offset, byte length.
    const chunkOf = new Uint32Array(count);
    const offsetOf = new Uint32Array(count);
    const lengthOf = new Uint32Array(count);
    for (const [c, chunk] of chunks.entries()) {
      for (let at = 0; at < chunk.length; ) {
        const slot = chunk.readUInt32LE(at) - start;
        const length = chunk.readUInt32LE(at + 4);
        chunkOf[slot] = c + 1;
        offsetOf[slot] = at + HEADER_BYTES;
        lengthOf[slot] = length;
        at += HEADER_BYTES + length;
      }
    }
    // A large line is "chunk" chunks.length + 1 + its index in `large`, the whole of it.
    for (const [k, { position }] of large.entries()) chunkOf[position - start] = chunks.length + 1 + k;
    let batch: Buffer[] = [];
    for (let slot = 0; slot < count; slot++) {
      const c = chunkOf[slot]!;
      if (c === 0) continue;
      if (c > chunks.length) {
        const { line } = large[c - 1 - chunks.length]!;
        batch.push(Buffer.from(line.buffer, line.byteOffset, line.byteLength));
      } else batch.push(chunks[c - 1]!.subarray(offsetOf[slot]!, offsetOf[slot]! + lengthOf[slot]!));
      if (batch.length >= DRAIN_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Calls `visit` with each frame of `chunks`: its bucket and byte range. */
  private forEachFrame(
    chunks: readonly Buffer[],
    visit: (bucket: number, at: number, end: number, chunk: Buffer) => void,
  ): void {
    for (const chunk of chunks) {
      for (let at = 0; at < chunk.length; ) {
        const end = at + HEADER_BYTES + chunk.readUInt32LE(at + 4);
        visit(Math.floor(chunk.readUInt32LE(at) / this.perBucket), at, end, chunk);
        at = end;
      }
    }
  }

  private async writeBuckets(bytes: Buffer, starts: readonly number[], sizes: readonly number[]): Promise<void> {
    for (let bucket = 0; bucket < this.bucketCount; bucket++) {
      if (sizes[bucket] === 0) continue;
      const file = this.bucketPath(bucket);
      await appendFile(file, bytes.subarray(starts[bucket]!, starts[bucket]! + sizes[bucket]!)).catch(
        (cause: unknown) => {
          throw outputIoError(file, cause);
        },
      );
      this.bucketBytes[bucket]! += sizes[bucket]!;
    }
  }

  private nextChunk(atLeast: number): void {
    if (this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(
      Math.max(
        this.inMemory ? Math.min(this.limits.pendingBytes, this.chunk.length * 2) : this.limits.pendingBytes,
        atLeast,
      ),
    );
    this.used = 0;
  }

  private bucketPath(bucket: number): string {
    return path.join(this.dir, `.order-bucket-${bucket}.tmp`);
  }
}

/** Fill `into` with the bytes of the bucket file `file`, which holds exactly that many. */
async function readBucket(file: string, into: Buffer): Promise<Buffer> {
  const handle = await open(file, 'r').catch((cause: unknown) => {
    throw outputIoError(file, cause, 'read back');
  });
  try {
    let filled = 0;
    while (filled < into.length) {
      const { bytesRead } = await handle.read(into, filled, into.length - filled, filled).catch((cause: unknown) => {
        throw outputIoError(file, cause, 'read back');
      });
      if (bytesRead === 0) throw new MixsmithError('INTERNAL', `${file} is shorter than what was written to it`);
      filled += bytesRead;
    }
    return into;
  } finally {
    await handle.close();
  }
}
