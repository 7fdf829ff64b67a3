/**
 * removed.jsonl: one line per record left out of the mixture, with why and what it matched, written
 * as the scan goes so that memory does not grow with the input. A rescan starts the log afresh.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

export interface LoggedFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export class RemovalLog {
  private stream: WriteStream | undefined;
  private rows = 0;
  private bytes = 0;
  private hash = createHash('sha256');

  constructor(
    private readonly file: string,
    /** Name of the file relative to the output folder, for the manifest. */
    private readonly name: string,
  ) {}

  /** Start (or start again): truncates what an earlier scan wrote. */
  async begin(): Promise<void> {
    if (this.stream) {
      this.stream.end();
      await finished(this.stream);
    }
    this.stream = createWriteStream(this.file, { flags: 'w' });
    this.rows = 0;
    this.bytes = 0;
    this.hash = createHash('sha256');
  }

  write(entry: object): void {
    const line = `${JSON.stringify(entry)}\n`;
    const buffer = Buffer.from(line, 'utf8');
    this.rows++;
    this.bytes += buffer.length;
    this.hash.update(buffer);
    this.stream!.write(buffer);
  }

  async close(): Promise<LoggedFile> {
    if (!this.stream) await this.begin();
    this.stream!.end();
    await finished(this.stream!);
    return { path: this.name, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}
