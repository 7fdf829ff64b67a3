import { describe, expect, it } from 'vitest';
import { BlockPool } from '../../src/io/block-pool.js';

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
});
