import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForKey } from '../../src/select/normalize.js';

/** The definition in docs/determinism.md, without the ASCII shortcut. */
const reference = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

const agrees = (s: string) => {
  expect(normalizeForKey(s)).toBe(reference(s));
};

describe('normalizeForKey', () => {
  it('equals NFKC + lower-case + collapsed white space on any text, ASCII shortcut or not', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), agrees), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('A', 'b', ' ', '\t', '\n', 'ﬁ', 'Ｆ', 'é', 'e\u0301', '½', '\u00a0', '中') }), agrees));
  });

  it('folds compatibility forms, case and white space', () => {
    expect(normalizeForKey('  Ｆｉｎｅ\u00a0ﬁle\t\nOK ')).toBe('fine file ok');
  });
});
