/**
 * The audit normalises a chat's leading prompt and the rest of its text once each and joins them
 * (`joinNormalized`); that must be exactly `normalizeForKey` of the whole text, including at the
 * newline between them, where NFKC composition, canonical reordering, the final-sigma rule and
 * white space collapsing could each have crossed. And records sent that way get the facts of
 * records sent whole.
 */
import { sharedIndexOf } from '../helpers/eval-index.js';
import { describe, expect, it } from 'vitest';
import { leadingPrompt, promptOf } from '../../src/audit/record-body.js';
import {
  FactComputer,
  FactReader,
  joinNormalized,
  PROMPT_ONLY,
  PROMPT_THEN_TEXT,
} from '../../src/audit/record-facts.js';
import { recordKeys } from '../../src/audit/record-keys.js';
import { type SampleBody, sampleText } from '../../src/sample.js';
import { normalizeForKey } from '../../src/keys/normalize.js';

const PARTS = [
  '',
  ' ',
  '\n',
  ' \t\u00a0\u3000 ',
  'plain text',
  '  padded  ',
  'ΟΔΟΣ', // ends in a capital sigma: final form only at a word's end
  'Σ ΟΔΟΣ.',
  'ΑΣ\u0301', // sigma then a case-ignorable mark
  '\u0301\u0323e', // combining marks first: nothing before them to attach to
  'e\u0323',
  '\u1100', // Hangul leading consonant jamo ...
  '\u1161\u11a8', // ... and vowel + trailing jamo: they compose when adjacent
  'ﬁ ＦＵＬＬ－ｗｉｄｔｈ ㎏ \ufdfa',
  'İstanbul ß ǅ',
  '患者男性，胸痛。',
  '😀 emoji \ud83d', // and a lone high surrogate at the end
  '\udc00 lone low surrogate first',
  '\r',
  'x\r',
];

describe('joinNormalized', () => {
  it('equals normalizeForKey of the parts joined by a newline, for every pair of awkward parts', () => {
    for (const a of PARTS) {
      for (const b of PARTS) {
        expect(joinNormalized(normalizeForKey(a), normalizeForKey(b)), JSON.stringify([a, b])).toBe(
          normalizeForKey(`${a}\n${b}`),
        );
      }
    }
  });
});

describe('FactComputer with leading prompts', () => {
  it('gives the facts of the whole text', () => {
    const chat = (...turns: [string, string][]): SampleBody => ({
      kind: 'chat',
      messages: turns.map(([role, content]) => ({ role, content })),
    });
    const bodies: SampleBody[] = [];
    for (const a of PARTS) for (const b of PARTS.slice(0, 8)) bodies.push(chat(['user', a], ['assistant', b]));
    bodies.push(
      chat(['user', 'only a question?']),
      chat(['user', '  ']),
      chat(['user', 'q'], ['assistant', 'a'], ['assistant', 'more']),
      chat(['user', 'q1'], ['assistant', 'a'], ['user', 'q2']),
      chat(['system', 's'], ['user', 'q']),
    );
    bodies.push({ kind: 'text', text: 'plain' });
    const computer = FactComputer.fromSettings({
      prompts: true,
      evalIndex: sharedIndexOf([{ set: 'e', id: 'e:1', text: 'only a question about something else entirely' }]),
      near: 'all',
    });
    const texts: string[] = [];
    const prompts: (string | null)[] = [];
    const leads: number[] = [];
    const kinds = new Set<number>();
    for (const body of bodies) {
      const lead = leadingPrompt(body);
      if (lead) {
        expect(lead.rest === null ? lead.prompt : `${lead.prompt}\n${lead.rest}`).toBe(sampleText(body));
        expect(lead.prompt).toBe(promptOf(body));
      }
      texts.push(lead ? (lead.rest ?? '') : sampleText(body));
      prompts.push(lead ? lead.prompt : (promptOf(body) ?? null));
      leads.push(lead ? (lead.rest === null ? PROMPT_ONLY : PROMPT_THEN_TEXT) : 0);
      kinds.add(leads.at(-1)!);
    }
    expect([...kinds].sort()).toEqual([0, PROMPT_THEN_TEXT, PROMPT_ONLY]);
    const split = new FactReader(computer.compute({ texts, prompts, leads }));
    const whole = new FactReader(
      computer.compute({ texts: bodies.map(sampleText), prompts: bodies.map((b) => promptOf(b) ?? null) }),
    );
    bodies.forEach((body, i) => {
      const facts = split.at(i, sampleText(body));
      expect(facts.keys).toEqual(recordKeys(body, true));
      const other = whole.at(i, sampleText(body));
      expect(facts.evalHit).toEqual(other.evalHit);
      expect(facts.shingles && Array.from(facts.shingles)).toEqual(other.shingles && Array.from(other.shingles));
      expect(facts.bandKeys && Array.from(facts.bandKeys)).toEqual(other.bandKeys && Array.from(other.bandKeys));
    });
  });
});
