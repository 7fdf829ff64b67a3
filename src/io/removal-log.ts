/**
 * removed.jsonl: one line per record left out of the mixture, with why and what it matched, written
 * as the scan goes so that memory does not grow with the input. A rescan starts the log afresh.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { outputIoError } from './output-error.js';

export interface LoggedFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** Characters of lines gathered before a write. */
const FLUSH_CHARS = 64 * 1024;

export class RemovalLog {
  private stream: WriteStream | undefined;
  private rows = 0;
  private bytes = 0;
  private hash = createHash('sha256');
  private pending = '';
  /** The first write error of the stream, reported at the next write or at close. */
  private failure: unknown;

  constructor(
    private readonly file: string,
    /** Name of the file relative to the output folder, for the manifest. */
    private readonly name: string,
  ) {}

  /** Start (or start again): truncates what an earlier scan wrote. */
  async begin(): Promise<void> {
    if (this.stream) {
      this.stream.end();
      await this.finished();
    }
    this.stream = createWriteStream(this.file, { flags: 'w' });
    // Without a listener, a failed write (ENOSPC, EIO) would be an uncaught 'error' event.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    this.pending = '';
    this.rows = 0;
    this.bytes = 0;
    this.hash = createHash('sha256');
  }

  write(entry: object): void {
    if (this.failure !== undefined) throw outputIoError(this.file, this.failure);
    this.pending += `${JSON.stringify(entry)}\n`;
    this.rows++;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /** Lines go out in chunks: one stream write per line cost more than the lines themselves. */
  private flush(): void {
    if (this.pending === '') return;
    const buffer = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.bytes += buffer.length;
    this.hash.update(buffer);
    this.stream!.write(buffer);
  }

  private async finished(): Promise<void> {
    try {
      await finished(this.stream!);
    } catch (cause) {
      this.failure ??= cause;
    }
    if (this.failure !== undefined) throw outputIoError(this.file, this.failure);
  }

  /**
   * A failed run: stop writing and let go of the file. Resolves once the stream is closed, so a
   * file still being opened cannot appear in a folder that is being removed after it.
   */
  async abort(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream || stream.closed) return;
    await new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.destroy();
    });
  }

  async close(): Promise<LoggedFile> {
    if (!this.stream) await this.begin();
    this.flush();
    this.stream!.end();
    await this.finished();
    return { path: this.name, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}
