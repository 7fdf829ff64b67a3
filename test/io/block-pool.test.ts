import { describe, expect, it } from 'vitest';
import { BlockPool, MAX_POOLED_BLOCK_BYTES } from '../../src/io/block-pool.js';

describe('BlockPool', () => {
  it('reuses a given block once, for a request it can hold, and never Node’s shared pool', () => {
    const pool = new BlockPool();
    const first = pool.take(1000);
    expect(first.length).toBe(1000);
    expect(first.buffer.byteLength).toBe(1000); // its own memory: transferable
    pool.give(first.buffer);
    expect(pool.take(2000).buffer).not.toBe(first.buffer); // too small
    const again = pool.take(500);
    expect(again.buffer).toBe(first.buffer);
    expect(again.length).toBe(500);
    expect(pool.take(500).buffer).not.toBe(first.buffer); // handed out once only
  });

  it('does not keep a block larger than MAX_POOLED_BLOCK_BYTES (a huge line’s memory goes back to the collector)', () => {
    const pool = new BlockPool();
    const huge = new ArrayBuffer(MAX_POOLED_BLOCK_BYTES + 1);
    pool.give(huge);
    expect(pool.take(10).buffer).not.toBe(huge);
    const largest = new ArrayBuffer(MAX_POOLED_BLOCK_BYTES);
    pool.give(largest);
    expect(pool.take(10).buffer).toBe(largest);
  });
});
