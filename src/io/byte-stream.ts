/**
 * Open an input file as a stream of (decompressed) byte chunks: plain, gzip (node:zlib) or zstd
 * (zstd-napi, or the `zstd` command). Compressed files of 4 MB and more are decompressed on a
 * worker thread (worker-decompression.ts), smaller ones here. Compression is told by the first
 * bytes, not the name. The on-disk bytes pass through `onFileBytes` first, so the manifest's
 * sha256 costs no second read. A reader done with a chunk's bytes may say so (`release`): the
 * memory is then reused.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, TransformOptions } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { MixsmithError } from '../errors.js';
import { type Compression, detectCompression } from './compression.js';
import { type Decompression, decompressInWorker, WORKER_MIN_BYTES } from './worker-decompression.js';
import { type ZstdDecoder, zstdDecompress } from './zstd-stream.js';

export type { Compression } from './compression.js';

export interface ByteStreamOptions {
  readonly displayPath: string;
  readonly onFileBytes?: ((chunk: Buffer) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Read only this many file bytes (format sniffing); a compressed stream cut short is not an error then. */
  readonly maxFileBytes?: number;
  /** Start at this byte of a file that is not compressed (one piece of a large JSONL file); 0 when absent. */
  readonly startByte?: number;
  /** Which zstd decompressor to use; tests pin one, users get `auto`. */
  readonly zstdDecoder?: ZstdDecoder;
  /**
   * Where gzip is inflated: `auto` (a worker for files of 4 MB and more), `inline`, `worker`, or
   * `worker-stream` (a worker without the direct zlib handle: its fallback); tests pin one.
   */
  readonly gzipDecoder?: GzipDecoder;
}

export type GzipDecoder = 'auto' | 'inline' | 'worker' | 'worker-stream';

/** Decompressed chunks; `release(chunk)` says the reader no longer needs a chunk's bytes. */
export interface ByteChunks extends AsyncGenerator<Buffer> {
  release(chunk: Buffer): void;
}

const CHUNK_BYTES = 1 << 20;

function decompression(
  compression: Compression,
  raw: Readable,
  options: ByteStreamOptions,
  fileBytes: number,
): Decompression {
  if (compression === 'zstd') return zstdDecompress(raw, options.zstdDecoder, fileBytes);
  if (compression === 'gzip') {
    const decoder = options.gzipDecoder ?? 'auto';
    if (decoder === 'worker-stream') return decompressInWorker(raw, { codec: 'gzip', gzipStream: true });
    if (decoder === 'worker' || (decoder === 'auto' && fileBytes >= WORKER_MIN_BYTES))
      return decompressInWorker(raw, { codec: 'gzip' });
    // Room for 8 decompressed chunks: gunzip (on libuv's pool) runs ahead while the scan works
    // through a chunk, instead of waiting for it to be read (the default holds 16 KiB).
    const zlibOptions: ZlibOptions & TransformOptions = {
      chunkSize: CHUNK_BYTES,
      readableHighWaterMark: 8 * CHUNK_BYTES,
    };
    const gunzip = createGunzip(zlibOptions);
    raw.on('error', (error) => gunzip.destroy(error));
    raw.pipe(gunzip);
    return { stream: gunzip, finished: Promise.resolve(), stop: () => gunzip.destroy() };
  }
  return { stream: raw, finished: Promise.resolve(), stop: () => raw.destroy() };
}

const TRUNCATED = /unexpected end|premature end|ended in middle|truncated|incomplete/i;

function readError(cause: unknown, compression: Compression, displayPath: string): MixsmithError {
  const code = (cause as NodeJS.ErrnoException).code;
  const text = String(cause instanceof Error ? cause.message : cause);
  const truncated = compression !== 'none' && (code === 'Z_BUF_ERROR' || TRUNCATED.test(text));
  if (truncated) {
    return new MixsmithError('INPUT_IO', `${displayPath}: the ${compression} stream ends early (truncated file)`, {
      where: { file: displayPath },
      cause,
      hint: 'the file was cut short: download or copy it again',
    });
  }
  if (compression !== 'none' && code !== 'ENOENT' && code !== 'EACCES') {
    return new MixsmithError(
      'INPUT_IO',
      `${displayPath}: the ${compression} data is corrupt (${text.split('\n')[0]})`,
      {
        where: { file: displayPath },
        cause,
        hint: `check the file with ${compression === 'gzip' ? 'gzip -t' : 'zstd -t'}, and copy it again if that fails`,
      },
    );
  }
  return new MixsmithError('INPUT_IO', `${displayPath}: cannot read (${code ?? text})`, {
    where: { file: displayPath },
    cause,
    hint: 'check that the file exists and is readable',
  });
}

/** Decompressed chunks of `file` (about 1 MiB each); I/O and decompression failures become INPUT_IO. */
export function byteStream(file: string, options: ByteStreamOptions): ByteChunks {
  const releaser: { release?: ((chunk: Buffer) => void) | undefined } = {};
  return Object.assign(chunksOf(file, options, releaser), { release: (chunk: Buffer) => releaser.release?.(chunk) });
}

async function* chunksOf(
  file: string,
  options: ByteStreamOptions,
  releaser: { release?: ((chunk: Buffer) => void) | undefined },
): AsyncGenerator<Buffer> {
  const compression = await detectCompression(file, options.displayPath);
  // The size picks the zstd decoder; a file that cannot be read fails below, with the reader's error.
  // Asked before the file is opened: nothing may be awaited between the 'data' listener below (which
  // starts the flow) and the decompressor's pipe, or the chunks read meanwhile never reach it.
  const fileBytes =
    compression !== 'none'
      ? await stat(file).then(
          (info) => info.size,
          () => 0,
        )
      : 0;
  if (options.startByte && compression !== 'none')
    throw new Error(`a compressed file is read from its start, not from byte ${options.startByte}`);
  const raw = createReadStream(file, {
    highWaterMark: CHUNK_BYTES,
    ...(options.startByte ? { start: options.startByte } : {}),
    ...(options.maxFileBytes !== undefined ? { end: options.maxFileBytes - 1 } : {}),
  });
  const onFileBytes = options.onFileBytes;
  if (onFileBytes) raw.on('data', (chunk) => onFileBytes(chunk as Buffer));
  const { stream, finished, stop, release } = decompression(compression, raw, options, fileBytes);
  releaser.release = release;
  try {
    for await (const chunk of stream) {
      if (options.signal?.aborted) return;
      yield chunk as Buffer;
    }
    await finished;
  } catch (cause) {
    if (options.maxFileBytes !== undefined && compression !== 'none') return; // a sniff cuts compressed data short on purpose
    throw readError(cause, compression, options.displayPath);
  } finally {
    raw.destroy();
    stop();
  }
}
