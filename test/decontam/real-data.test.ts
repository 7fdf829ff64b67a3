/**
 * Decontamination spot checks on real third-party data (../shared/data/real): overlaps that were
 * measured, not planted (see that folder's README), found again by EvalIndex with default settings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ContaminationTally } from '../../src/decontam/contamination-tally.js';
import { EvalIndex } from '../../src/decontam/eval-index.js';
import { hasRealData, realFile } from '../helpers/real-data.js';

type Fields = Record<string, string>;

function jsonl(...parts: string[]): Fields[] {
  return readFileSync(realFile(...parts), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Fields);
}

/** Apollo's old files spell "answer" as "anwer"; its options are one "(A) ….\n(B) …." string. */
const apolloText = (r: Fields) => [r.question, r.option, r.anwer].join('\n');

describe.skipIf(!hasRealData)('decontamination on real data', () => {
  it('finds all 150 PULSE MedQA-USMLE items inside Apollo medqa-usmle, and nothing else there', () => {
    const index = new EvalIndex();
    for (const [i, r] of jsonl('pulse-eval', 'MedQA-USMLE.jsonl').entries()) {
      index.add({ set: 'pulse-medqa-usmle', id: String(i), text: `${r.question}\n${r.reference_answer}` });
    }
    const apollo = jsonl('apollo-xmedbench', 'test', 'en', 'medqa-usmle.jsonl');
    const withOptions = new ContaminationTally();
    const questionOnly = new ContaminationTally();
    for (const [i, r] of apollo.entries()) {
      const id = `apollo:${i + 1}`;
      const full = index.match(apolloText(r));
      if (full) withOptions.record(full, { id, source: 'apollo-medqa' });
      const question = index.match(r.question!);
      if (question) questionOnly.record(question, { id, source: 'apollo-medqa' });
    }
    const [report] = withOptions.report();
    const [questionReport] = questionOnly.report();
    console.log(
      `PULSE MedQA-USMLE in Apollo medqa-usmle (${apollo.length} records): items hit ${report?.itemsHit}/150, ` +
        `records removed ${report?.removedBySource['apollo-medqa']}; question field only: items hit ${questionReport?.itemsHit}, ` +
        `removed ${questionReport?.removedBySource['apollo-medqa']}; e.g. ${JSON.stringify(report?.examples[0])}`,
    );
    expect(report).toMatchObject({ itemsHit: 150, removedBySource: { 'apollo-medqa': 150 } });
    expect(questionReport).toMatchObject({ itemsHit: 150, removedBySource: { 'apollo-medqa': 150 } });
  });

  it('flags MedQuAD questions asked verbatim in medical_meadow_small, answers differing', () => {
    const folder = realFile('medquad-nhlbi', '8_NHLBI_QA_XML');
    const questions = readdirSync(folder)
      .sort()
      .flatMap((file) =>
        [...readFileSync(`${folder}/${file}`, 'utf8').matchAll(/<Question[^>]*>([^<]*)<\/Question>/g)].map((m) =>
          decodeXml(m[1]!),
        ),
      );
    const index = new EvalIndex();
    for (const [i, text] of questions.entries()) index.add({ set: 'medquad-nhlbi', id: String(i), text });
    const meadow = JSON.parse(readFileSync(realFile('medalpaca', 'medical_meadow_small.json'), 'utf8')) as Fields[];
    const tally = new ContaminationTally();
    let answersFlagged = 0;
    for (const [i, r] of meadow.entries()) {
      // The `user` fields of the alpaca preset: instruction + input.
      const match = index.match(`${r.instruction}\n${r.input}`);
      if (match) tally.record(match, { id: `meadow:${i}`, source: 'medical_meadow_small' });
      if (index.match(r.output!)) answersFlagged++;
    }
    const [report] = tally.report();
    console.log(
      `MedQuAD NHLBI (${questions.length} questions, ${index.stats.tooShort} too short) in medical_meadow_small: ` +
        `questions hit ${report?.itemsHit}, samples removed ${report?.removedBySource.medical_meadow_small}, ` +
        `samples flagged by their answers alone ${answersFlagged}; e.g. ${JSON.stringify(report?.examples.slice(0, 2))}`,
    );
    expect(report!.itemsHit).toBeGreaterThanOrEqual(90); // README: 95 questions appear verbatim
    // One answer (a Wikidoc page-template tutorial) really quotes "What causes Pericarditis?" whole.
    expect(answersFlagged).toBeLessThanOrEqual(1);
  });

  it('finds most PULSE MedQA-Mainland items in Apollo medqa-mcmle despite relettered options', () => {
    const index = new EvalIndex();
    for (const [i, r] of jsonl('pulse-eval', 'MedQA_Mainland.jsonl').entries()) {
      index.add({ set: 'pulse-medqa-mainland', id: String(i), text: `${r.question}\n${r.reference_answer}` });
    }
    const tally = new ContaminationTally();
    for (const [i, r] of jsonl('apollo-xmedbench', 'test', 'zh', 'medqa-mcmle.jsonl').entries()) {
      const match = index.match(apolloText(r));
      if (match) tally.record(match, { id: `apollo:${i + 1}`, source: 'apollo-mcmle' });
    }
    const [report] = tally.report();
    console.log(
      `PULSE MedQA-Mainland in Apollo medqa-mcmle: items hit ${report?.itemsHit}/150; e.g. ${JSON.stringify(report?.examples[0])}`,
    );
    // The README: all 150 are there, with 4 options instead of 5 and other letters; short
    // questions whose grams are mostly options fall under the 0.5 share (docs/near-dup.md).
    expect(report!.itemsHit).toBeGreaterThanOrEqual(100);
  });
});

function decodeXml(text: string): string {
  return text
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
