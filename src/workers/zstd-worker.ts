/**
 * A zstd worker: compressed chunks in, in order, their decompressed bytes out in blocks of about
 * 1 MiB (io/zstd-stream.ts). One stream per worker; the decompression context carries from one
 * chunk to the next. Corrupt data is an answer (`problem`), not a failure of the worker.
 */
import { createRequire } from 'node:module';
import type { ZstdReply, ZstdRequest } from '../io/zstd-stream.js';
import { serveBatches } from './serve-batches.js';

interface DCtx {
  decompressStream(dst: Uint8Array, src: Uint8Array): [remaining: number, produced: number, consumed: number];
}
const { DCtx } = createRequire(import.meta.url)('zstd-napi/binding') as { DCtx: new () => DCtx };

const BLOCK_BYTES = 1 << 20;
const dctx = new DCtx();
/** 0 when the last frame is complete (zstd's return value: bytes still expected, roughly). */
let remaining = 0;

serveBatches<ZstdRequest, ZstdReply>((request) => {
  // Each chunk's output is drained to the end, so nothing waits inside zstd at the end.
  if (request.kind === 'end') return { result: { blocks: [], complete: remaining === 0 } };
  const blocks: Uint8Array[] = [];
  try {
    let input = request.bytes;
    // Until the chunk is used up and a block comes back not full (nothing buffered inside zstd).
    for (;;) {
      const block = new Uint8Array(BLOCK_BYTES);
      const [left, produced, consumed] = dctx.decompressStream(block, input);
      remaining = left;
      input = input.subarray(consumed);
      if (produced > 0) blocks.push(block.subarray(0, produced));
      if (input.length === 0 && produced < BLOCK_BYTES) break;
    }
  } catch (error) {
    return { result: { blocks: [], problem: error instanceof Error ? error.message : String(error) } };
  }
  return { result: { blocks }, transfer: blocks.map((b) => b.buffer as ArrayBuffer) };
});
