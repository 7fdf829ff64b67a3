/**
 * Zstandard decompression of a byte stream. The `zstd` command is preferred: spawned as
 * `zstd -dcq` it decompresses on the second core, which measured 3.7 s vs 5.4 s for zstd-napi's
 * `DecompressStream` (main thread) on 1.17 GB of JSONL (../shared/notes/deps-measured.md §3).
 * When the command is missing, zstd-napi does the same job in-process.
 *
 * The raw file bytes are piped into zstd's stdin (not opened by zstd itself) so the caller still
 * sees them for the manifest's sha256.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { DecompressStream } from 'zstd-napi';

export type ZstdDecoder = 'auto' | 'cli' | 'napi';

/** A decompressed stream, a promise that settles when the decompressor has finished, and a stop. */
export interface Decompression {
  readonly stream: Readable;
  /** Rejects with the decompressor's complaint (e.g. "premature end") after the stream ends. */
  readonly finished: Promise<void>;
  readonly stop: () => void;
}

let cliAvailable: boolean | undefined;

/** Whether `zstd` runs here; asked once per process. */
export function zstdCliAvailable(): boolean {
  cliAvailable ??= spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;
  return cliAvailable;
}

function viaCli(raw: Readable): Decompression {
  const child = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let complaint = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (complaint.length < 2000) complaint += text;
  });
  // EPIPE when zstd stops early (bad data) or we stop it: its exit status says what happened.
  child.stdin.on('error', () => {});
  raw.pipe(child.stdin);
  const finished = new Promise<void>((resolve, reject) => {
    raw.on('error', (error) => {
      child.kill();
      reject(error);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(complaint.trim() || `zstd exited with ${code ?? signal}`));
    });
  });
  finished.catch(() => {}); // awaited by the caller after the stream ends; never unhandled
  return {
    stream: child.stdout,
    finished,
    stop: () => {
      raw.unpipe(child.stdin);
      child.stdin.destroy();
      if (child.exitCode === null) child.kill();
    },
  };
}

function viaNapi(raw: Readable): Decompression {
  const decompress = new DecompressStream();
  raw.on('error', (error) => decompress.destroy(error));
  raw.pipe(decompress);
  return { stream: decompress, finished: Promise.resolve(), stop: () => decompress.destroy() };
}

/** Decompress `raw` with the zstd command when available (or when asked), else zstd-napi. */
export function zstdDecompress(raw: Readable, decoder: ZstdDecoder = 'auto'): Decompression {
  const useCli = decoder === 'cli' || (decoder === 'auto' && zstdCliAvailable());
  return useCli ? viaCli(raw) : viaNapi(raw);
}
