/** The fingerprint map behaves like a Map through growth. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintMap, taggedFingerprint } from '../../src/audit/fingerprint-map.js';

describe('FingerprintMap', () => {
  it('agrees with a Map for add, or and get', () => {
    const op = fc.record({
      hi: fc.integer({ min: 0, max: 40 }),
      lo: fc.integer({ min: 0, max: 3 }),
      kind: fc.constantFrom('add', 'or'),
      bits: fc.integer({ min: 1, max: 7 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 500 }), (ops) => {
        const map = new FingerprintMap(16);
        const model = new Map<string, number>();
        for (const { hi, lo, kind, bits } of ops) {
          const id = `${hi}:${lo}`;
          const before = model.get(id) ?? 0;
          if (kind === 'add') expect(map.add([hi, lo], bits)).toBe(before + bits);
          else expect(map.or([hi, lo], bits)).toBe(before);
          model.set(id, kind === 'add' ? before + bits : (before | bits) >>> 0);
        }
        expect(map.size).toBe(model.size);
        for (const [id, value] of model) {
          const [hi, lo] = id.split(':').map(Number) as [number, number];
          expect(map.get([hi, lo])).toBe(value);
        }
        expect(map.get([99, 99])).toBeUndefined();
        expect([...map.entries()]).toHaveLength(model.size);
      }),
    );
  });

  it('keeps a zero value distinct from absence', () => {
    const map = new FingerprintMap();
    expect(map.or([1, 2], 0)).toBe(0);
    expect(map.get([1, 2])).toBe(0);
    expect(map.get([2, 1])).toBeUndefined();
  });

  it('tags the same content apart per source', () => {
    expect(taggedFingerprint([5, 6], 0)).not.toEqual(taggedFingerprint([5, 6], 1));
    expect(taggedFingerprint([5, 6], 3)).toEqual(taggedFingerprint([5, 6], 3));
  });
});
