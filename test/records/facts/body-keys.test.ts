/**
 * A huge body keyed in pieces (body-keys.ts) has the general path's key, ranks and length: texts
 * of several pieces, with white space runs, combining marks, wide and astral characters placed
 * across the cuts, chat turns, and an origin joined to the key (exact dedup off).
 */
import { describe, expect, it } from 'vitest';
import { analyzeBody } from '../../../src/records/facts/analyze-record.js';
import { analyzeBodyInPieces, bodyUnits } from '../../../src/records/facts/body-keys.js';
import { type SampleBody, sampleText } from '../../../src/sample.js';

const ATOMS = ['a', 'B', ' ', '  ', '\n', '\t \n', 'é', 'ｆ', 'ﬁ', '😀', '中文', '"', '\\', '\u0001', '\u00a0', 'İ'];

function text(seed: number, units: number): string {
  let state = seed;
  let out = '';
  while (out.length < units) {
    state = (state * 1103515245 + 12345) >>> 0;
    out += ATOMS[state % ATOMS.length]!;
  }
  return out;
}

const bodies: [string, SampleBody][] = [
  ['text', { kind: 'text', text: text(1, 300_000) }],
  ['ascii spaces at the cuts', { kind: 'text', text: `  ${'x '.repeat(32_767)} \n ${'y'.repeat(65_536)}   ` }],
  ['a combining mark (the writers decline it)', { kind: 'text', text: `${'e\u0301'.repeat(40_000)}` }],
  ['astral at a cut', { kind: 'text', text: `${'a'.repeat(65_535)}😀${'b'.repeat(70_000)}` }],
  [
    'chat',
    {
      kind: 'chat',
      messages: [
        { role: 'user', content: text(2, 1000) },
        { role: 'assistant', content: ` ${text(3, 200_000)} ` },
        { role: 'user', content: '' },
      ],
    },
  ],
];

describe('a body keyed in pieces', () => {
  for (const [name, body] of bodies) {
    it(`${name}: the general path's key, ranks and length`, () => {
      const general = analyzeBody(body, { seed: 7 });
      expect(bodyUnits(body)).toBe(sampleText(body).length);
      const pieces = analyzeBodyInPieces(body, { seed: 7 });
      if (pieces) expect(pieces).toEqual(general);
      const distinct = { seed: 7, distinctSuffix: 'a.csv:3' };
      const piecesDistinct = analyzeBodyInPieces(body, distinct);
      if (piecesDistinct) expect(piecesDistinct).toEqual(analyzeBody(body, distinct));
    });
  }

  it('answers for ordinary text (it is not always declining)', () => {
    for (const [name, body] of bodies)
      expect(analyzeBodyInPieces(body, { seed: 1 }) === undefined, name).toBe(name.includes('combining'));
  });

  it('leaves an empty text to the general path', () => {
    expect(analyzeBodyInPieces({ kind: 'text', text: ' \n '.repeat(30_000) }, { seed: 1 })).toBeUndefined();
  });
});
