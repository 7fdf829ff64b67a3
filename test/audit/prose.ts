/**
 * Longer deterministic records for near-duplicate and n-gram tests: the numbered records of
 * `helpers/corpus.ts` are a dozen tokens long, too short for one changed word to leave a pair at
 * Jaccard 0.8 on 5-word shingles. Words are drawn from a fixed vocabulary by a keyed integer hash
 * (no randomness), so two different records share almost no 5-word run.
 */
import type { AlpacaRecord } from '../helpers/corpus.js';

const VOCABULARY = (
  'patient doctor fever cough pain chest heart lung kidney liver blood pressure sugar insulin dose tablet ' +
  'morning evening week month year test scan result normal high low mild severe acute chronic history ' +
  'family mother father child adult elderly woman man diet water sleep exercise walk rest stress anxiety ' +
  'rash skin itch swelling joint knee back neck head eye ear throat nose tooth stomach bowel nausea ' +
  'vomiting diarrhea fatigue weakness dizziness fainting infection virus bacteria antibiotic vaccine ' +
  'allergy asthma diabetes cancer tumor surgery therapy clinic hospital nurse visit follow plan advice ' +
  'question answer explain describe compare suggest consider monitor reduce increase avoid continue'
).split(' ');

/** A 32-bit mix of (a, b): the word picker. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x27d4eb2d);
  return (h ^ (h >>> 13)) >>> 0;
}

/** `count` words for record `key`, part `part`. */
export function words(key: number, part: number, count: number): string {
  return Array.from({ length: count }, (_, i) => VOCABULARY[mix(key * 7 + part, i) % VOCABULARY.length]).join(' ');
}

/** Alpaca records of ~75 words: a 25-word instruction and a 50-word answer, numbered by `base`. */
export function proseRecords(base: number, count: number): AlpacaRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    instruction: `${words(base + i, 1, 25)}?`,
    input: '',
    output: `${words(base + i, 2, 50)}.`,
  }));
}

/** The same record with its answer's word at `at` replaced: a near duplicate (Jaccard ≈ 0.87). */
export function oneWordChanged(record: AlpacaRecord, at = 20): AlpacaRecord {
  const answer = record.output.split(' ');
  answer[at] = answer[at] === 'zebra' ? 'okapi' : 'zebra';
  return { ...record, output: answer.join(' ') };
}
