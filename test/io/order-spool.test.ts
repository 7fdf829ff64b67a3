/**
 * The order spool: lines put in any order come out in position order, byte for byte (multi-byte
 * text included), whether they stay in memory or spill to bucket files, with more positions than a
 * bucket holds, lines larger than the pending buffer, and positions never put skipped.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderSpool, type SpoolLimits } from '../../src/io/order-spool.js';
import { tempDir } from '../helpers/temp.js';

const root = tempDir('mixsmith-spool-');
let folders = 0;
const freshDir = () => {
  const dir = path.join(root, `d${folders++}`);
  mkdirSync(dir);
  return dir;
};

/** A deterministic shuffle of 0 … n-1. */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = seed;
  for (let i = n - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const lineOf = (i: number) =>
  JSON.stringify({
    i,
    text: `${'中文記録'.repeat(i % 5)} record ${i} ${'é😀'.repeat(i % 3)}${'x'.repeat((i * 13) % 90)}`,
  });

async function roundTrip(
  lines: readonly string[],
  order: readonly number[],
  estimatedBytes: number,
  limits?: SpoolLimits,
  dir = freshDir(),
) {
  const spool = new OrderSpool(dir, lines.length, estimatedBytes, limits);
  const seen: string[] = [];
  for (const position of order) {
    spool.put(position, lines[position]!);
    if (spool.mustFlush) await spool.flush();
  }
  const spilled = readdirSync(dir).length;
  for await (const batch of spool.drain()) for (const line of batch) seen.push(line.toString('utf8'));
  return { seen, spilled, left: readdirSync(dir) };
}

describe('OrderSpool', () => {
  const lines = Array.from({ length: 5000 }, (_, i) => lineOf(i));
  const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l), 0);

  it('keeps a small output in memory and gives it back in order', async () => {
    const { seen, spilled, left } = await roundTrip(lines, shuffled(lines.length, 1), 0);
    expect(spilled).toBe(0);
    expect(seen).toEqual(lines);
    expect(left).toEqual([]);
  });

  it('spills to many buckets (far more positions than a bucket holds) and removes them', async () => {
    const limits = { bucketBytes: 16 * 1024, pendingBytes: 4096 };
    const { seen, spilled, left } = await roundTrip(lines, shuffled(lines.length, 2), bytes, limits);
    expect(spilled).toBeGreaterThan(20);
    expect(seen).toEqual(lines);
    expect(left).toEqual([]);
  });

  it('takes lines larger than the pending buffer, and an estimate far off in either direction', async () => {
    const big = lines.map((l, i) => (i % 97 === 0 ? JSON.stringify({ i, text: '長'.repeat(5000) }) : l));
    for (const estimate of [bytes / 50, bytes * 20]) {
      const { seen } = await roundTrip(big, shuffled(big.length, 3), estimate, {
        bucketBytes: 32 * 1024,
        pendingBytes: 1024,
      });
      expect(seen).toEqual(big);
    }
  });

  it('skips positions that were never put', async () => {
    const order = shuffled(lines.length, 4).filter((p) => p % 7 !== 3);
    const expected = lines.filter((_, i) => i % 7 !== 3);
    expect((await roundTrip(lines, order, bytes, { bucketBytes: 8 * 1024, pendingBytes: 2048 })).seen).toEqual(
      expected,
    );
    expect((await roundTrip(lines, order, 0)).seen).toEqual(expected);
  });

  it('any order, any limits: position order out, bytes unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 400 }),
        fc.nat(),
        fc.integer({ min: 256, max: 8192 }),
        fc.integer({ min: 64, max: 4096 }),
        async (n, seed, bucketBytes, pendingBytes) => {
          const some = lines.slice(0, n);
          const estimate = some.reduce((sum, l) => sum + Buffer.byteLength(l), 0);
          const { seen, left } = await roundTrip(some, shuffled(n, seed), estimate, { bucketBytes, pendingBytes });
          expect(seen).toEqual(some);
          expect(left).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a batch stays valid until the next one is asked for', async () => {
    const dir = freshDir();
    const spool = new OrderSpool(dir, lines.length, bytes, { bucketBytes: 64 * 1024, pendingBytes: 8192 });
    for (const p of shuffled(lines.length, 5)) {
      spool.put(p, lines[p]!);
      if (spool.mustFlush) await spool.flush();
    }
    let at = 0;
    for await (const batch of spool.drain()) {
      const copies = batch.map((b) => b.toString('utf8'));
      expect(copies).toEqual(lines.slice(at, at + batch.length));
      at += batch.length;
    }
    expect(at).toBe(lines.length);
  });

  it('keeps a line of pendingBytes or more as the caller’s memory until the flush, which writes it before returning', async () => {
    const dir = freshDir();
    const limits = { bucketBytes: 16 * 1024, pendingBytes: 4096 };
    const mixed = lines.slice(0, 400).map((line, i) => (i % 37 === 5 ? `${line}${'L'.repeat(5000 + i)}` : line));
    const total = mixed.reduce((sum, l) => sum + Buffer.byteLength(l), 0);
    const spool = new OrderSpool(dir, mixed.length, total, limits);
    // One buffer for every line put, overwritten once each flush has returned (as render-in-workers reuses its batches).
    const shared = Buffer.alloc(64 * 1024);
    for (const p of shuffled(mixed.length, 7)) {
      const length = shared.write(mixed[p]!, 0, 'utf8');
      spool.putBytes(p, shared.subarray(0, length));
      if (Buffer.byteLength(mixed[p]!) >= limits.pendingBytes) expect(spool.mustFlush).toBe(true);
      if (spool.mustFlush) await spool.flush();
      shared.fill(0x3f, 0, length);
    }
    const seen: string[] = [];
    for await (const batch of spool.drain()) for (const line of batch) seen.push(line.toString('utf8'));
    expect(seen).toEqual(mixed);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('in memory, keeps a large owned line as it is (not copied) and a large borrowed one as a copy, in order', async () => {
    const limits = { bucketBytes: 1 << 30, pendingBytes: 4096 };
    const mixed = lines.slice(0, 300).map((line, i) => (i % 41 === 7 ? `${line}${'L'.repeat(5000 + i)}` : line));
    const spool = new OrderSpool(freshDir(), mixed.length, 0, limits);
    const owned = new Map<number, Uint8Array>();
    const borrowed = Buffer.alloc(64 * 1024);
    for (const p of shuffled(mixed.length, 11)) {
      const bytes = Buffer.from(mixed[p]!, 'utf8');
      if (bytes.length < limits.pendingBytes || p % 2 === 0) {
        // Owned: memory of its own that nothing touches again.
        owned.set(p, bytes);
        spool.putBytes(p, bytes, true);
      } else {
        // Borrowed: the caller overwrites it at once, so the spool must have copied it.
        bytes.copy(borrowed);
        spool.putBytes(p, borrowed.subarray(0, bytes.length));
        borrowed.fill(0x3f);
      }
      expect(spool.mustFlush).toBe(false);
    }
    const seen: string[] = [];
    const sameMemory: boolean[] = [];
    for await (const batch of spool.drain())
      for (const line of batch) {
        const p = seen.length;
        seen.push(line.toString('utf8'));
        if (line.length >= limits.pendingBytes) sameMemory.push(line.buffer === owned.get(p)?.buffer);
      }
    expect(seen).toEqual(mixed);
    // Large lines alternate owned (even positions: kept as given) and borrowed (copied).
    const large = mixed.flatMap((l, p) => (Buffer.byteLength(l) >= limits.pendingBytes ? [p] : []));
    expect(sameMemory).toEqual(large.map((p) => p % 2 === 0));
  });
});
