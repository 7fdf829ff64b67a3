/**
 * JSONL shards: one record per line, plain, gzip (node:zlib) or zstd (zstd-napi, in-process).
 *
 * Compressed bytes depend only on the input bytes (and at most on where they are cut into
 * chunks); lines are batched into chunks of a fixed size here, so the same records give the same
 * file on every run, whatever the event loop does. Node's gzip header carries mtime 0, and zstd
 * runs single-threaded, so neither embeds anything of the moment.
 */
import { once } from 'node:events';
import { type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import { CompressStream } from 'zstd-napi';
import { MixsmithError } from '../errors.js';
import { HashedFile } from '../io/hashed-file.js';
import { outputIoError } from '../io/output-error.js';
import type { ClosedShard, ShardSink, SinkFactory } from './shard-sink.js';

export type JsonlCompression = 'none' | 'gzip' | 'zstd';

const EXTENSIONS: Record<JsonlCompression, string> = { none: 'jsonl', gzip: 'jsonl.gz', zstd: 'jsonl.zst' };

/** Bytes of lines handed to the compressor at once; fixed, so chunk boundaries are reproducible. */
const CHUNK_BYTES = 256 * 1024;

/** gzip -6 and zstd -3: each tool's own default level. */
function encoder(compression: Exclude<JsonlCompression, 'none'>): Transform {
  if (compression === 'gzip') return createGzip({ level: 6, strategy: constants.Z_DEFAULT_STRATEGY });
  return new CompressStream({ compressionLevel: 3, checksumFlag: true });
}

const NEWLINE = 0x0a;

class PlainJsonlSink implements ShardSink {
  constructor(private readonly file: HashedFile) {}

  write(line: Uint8Array): Promise<void> | undefined {
    return this.file.write(line, true);
  }

  async close(): Promise<ClosedShard> {
    return { ...(await this.file.close()), sidecars: [] };
  }
}

class CompressedJsonlSink implements ShardSink {
  private readonly encoder: Transform;
  private readonly done: Promise<void>;
  /** Lines not yet handed to the encoder, copied in (the encoder reads a chunk after `write` returns). */
  private batch = Buffer.allocUnsafe(CHUNK_BYTES);
  private batchBytes = 0;

  constructor(
    private readonly file: HashedFile,
    compression: Exclude<JsonlCompression, 'none'>,
  ) {
    this.encoder = encoder(compression);
    const target = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        const pending = this.file.write(chunk);
        if (pending) pending.then(() => callback(), callback);
        else callback();
      },
    });
    this.done = pipeline(this.encoder, target);
    // Surface a failure at the next write or at close, not as an unhandled rejection.
    this.done.catch(() => {});
  }

  write(line: Uint8Array): Promise<void> | undefined {
    const end = this.batchBytes + line.length + 1;
    if (end > this.batch.length) {
      // A line longer than the room left: the chunk grows to take it whole, then goes out.
      const larger = Buffer.allocUnsafe(end);
      this.batch.copy(larger, 0, 0, this.batchBytes);
      this.batch = larger;
    }
    this.batch.set(line, this.batchBytes);
    this.batch[end - 1] = NEWLINE;
    this.batchBytes = end;
    return this.batchBytes >= CHUNK_BYTES ? this.flushBatch() : undefined;
  }

  async close(): Promise<ClosedShard> {
    await this.flushBatch();
    this.encoder.end();
    try {
      await this.done;
    } catch (cause) {
      throw compressError(this.file.path, cause);
    }
    return { ...(await this.file.close()), sidecars: [] };
  }

  private async flushBatch(): Promise<void> {
    if (this.batchBytes === 0) return;
    const chunk = this.batch.subarray(0, this.batchBytes);
    this.batch = Buffer.allocUnsafe(CHUNK_BYTES);
    this.batchBytes = 0;
    if (!this.encoder.write(chunk)) {
      try {
        await once(this.encoder, 'drain');
      } catch (cause) {
        throw compressError(this.file.path, cause);
      }
    }
  }
}

function compressError(file: string, cause: unknown): MixsmithError {
  if (cause instanceof MixsmithError) return cause;
  return outputIoError(file, cause, 'compress');
}

/** Shards of JSON lines, compressed as asked. */
export function jsonlSinks(compression: JsonlCompression): SinkFactory {
  return {
    extension: EXTENSIONS[compression],
    async open(tempPath) {
      const file = await HashedFile.create(tempPath);
      return compression === 'none' ? new PlainJsonlSink(file) : new CompressedJsonlSink(file, compression);
    },
  };
}
