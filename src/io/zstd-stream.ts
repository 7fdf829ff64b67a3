/**
 * Zstandard decompression of a byte stream, three ways:
 *
 * - `worker`: zstd-napi's decompression context on a worker thread (workers/zstd-worker.ts), the
 *   raw chunks posted to it and ~1 MiB blocks posted back. It decompresses beside the scan like
 *   the command, without its pipes: at 2 × 1M records the command's 64 KiB pipe reads cost
 *   ~1.2 s of CPU per file more (docs/benchmarks.md). The default for large files;
 * - `cli`: the `zstd -dcq` command, fed through its stdin;
 * - `napi`: zstd-napi's `DecompressStream` on this thread: no start-up cost, so the default for
 *   small files.
 *
 * The raw file bytes always pass through this process (never opened by zstd itself) so the
 * caller sees them for the manifest's sha256.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { DecompressStream } from 'zstd-napi';
import { WorkerPool, workerScript } from '../workers/worker-pool.js';

export type ZstdDecoder = 'auto' | 'cli' | 'napi' | 'worker';

/** A compressed chunk, or the end of the stream, as the zstd worker gets them. */
export type ZstdRequest = { readonly kind: 'chunk'; readonly bytes: Uint8Array } | { readonly kind: 'end' };
/** Decompressed blocks; at the end, whether the last frame was complete; or what zstd said was wrong. */
export interface ZstdReply {
  readonly blocks: Uint8Array[];
  readonly complete?: boolean;
  readonly problem?: string;
}

/** Compressed files at least this large are decompressed on a worker thread (when the decoder is `auto`). */
export const WORKER_MIN_BYTES = 4 << 20;
/** Raw chunks on their way to the worker before the file read pauses. */
const MAX_IN_FLIGHT = 4;

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

function viaWorker(raw: Readable): Decompression {
  const pool = new WorkerPool<ZstdRequest, ZstdReply>({ size: 1, kind: 'zstd', script: workerScript(import.meta.url, '../workers/zstd-worker') });
  const replies: Promise<ZstdReply>[] = [];
  let ended = false;
  let failed: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const send = (request: ZstdRequest, transfer: ArrayBuffer[] = []) => {
    const reply = pool.run(request, transfer);
    reply.catch(() => {}); // awaited in turn below
    replies.push(reply);
    notify();
  };
  raw.on('data', (chunk: Buffer) => {
    // A copy in memory of its own: read streams may hand out views of a shared buffer.
    const bytes = new Uint8Array(chunk);
    send({ kind: 'chunk', bytes }, [bytes.buffer as ArrayBuffer]);
    if (replies.length >= MAX_IN_FLIGHT) raw.pause();
  });
  raw.on('end', () => {
    ended = true;
    send({ kind: 'end' });
  });
  raw.on('error', (error) => {
    failed = error;
    notify();
  });
  async function* blocks(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        while (replies.length === 0 && failed === undefined) await new Promise<void>((resolve) => (wake = resolve));
        if (failed !== undefined) throw failed;
        const reply = await replies.shift()!;
        if (raw.isPaused() && !ended && replies.length < MAX_IN_FLIGHT) raw.resume();
        if (reply.problem !== undefined) throw new Error(reply.problem);
        for (const block of reply.blocks) yield Buffer.from(block.buffer, block.byteOffset, block.length);
        if (reply.complete === false) throw new Error('zstd: premature end (the stream is truncated)');
        if (reply.complete === true) return;
      }
    } finally {
      await pool.close();
    }
  }
  const stream = Readable.from(blocks(), { objectMode: true });
  const stop = () => {
    stream.destroy();
    // The generator may be waiting for a reply that will not come: the pool is closed here too.
    void pool.close();
  };
  return { stream, finished: Promise.resolve(), stop };
}

/**
 * Decompress `raw` as `decoder` says; `auto` takes the worker for files of `fileBytes` ≥
 * WORKER_MIN_BYTES and zstd-napi on this thread for smaller ones.
 */
export function zstdDecompress(raw: Readable, decoder: ZstdDecoder = 'auto', fileBytes = 0): Decompression {
  if (decoder === 'cli') return viaCli(raw);
  if (decoder === 'worker' || (decoder === 'auto' && fileBytes >= WORKER_MIN_BYTES)) return viaWorker(raw);
  return viaNapi(raw);
}
