/**
 * A new output file that counts and hashes every byte on its way to disk, so the manifest's
 * bytes and sha256 cost no second read. Writes are buffered up to 1 MiB and issued in order;
 * callers await each `write`, so at most one buffer is in flight.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { MixsmithError } from '../errors.js';

/** Size and checksum of a finished file. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

const FLUSH_BYTES = 1 << 20;

export class HashedFile {
  private readonly hash: Hash = createHash('sha256');
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
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
      throw ioError(path, cause);
    }
  }

  /** Queue bytes; they reach the disk in order. `chunk` is kept, not copied: do not reuse it. */
  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  async close(): Promise<FileDigest> {
    await this.flush();
    try {
      await this.handle.close();
    } catch (cause) {
      throw ioError(this.path, cause);
    }
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const buffer = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      await this.handle.write(buffer);
    } catch (cause) {
      throw ioError(this.path, cause);
    }
  }
}

function ioError(path: string, cause: unknown): MixsmithError {
  return new MixsmithError('OUTPUT_IO', `cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
    where: { file: path },
    cause,
    hint: 'check that the output folder is writable and the disk has room',
  });
}
