/**
 * The four-lane md5 is md5: every digest equals node:crypto's, for any number of messages of any
 * lengths (md5's padding boundaries at 55/56 and 63/64 bytes included), added from any part of a
 * buffer, batch after batch in the same memory.
 */
import { hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Md5Batch } from '../../src/keys/md5x4.js';

const md5 = (bytes: Uint8Array) => hash('md5', bytes, 'hex');
/** Every digest of the batch, in the order added, as hex (written 16 bytes apart). */
const digestsOf = (batch: Md5Batch) => {
  const all = Buffer.alloc(batch.count * 16);
  batch.digestsInto(
    all,
    Array.from({ length: batch.count }, (_, k) => k * 16),
    0,
  );
  return Array.from({ length: batch.count }, (_, k) => all.toString('hex', k * 16, k * 16 + 16));
};

describe('Md5Batch', () => {
  it('runs here (Node 20 has WebAssembly SIMD)', () => {
    expect(Md5Batch.create()).toBeDefined();
  });

  it('gives md5 for every length from 1 to 300 bytes, in one batch', () => {
    const batch = Md5Batch.create()!;
    // 1…300: 55 messages of one block, so groups of four (and pairs of groups) mix block counts.
    const lengths = Array.from({ length: 300 }, (_, i) => i + 1);
    const messages = lengths.map((n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff)));
    for (const message of messages) batch.add(message);
    expect(digestsOf(batch)).toEqual(messages.map(md5));
  });

  it('equals node:crypto on random batches of random lengths, batch after batch in the same memory', () => {
    const batch = Md5Batch.create()!;
    const message = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 500, maxLength: 9000 }));
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 23 }), (messages) => {
        batch.reset();
        for (const m of messages) batch.add(m);
        expect(digestsOf(batch)).toEqual(messages.map(md5));
      }),
      { numRuns: 200 },
    );
  });

  it('hashes a view into a buffer, a message larger than its memory, an empty one, and nothing', () => {
    const batch = Md5Batch.create()!;
    const big = Buffer.alloc(300_000, 7);
    const source = Buffer.from('..hello world..');
    batch.add(source.subarray(2, 13));
    batch.add(big);
    batch.add(source.subarray(5, 5));
    expect(digestsOf(batch)).toEqual([md5(Buffer.from('hello world')), md5(big), md5(Buffer.alloc(0))]);
    batch.reset();
    expect(digestsOf(batch)).toHaveLength(0);
  });
});
