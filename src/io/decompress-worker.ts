/**
 * A decompression worker: compressed chunks in, in order, their decompressed bytes out in blocks
 * of 1 MiB (io/worker-decompression.ts). One stream per worker: gzip (node:zlib) or zstd
 * (zstd-napi's context), as the pool's data says. Blocks the reader is done with come back with
 * later chunks and are filled again, so the reading thread sees the same few blocks over and over:
 * a fresh block per MiB made V8 run a full collection every ~64 MB of input on that thread
 * (issue #8). Corrupt data is an answer (`problem`), not a failure of the worker.
 */
import { createRequire } from 'node:module';
import { constants, createGunzip, gzipSync } from 'node:zlib';
import type { DecompressReply, DecompressRequest, DecompressWorkerData, WorkerCodec } from './worker-decompression.js';
import { BLOCK_BYTES, REPLY_BUDGET_BYTES } from './worker-decompression.js';
import { type Handled, poolData, serveBatches } from '../workers/serve-batches.js';

/** Decompressed bytes gathered into blocks: recycled ones first, else new ones. */
class BlockFiller {
  private readonly free: Uint8Array[] = [];
  private current: Uint8Array | undefined;
  private filled = 0;
  private full: Uint8Array[] = [];
  /** Blocks allocated, not recycled (tests check that reading releases them). */
  allocated = 0;

  recycle(blocks: readonly Uint8Array[]): void {
    for (const block of blocks)
      if (block.byteLength === BLOCK_BYTES) this.free.push(new Uint8Array(block.buffer, 0, BLOCK_BYTES));
  }

  /** Where the next bytes go: the rest of the current block. */
  room(): Uint8Array {
    if (!this.current) {
      this.current = this.free.pop();
      if (!this.current) {
        this.current = new Uint8Array(BLOCK_BYTES);
        this.allocated++;
      }
    }
    return this.current.subarray(this.filled);
  }

  /** Bytes written so far. */
  written = 0;

  /** `count` bytes were written into `room()`. */
  wrote(count: number): void {
    this.written += count;
    this.filled += count;
    if (this.filled === BLOCK_BYTES) this.seal();
  }

  append(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; ) {
      const room = this.room();
      const taken = Math.min(room.length, bytes.length - at);
      room.set(bytes.subarray(at, at + taken));
      at += taken;
      this.wrote(taken);
    }
  }

  private seal(): void {
    if (this.current && this.filled > 0) {
      this.full.push(this.current.subarray(0, this.filled));
      this.current = undefined;
      this.filled = 0;
    }
  }

  /** The blocks filled so far; with `all`, the one being filled too. */
  take(all: boolean): Uint8Array[] {
    if (all) this.seal();
    const full = this.full;
    this.full = [];
    return full;
  }
}

interface Codec {
  /**
   * Decompresses `input` into the blocks until it is used up or, with input left, `budget` bytes
   * came out; returns the bytes of input used. Once the input is used up the codec gives out what
   * it still holds (at most a block), whatever the budget.
   */
  write(input: Uint8Array, budget: number): number | Promise<number>;
  /** After the last chunk: whether the stream ended where it should (no truncation). */
  end(): boolean | Promise<boolean>;
}

interface DCtx {
  decompressStream(dst: Uint8Array, src: Uint8Array): [remaining: number, produced: number, consumed: number];
}

function zstdCodec(blocks: BlockFiller): Codec {
  const { DCtx } = createRequire(import.meta.url)('zstd-napi/binding') as { DCtx: new () => DCtx };
  const dctx = new DCtx();
  /** 0 when the last frame is complete (zstd's return value: bytes still expected, roughly). */
  let remaining = 0;
  return {
    write(input, budget) {
      // Until the chunk is used up and zstd leaves room unfilled (nothing buffered inside it).
      let rest = input;
      let out = 0;
      for (;;) {
        const room = blocks.room();
        const [left, produced, consumed] = dctx.decompressStream(room, rest);
        remaining = left;
        rest = rest.subarray(consumed);
        blocks.wrote(produced);
        out += produced;
        if (rest.length === 0 && produced < room.length) return input.length;
        if (rest.length > 0 && out >= budget) return input.length - rest.length;
      }
    },
    end: () => remaining === 0,
  };
}

/**
 * node:zlib's inflate driven directly, synchronously, into the blocks: no stream, no fresh output
 * buffer per MiB (their page faults alone cost ~1 s of system time per 1.8 GB here), no copy.
 * This uses the handle beneath `createGunzip()` (`_handle.writeSync`, `_writeState`), which
 * zlib's own synchronous functions use but Node does not document; so it is checked on a small
 * two-member gzip first, and the stream below takes over when it is missing or misbehaves.
 */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  onerror: (message: string, errno: number) => void;
}

function handleOf(): { handle: ZlibHandle; state: Uint32Array; failure: () => Error | undefined } | undefined {
  const gunzip = createGunzip() as unknown as { _handle?: ZlibHandle; _writeState?: Uint32Array };
  const handle = gunzip._handle;
  const state = gunzip._writeState;
  if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array) || state.length !== 2)
    return undefined;
  let failure: Error | undefined;
  handle.onerror = (message) => (failure ??= new Error(message));
  return { handle, state, failure: () => failure };
}

function handleCodec(blocks: BlockFiller): Codec | undefined {
  const zlib = handleOf();
  if (!zlib) return undefined;
  const { handle, state, failure } = zlib;
  const inflate = (input: Uint8Array, flush: number, budget = Number.POSITIVE_INFINITY): number => {
    let inOff = 0;
    let inLen = input.length;
    let out = 0;
    for (;;) {
      const room = blocks.room();
      handle.writeSync(flush, input, inOff, inLen, room, 0, room.length);
      const problem = failure();
      if (problem) throw problem;
      const [outLeft, inLeft] = state as unknown as [number, number];
      blocks.wrote(room.length - outLeft);
      out += room.length - outLeft;
      inOff += inLen - inLeft;
      inLen = inLeft;
      // Room left over means zlib has nothing more to give for this input.
      if (outLeft !== 0) return input.length;
      if (inLen > 0 && out >= budget) return inOff;
    }
  };
  return {
    write: (input, budget) => inflate(input, constants.Z_NO_FLUSH, budget),
    end: () => {
      inflate(new Uint8Array(0), constants.Z_FINISH);
      return true;
    },
  };
}

/** Whether the handle inflates a known two-member gzip to its bytes (checked once per worker). */
function handleWorks(): boolean {
  const text = new TextEncoder().encode('{"a":1}\n'.repeat(5000));
  const twice = new Uint8Array(text.length * 2);
  twice.set(text);
  twice.set(text, text.length);
  const check = new BlockFiller();
  try {
    const codec = handleCodec(check);
    if (!codec) return false;
    const gz = new Uint8Array(Buffer.concat([gzipSync(text), gzipSync(text)]));
    codec.write(gz.subarray(0, 100), Number.POSITIVE_INFINITY);
    codec.write(gz.subarray(100), Number.POSITIVE_INFINITY);
    codec.end();
    return Buffer.concat(check.take(true)).equals(twice);
  } catch {
    return false;
  }
}

/** The stream way, through libuv's pool: its output chunks are copied into the blocks. */
function streamCodec(blocks: BlockFiller): Codec {
  const gunzip = createGunzip({ chunkSize: BLOCK_BYTES });
  let failure: Error | undefined;
  let ended = false;
  /** The wait in progress; an error or the end ends it (an error may leave a write's callback uncalled). */
  let wake: (() => void) | undefined;
  const waitFor = (start: (done: () => void) => void) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      if (failure || ended) resolve();
      else start(resolve);
    });
  gunzip.on('data', (chunk: Buffer) => blocks.append(chunk));
  gunzip.on('error', (error) => {
    failure ??= error;
    wake?.();
  });
  gunzip.on('end', () => {
    ended = true;
    wake?.();
  });
  // After a write's callback, output still queued for 'data' is emitted by the next turn.
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    // The fallback keeps no budget: gunzip gives out all of a chunk (at most ~1,000× its bytes).
    async write(input) {
      await waitFor((done) => gunzip.write(input, () => done()));
      await settled();
      if (failure) throw failure;
      return input.length;
    },
    async end() {
      await waitFor(() => gunzip.end());
      await settled();
      if (failure) throw failure;
      return true;
    },
  };
}

function gzipCodec(blocks: BlockFiller): Codec {
  return (
    (poolData<DecompressWorkerData>().gzipStream !== true && handleWorks() ? handleCodec(blocks) : undefined) ??
    streamCodec(blocks)
  );
}

const codecs: Record<WorkerCodec, (blocks: BlockFiller) => Codec> = { gzip: gzipCodec, zstd: zstdCodec };
const blocks = new BlockFiller();
const codec = codecs[poolData<DecompressWorkerData>().codec](blocks);

/** A reply carrying `blocks`, their memory handed over. */
function reply(blocks: Uint8Array[], extra: Omit<DecompressReply, 'blocks'> = {}): Handled<DecompressReply> {
  return { result: { blocks, ...extra }, transfer: blocks.map((b) => b.buffer as ArrayBuffer) };
}

/** Input received and not yet decompressed (after a reply stopped at its budget); whether the stream has ended. */
const pending: Uint8Array[] = [];
let ended = false;

/** Decompresses pending input until it is used up or REPLY_BUDGET_BYTES came out; whether input is left. */
async function pump(): Promise<boolean> {
  let budget = REPLY_BUDGET_BYTES;
  while (pending.length > 0) {
    const input = pending[0]!;
    const before = blocks.written;
    const used = await codec.write(input, budget);
    budget -= blocks.written - before;
    if (used < input.length) {
      pending[0] = input.subarray(used);
      return true;
    }
    pending.shift();
    if (budget <= 0 && pending.length > 0) return true;
  }
  return false;
}

serveBatches<DecompressRequest, DecompressReply>(async (request) => {
  blocks.recycle(request.free);
  if (request.kind === 'free') return reply([]);
  try {
    if (request.kind === 'chunk') pending.push(request.bytes);
    if (request.kind === 'end') ended = true;
    const more = await pump();
    if (more || !ended) return reply(blocks.take(false), more ? { more } : {});
    const complete = await codec.end();
    return reply(blocks.take(true), { complete, allocated: blocks.allocated });
  } catch (error) {
    // Every byte decoded before the problem still goes out, so the reader gets each whole record before it.
    return reply(blocks.take(true), { problem: error instanceof Error ? error.message : String(error) });
  }
});
