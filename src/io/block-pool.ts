/**
 * Blocks of memory for JSONL lines (line-batches.ts), handed back once their records are
 * consumed and reused for the next ones. A fresh 1 MiB block per block read made V8 count
 * gigabytes of external memory and run full collections for it: at 2 × 1M records the main
 * thread spent 3.4 s in the collector. The memory must be the pool's own (never Node's shared
 * Buffer pool), since a block is transferred to a worker and back.
 */
const MAX_POOLED = 16;

/**
 * Larger blocks (a line of hundreds of MB, line-batches.ts) are left to the collector: kept,
 * one would hold its memory for the rest of the run, through the write phase.
 */
export const MAX_POOLED_BLOCK_BYTES = 8 << 20;

export class BlockPool {
  private readonly free: ArrayBuffer[] = [];

  /** A block of at least `bytes`, its memory its own. */
  take(bytes: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const buffer = this.free[i]!;
      if (buffer.byteLength >= bytes) {
        this.free.splice(i, 1);
        return Buffer.from(buffer, 0, bytes);
      }
    }
    return Buffer.allocUnsafeSlow(bytes);
  }

  /** The memory of a block no one reads any more. */
  give(buffer: ArrayBufferLike): void {
    if (
      this.free.length < MAX_POOLED &&
      buffer instanceof ArrayBuffer &&
      buffer.byteLength > 0 &&
      buffer.byteLength <= MAX_POOLED_BLOCK_BYTES
    )
      this.free.push(buffer);
  }
}
