import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashPool, inlineDigest } from '../../src/io/hash-pool.js';
import { liveWorkers } from '../../src/workers/worker-pool.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes: a simple generator, so the test needs no fixture. */
function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('HashPool', () => {
  it('gives each file the sha256 of exactly its bytes, in chunks of any size, one file after another', async () => {
    const pool = new HashPool();
    try {
      // Across the 4 MiB blocks it sends, in uneven chunks, and an empty file between two others.
      for (const [length, chunk] of [
        [9 << 20, 1 << 20],
        [0, 7],
        [5_000_001, 65_537],
        [3, 1],
      ] as const) {
        const bytes = bytesOf(length, length + 1);
        const digest = pool.file();
        for (let at = 0; at < length; at += chunk) digest.update(bytes.subarray(at, at + chunk));
        expect(await digest.digest()).toBe(sha256(bytes));
      }
    } finally {
      await pool.close();
    }
    expect(liveWorkers('hash')).toBe(0);
  });

  it('asks the reader to wait while too many blocks are on their way, and not otherwise', async () => {
    const pool = new HashPool();
    try {
      const bytes = bytesOf(48 << 20, 3);
      const digest = pool.file();
      expect(digest.backlog()).toBeUndefined();
      // 12 blocks sent without giving the worker a turn: more than may be in flight.
      for (let at = 0; at < bytes.length; at += 1 << 20) digest.update(bytes.subarray(at, at + (1 << 20)));
      const behind = digest.backlog();
      expect(behind).toBeInstanceOf(Promise);
      while (digest.backlog()) await digest.backlog();
      expect(digest.backlog()).toBeUndefined();
      expect(await digest.digest()).toBe(sha256(bytes));
    } finally {
      await pool.close();
    }
  });

  it('agrees with the inline digest', async () => {
    const bytes = bytesOf(100_000, 7);
    const inline = inlineDigest();
    inline.update(bytes);
    expect(inline.backlog()).toBeUndefined();
    expect(await inline.digest()).toBe(sha256(bytes));
  });
});
