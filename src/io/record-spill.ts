/**
 * A scratch copy of the bytes of records the scan may select from a compressed file, so that the
 * write phase reads them back by offset instead of decompressing the whole file a second time
 * (issue #8: that second pass cost more than the scan's own share of decompressing). Only
 * candidates are copied, so its size follows the output, not the input; it lives in the staged
 * output folder and is deleted before the folder is committed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { outputIoError } from './output-error.js';

const FLUSH_BYTES = 1 << 20;

export class RecordSpill {
  private fd: number | undefined;
  private buffer: Buffer | undefined;
  private filled = 0;
  private written = 0;

  constructor(readonly path: string) {}

  /** Start empty (again, on a rescan). The file is created by the first `append`. */
  reset(): void {
    this.close();
    this.filled = 0;
    this.written = 0;
  }

  /** Copy `bytes`; returns their offset in the spill file. */
  append(bytes: Uint8Array): number {
    if (this.fd === undefined) this.fd = this.io(() => openSync(this.path, 'w'));
    this.buffer ??= Buffer.allocUnsafe(FLUSH_BYTES);
    const offset = this.written + this.filled;
    if (this.filled + bytes.length > this.buffer.length) this.flush();
    if (bytes.length > this.buffer.length) {
      const fd = this.fd;
      this.io(() => writeSync(fd, bytes));
      this.written += bytes.length;
      return offset;
    }
    this.buffer.set(bytes, this.filled);
    this.filled += bytes.length;
    return offset;
  }

  /** Everything appended is in the file (before anything reads it). */
  flush(): void {
    if (this.fd === undefined || this.filled === 0) return;
    const fd = this.fd;
    this.io(() => writeSync(fd, this.buffer!, 0, this.filled));
    this.written += this.filled;
    this.filled = 0;
  }

  /** A system call on the spill file, its failure (ENOSPC, EIO) as OUTPUT_IO. */
  private io<T>(call: () => T): T {
    try {
      return call();
    } catch (cause) {
      throw outputIoError(this.path, cause);
    }
  }

  private close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Close and delete the file. */
  async dispose(): Promise<void> {
    this.close();
    await rm(this.path, { force: true });
  }
}
