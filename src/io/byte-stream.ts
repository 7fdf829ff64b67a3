/**
 * Open an input file as a stream of (decompressed) byte chunks. The on-disk bytes pass through
 * `onFileBytes` first, so the manifest's sha256 costs no second read.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { MixsmithError } from '../errors.js';

export type Compression = 'none' | 'gzip';

export function compressionOf(file: string): Compression {
  return /\.gz$/i.test(file) ? 'gzip' : 'none';
}

export interface ByteStreamOptions {
  readonly displayPath: string;
  readonly onFileBytes?: (chunk: Buffer) => void;
  readonly signal?: AbortSignal | undefined;
  /** Read only this many file bytes (format sniffing). */
  readonly maxFileBytes?: number;
}

const CHUNK_BYTES = 1 << 20;

export async function* byteStream(file: string, options: ByteStreamOptions): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, {
    highWaterMark: CHUNK_BYTES,
    ...(options.maxFileBytes !== undefined ? { end: options.maxFileBytes - 1 } : {}),
  });
  const compression = compressionOf(file);
  const onFileBytes = options.onFileBytes;
  if (onFileBytes) raw.on('data', (chunk) => onFileBytes(chunk as Buffer));
  const stream = compression === 'gzip' ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  if (compression === 'gzip') raw.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream) {
      if (options.signal?.aborted) return;
      yield chunk as Buffer;
    }
  } catch (cause) {
    if (options.maxFileBytes !== undefined && compression === 'gzip') return; // a sniff cuts gzip short on purpose
    const code = (cause as NodeJS.ErrnoException).code;
    const truncated = code === 'Z_BUF_ERROR' || /unexpected end/i.test(String(cause));
    throw new MixsmithError('INPUT_IO', truncated ? `${options.displayPath}: the gzip stream ends early (truncated file)` : `${options.displayPath}: cannot read (${code ?? String(cause)})`, {
      where: { file: options.displayPath },
      cause,
      hint: truncated ? 'the file was cut short: download or copy it again' : 'check that the file exists and is readable',
    });
  } finally {
    raw.destroy();
    stream.destroy();
  }
}
