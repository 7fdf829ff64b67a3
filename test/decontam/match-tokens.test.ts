/**
 * `EvalIndex.matchTokens` (the audit's shared-tokenisation entry) answers exactly as `match`, given
 * `normalizeForKey`'s string (white space collapsed) and its tokens; and the gram table's miss
 * filter never hides a gram it holds.
 */
import { describe, expect, it } from 'vitest';
import { EvalIndex } from '../../src/decontam/eval-index.js';
import { GramTable } from '../../src/decontam/gram-table.js';
import { normalizeForKey } from '../../src/keys/normalize.js';
import { splitMix32 } from '../../src/text/hash32.js';
import { tokenHashes } from '../../src/text/tokens.js';

const ITEMS = [
  'Which of the following is the most likely diagnosis? A: inferior wall myocardial infarction B: pericarditis C: aortic dissection. Answer: A',
  '患者男性，45岁，胸痛两小时，心电图示II、III、aVF导联ST段抬高。最可能的诊断是什么？A 下壁心肌梗死 B 心包炎',
  'Name the enzyme that unwinds DNA',
  'ＡＢＣ ｆｕｌｌ－ｗｉｄｔｈ question about the ﬁnal exam, options one two three four five six seven',
];

const TEXTS = [
  `Please answer:\n\n  ${ITEMS[0]}\tthanks`,
  `请回答：\n${ITEMS[1]}\u3000谢谢`,
  `Quick one:   name the enzyme that unwinds DNA   please`,
  'abc FULL-WIDTH question about the final exam, options one two three four five six seven',
  'nothing to see here, just a normal sentence about the weather',
  '  \n\t ',
  '',
];

describe('EvalIndex.matchTokens', () => {
  it('equals match(text) on the normalised key string and its tokens', () => {
    const index = new EvalIndex();
    for (const [i, text] of ITEMS.entries()) index.add({ set: 'exam', id: `exam:${i}`, text });
    let hits = 0;
    for (const text of TEXTS) {
      const normalized = normalizeForKey(text);
      const calls: string[] = [];
      const viaTokens = index.matchTokens(normalized, (unit) => {
        calls.push(unit);
        return tokenHashes(normalized, unit);
      });
      expect(viaTokens).toEqual(index.match(text));
      expect(new Set(calls).size).toBe(calls.length);
      if (viaTokens) hits++;
    }
    expect(hits).toBe(4);
  });
});

describe('GramTable', () => {
  it('finds every key it holds and none it does not, across growth', () => {
    const table = new GramTable(4);
    const next = splitMix32(3);
    const keys = Array.from({ length: 20_000 }, () => [next(), next()] as const);
    for (const [i, [high, low]] of keys.entries()) expect(table.intern(high, low)).toBe(i);
    expect(table.size).toBe(keys.length);
    for (const [i, [high, low]] of keys.entries()) {
      expect(table.get(high, low)).toBe(i);
      expect(table.intern(high, low)).toBe(i);
    }
    for (let i = 0; i < 20_000; i++) expect(table.get(next(), next())).toBe(-1);
    expect(table.get(keys[0]![0], (keys[0]![1] + 1) >>> 0)).toBe(-1);
  });
});
