/** Near-duplicate pair snippets start where the two texts first differ, when that is past the plain snippet. */
import { describe, expect, it } from 'vitest';
import { pairSnippets } from '../../src/audit/pair-snippets.js';
import { snippet } from '../../src/audit/record-keys.js';

const LONG = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');

describe('pairSnippets', () => {
  it('keeps plain snippets when the difference shows in them', () => {
    const b = LONG.replace('word3 ', 'other ');
    expect(pairSnippets(LONG, b)).toEqual([snippet(LONG), snippet(b)]);
  });

  it('starts both at a word boundary 40 characters or more before a later difference', () => {
    const b = LONG.replace('word60 ', 'other ');
    const [x, y] = pairSnippets(LONG, b);
    expect(x).toMatch(/^…word5\d word5\d .* word60 /);
    expect(y).toMatch(/^…word5\d word5\d .* other /);
    expect(x.slice(0, x.indexOf(' word60'))).toBe(y.slice(0, y.indexOf(' other')));
  });

  it('compares with white space collapsed, as snippets show it', () => {
    const b = LONG.replaceAll(' ', '\n  ');
    expect(pairSnippets(LONG, b)).toEqual([snippet(LONG), snippet(LONG)]);
  });
});
