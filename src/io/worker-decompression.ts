/**
 * Decompression on a worker thread (workers/decompress-worker.ts), for gzip and zstd files large
 * enough to pay for starting one: the raw chunks are posted to it, 1 MiB blocks of decompressed
 * bytes come back. The blocks are the worker's: the reader hands each back (`release`) once it has
 * copied its bytes, and the next chunk takes it home, so this thread never allocates a block per
 * MiB (at 2 × 1M records that churn cost dozens of full collections here, issue #8). A block not
 * released is simply never reused.
 */
import type { Readable } from 'node:stream';
import { WorkerPool, workerScript } from '../workers/worker-pool.js';

export type WorkerCodec = 'gzip' | 'zstd';

/** Compressed files at least this large are decompressed on a worker thread (when the decoder is `auto`). */
export const WORKER_MIN_BYTES = 4 << 20;

/** Bytes of each decompressed block. */
export const BLOCK_BYTES = 1 << 20;

/**
 * A compressed chunk, or the end of the stream, or nothing (`free`: blocks only; `more`: go on
 * with the input the worker holds), with the blocks the reader is done with.
 */
export type DecompressRequest =
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array; readonly free: Uint8Array[] }
  | { readonly kind: 'end' | 'free' | 'more'; readonly free: Uint8Array[] };
/** Decompressed blocks; at the end, whether the last frame was complete; or what the decoder said was wrong. */
export interface DecompressReply {
  readonly blocks: Uint8Array[];
  readonly complete?: boolean;
  readonly problem?: string;
  /** At the end: how many blocks the worker allocated (the rest were filled again). */
  readonly allocated?: number;
  /**
   * The worker stopped at its output budget with input left: ask for `more`. One reply never
   * carries much more than REPLY_BUDGET_BYTES, so a compression bomb is decompressed only as fast
   * as the reader takes it (and stopped by the reader's record limit), never a chunk at a time.
   */
  readonly more?: boolean;
}

/** Decompressed bytes one reply carries at most (plus what the codec holds past its last input byte, at most a block). */
export const REPLY_BUDGET_BYTES = 8 * BLOCK_BYTES;

let allocatedBlocks = 0;

/** Blocks decompression workers of this process have allocated so far (tests check that released blocks are refilled). */
export function decompressionBlocksAllocated(): number {
  return allocatedBlocks;
}

/** Raw chunks on their way to the worker before the file read pauses. */
const MAX_IN_FLIGHT = 4;
/** Released blocks sent home on their own when no chunk has taken them yet. */
const RETURN_BATCH = 4;

/** A decompressed stream, a promise that settles when the decompressor has finished, and a stop. */
export interface Decompression {
  readonly stream: AsyncIterable<Buffer>;
  /** Rejects with the decompressor's complaint (e.g. "premature end") after the stream ends. */
  readonly finished: Promise<void>;
  readonly stop: () => void;
  /** The reader is done with this chunk's bytes: its memory may be reused. */
  readonly release?: (chunk: Buffer) => void;
}

/** What a decompression worker is started with. `gzipStream` skips the direct zlib handle (tests of the fallback). */
export interface DecompressWorkerData {
  readonly codec: WorkerCodec;
  readonly gzipStream?: boolean;
}

export function decompressInWorker(raw: Readable, data: DecompressWorkerData): Decompression {
  const { codec } = data;
  const pool = new WorkerPool<DecompressRequest, DecompressReply, DecompressWorkerData>({
    size: 1,
    kind: 'decompress',
    script: workerScript(import.meta.url, './decompress-worker'),
    data,
  });
  const replies: Promise<DecompressReply>[] = [];
  /**
   * Blocks handed out and not yet released (weakly: a reader that never releases, such as the CSV
   * parser, must not make this hold every block); released ones wait in `free` for the next request.
   */
  const lent = new WeakSet<ArrayBufferLike>();
  let free: Uint8Array[] = [];
  let ended = false;
  let stopped = false;
  let failed: unknown;
  /** The last reply said the worker holds input it has not decompressed: read no more of the file. */
  let backlog = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  /** Sends a request with the blocks released since the last one (and a chunk's bytes), memory handed over. */
  const send = (kind: DecompressRequest['kind'], bytes?: Uint8Array) => {
    const returned = free;
    free = [];
    const transfer = returned.map((block) => block.buffer as ArrayBuffer);
    if (bytes) transfer.push(bytes.buffer as ArrayBuffer);
    const request: DecompressRequest =
      kind === 'chunk' ? { kind, bytes: bytes!, free: returned } : { kind, free: returned };
    const reply = pool.run(request, transfer);
    reply.catch(() => {}); // awaited in turn below
    replies.push(reply);
    notify();
  };
  raw.on('data', (chunk: Buffer) => {
    // A copy in memory of its own: read streams may hand out views of a shared buffer.
    const bytes = new Uint8Array(chunk);
    send('chunk', bytes);
    if (replies.length >= MAX_IN_FLIGHT || backlog) raw.pause();
  });
  raw.on('end', () => {
    ended = true;
    send('end');
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
        backlog = reply.more === true;
        if (backlog && replies.length === 0) send('more');
        if (raw.isPaused() && !ended && replies.length < MAX_IN_FLIGHT && !backlog) raw.resume();
        for (const block of reply.blocks) {
          lent.add(block.buffer);
          yield Buffer.from(block.buffer, block.byteOffset, block.length);
        }
        if (reply.problem !== undefined) throw new Error(reply.problem);
        allocatedBlocks += reply.allocated ?? 0;
        if (reply.complete === false) throw new Error(`${codec}: premature end (the stream is truncated)`);
        if (reply.complete === true) return;
      }
    } finally {
      await pool.close();
    }
  }
  const release = (chunk: Buffer) => {
    if (stopped || !lent.delete(chunk.buffer)) return;
    free.push(new Uint8Array(chunk.buffer, 0, BLOCK_BYTES));
    if (free.length >= RETURN_BATCH && !ended) send('free');
  };
  const stream = blocks();
  const stop = () => {
    stopped = true;
    failed ??= new Error('stopped');
    notify();
    void stream.return(undefined);
    // The generator may be waiting for a reply that will not come: the pool is closed here too.
    void pool.close();
  };
  return { stream, finished: Promise.resolve(), stop, release };
}
