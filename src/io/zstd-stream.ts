/**
 * Zstandard decompression of a byte stream, three ways:
 *
 * - `worker`: zstd-napi's decompression context on a worker thread (io/worker-decompression.ts),
 *   the raw chunks posted to it and 1 MiB blocks posted back. It decompresses beside the scan like
 *   the command, without its pipes: at 2 × 1M records the command's 64 KiB pipe reads cost
 *   ~1.2 s of CPU per file more (docs/benchmarks.md). The default for large files;
 * - `cli`: the `zstd -dcq` command, fed through its stdin;
 * - `napi`: zstd-napi's decompression context on this thread, one 1 MiB block per read (its
 *   `DecompressStream` inflates a whole chunk at once: gigabytes for a chunk of a bomb): no
 *   start-up cost, so the default for small files.
 *
 * The raw file bytes always pass through this process (never opened by zstd itself) so the
 * caller sees them for the manifest's sha256.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { BLOCK_BYTES, type Decompression, decompressInWorker, WORKER_MIN_BYTES } from './worker-decompression.js';

export type { Decompression } from './worker-decompression.js';

export type ZstdDecoder = 'auto' | 'cli' | 'napi' | 'worker';

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

interface DCtx {
  decompressStream(dst: Uint8Array, src: Uint8Array): [remaining: number, produced: number, consumed: number];
}

/**
 * zstd-napi's decompression context driven one 1 MiB block at a time, as the reader asks for
 * them. Its `DecompressStream` decompresses a whole input chunk before the reader can say stop: a
 * 1 MiB chunk of a zstd bomb (zeros compress about 30,000 to 1) is gigabytes at once.
 */
function viaNapi(raw: Readable): Decompression {
  const { DCtx } = createRequire(import.meta.url)('zstd-napi/binding') as { DCtx: new () => DCtx };
  const dctx = new DCtx();
  async function* blocks(): AsyncGenerator<Buffer> {
    let inFrame = false;
    for await (const chunk of raw) {
      let rest = chunk as Buffer;
      for (;;) {
        const room = Buffer.allocUnsafe(BLOCK_BYTES);
        const [left, produced, consumed] = dctx.decompressStream(room, rest);
        rest = rest.subarray(consumed);
        if (produced > 0) yield room.subarray(0, produced);
        if (rest.length === 0 && (produced < room.length || left === 0)) {
          inFrame = left !== 0;
          break;
        }
      }
    }
    // DecompressStream's words, which byte-stream.ts reads as a truncated file.
    if (inFrame) throw new Error('Stream ended in middle of compressed data frame');
  }
  return { stream: blocks(), finished: Promise.resolve(), stop: () => raw.destroy() };
}

/**
 * Decompress `raw` as `decoder` says; `auto` takes the worker for files of `fileBytes` ≥
 * WORKER_MIN_BYTES and zstd-napi on this thread for smaller ones.
 */
export function zstdDecompress(raw: Readable, decoder: ZstdDecoder = 'auto', fileBytes = 0): Decompression {
  if (decoder === 'cli') return viaCli(raw);
  if (decoder === 'worker' || (decoder === 'auto' && fileBytes >= WORKER_MIN_BYTES))
    return decompressInWorker(raw, { codec: 'zstd' });
  return viaNapi(raw);
}
