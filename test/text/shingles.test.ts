import { describe, expect, it } from 'vitest';
import { resolveUnit, shingleSet, shingles, shinglesOfTokens } from '../../src/text/shingles.js';

function isSortedUnique(a: Uint32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1]! >= a[i]!) return false;
  return true;
}

describe('shingles', () => {
  it('cuts English into word shingles', () => {
    const set = shingleSet('the quick brown fox jumps over the lazy dog', { unit: 'auto', wordSize: 3, charSize: 5 });
    expect(set.unit).toBe('word');
    expect(set.hashes.length).toBe(7); // 9 words → 7 three-word shingles, all distinct
    expect(isSortedUnique(set.hashes)).toBe(true);
  });

  it('cuts Chinese into character shingles', () => {
    const set = shingleSet('患者出现发热和咳嗽症状。', { unit: 'auto', wordSize: 3, charSize: 5 });
    expect(set.unit).toBe('char');
    expect(set.hashes.length).toBe(11 - 5 + 1); // 11 characters, the full stop dropped
  });

  it('ignores case, punctuation and white space', () => {
    expect(Array.from(shingles('Hello,   WORLD! how are you'))).toEqual(
      Array.from(shingles('hello world how are you')),
    );
  });

  it('gives a text shorter than the shingle size one shingle of all its tokens', () => {
    expect(shingles('two words', { unit: 'word', wordSize: 5, charSize: 5 }).length).toBe(1);
    expect(Array.from(shingles('two words', { unit: 'word', wordSize: 5, charSize: 5 }))).not.toEqual(
      Array.from(shingles('words two', { unit: 'word', wordSize: 5, charSize: 5 })),
    );
  });

  it('gives an empty text no shingles', () => {
    expect(shingles('  ,.  ').length).toBe(0);
  });

  it('dedupes repeated shingles', () => {
    expect(shingles('a b a b a b', { unit: 'word', wordSize: 2, charSize: 5 }).length).toBe(2);
  });

  it('honours an explicit unit', () => {
    expect(resolveUnit('患者出现发热', 'word')).toBe('word');
    expect(resolveUnit('plain english', 'char')).toBe('char');
    expect(shingleSet('abcdef', { unit: 'char', wordSize: 3, charSize: 5 }).hashes.length).toBe(2);
  });

  it('rejects a non-positive size', () => {
    expect(() => shinglesOfTokens(Uint32Array.of(1, 2), 0)).toThrow(RangeError);
  });
});
