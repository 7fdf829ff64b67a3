/**
 * A new output file that counts and hashes every byte on its way to disk, so the manifest's
 * bytes and sha256 cost no second read. Small writes are copied into one of two 1 MiB buffers;
 * a full buffer is hashed and its writing starts while the other fills (one write in flight at
 * most, in order). A write returns a promise only when it has to wait, so callers can write a
 * record at a time without a promise each.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { outputIoError } from './output-error.js';

/** Size and checksum of a finished file. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

const FLUSH_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export class HashedFile {
  private readonly hash: Hash = createHash('sha256');
  private buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  /** The other buffer: being written while `writing` is pending. */
  private spare = Buffer.allocUnsafe(FLUSH_BYTES);
  private writing: Promise<void> | undefined;
  private used = 0;
  private bytes = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  /** Create `path`, which must not exist (output folders are fresh staging folders). */
  static async create(path: string): Promise<HashedFile> {
    try {
      return new HashedFile(await open(path, 'wx'), path);
    } catch (cause) {
      throw outputIoError(path, cause);
    }
  }

  /**
   * Queue `chunk`, plus a newline when `newline`; the bytes reach the disk in order. `chunk` is
   * copied or written before the returned promise settles: it may be reused once that is done.
   * Returns a promise only when the buffer had to go to disk (await it before the next write).
   */
  write(chunk: Uint8Array, newline = false): Promise<void> | undefined {
    const size = chunk.length + (newline ? 1 : 0);
    if (this.used + size > FLUSH_BYTES) return this.writeThrough(chunk, newline);
    this.buffer.set(chunk, this.used);
    this.used += chunk.length;
    if (newline) this.buffer[this.used++] = NEWLINE;
    return undefined;
  }

  async close(): Promise<FileDigest> {
    await this.flush();
    await this.writing;
    try {
      await this.handle.close();
    } catch (cause) {
      throw outputIoError(this.path, cause);
    }
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** The buffer is full: send it, then take `chunk` into the other one, or write a large chunk as it is. */
  private async writeThrough(chunk: Uint8Array, newline: boolean): Promise<void> {
    await this.flush();
    if (chunk.length >= FLUSH_BYTES) {
      await this.writing;
      await this.writeOut(chunk);
      if (newline) this.buffer[this.used++] = NEWLINE;
      return;
    }
    this.write(chunk, newline);
  }

  /** Start writing the buffer (after the previous write is done) and switch to the other one. */
  private async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.writing;
    const bytes = this.buffer.subarray(0, this.used);
    [this.buffer, this.spare] = [this.spare, this.buffer];
    this.used = 0;
    this.writing = this.writeOut(bytes);
    // Awaited by the next flush or by close; this only keeps it from counting as unhandled.
    this.writing.catch(() => {});
  }

  private async writeOut(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.bytes += bytes.length;
    try {
      let done = 0;
      while (done < bytes.length) done += (await this.handle.write(bytes, done, bytes.length - done)).bytesWritten;
    } catch (cause) {
      // The file is of no use now; release its descriptor rather than leave it to the collector.
      await this.handle.close().catch(() => {});
      throw outputIoError(this.path, cause);
    }
  }
}
