/**
 * `--eval` overlap means what compose's `decontaminate:` means (src/decontam's n-gram rule): an
 * item pasted inside a longer record counts, a record that shares only a stock phrase with an
 * item does not, nor one that holds only the boilerplate many items share (a prompt suffix). Eval
 * records are read by the shared eval reader (question and options, not every string; ids are
 * compose's).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { snippet } from '../../src/audit/record-keys.js';
import type { AuditResult } from '../../src/audit/report.js';
import { DEFAULT_DECONTAM_SETTINGS } from '../../src/decontam/defaults.js';
import { EvalIndex } from '../../src/decontam/eval-index.js';
import { runCli } from '../helpers/cli.js';
import { writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { words } from './prose.js';

const dir = tempDir('mixsmith-audit-eval-');
/** A stock phrase one long eval item contains (14 words: two 13-grams). */
const STOCK = 'the patient should seek urgent medical care as soon as the symptoms get worse';
/**
 * Instructions every exam item carries (50 words): boilerplate for the n-gram index, held by 10+
 * items. Without that discount they would be 38 of an item's 67 grams, over the 0.5 threshold.
 */
const SUFFIX = `Answer this question by choosing the single best option from the list of choices below. ${words(99_999, 1, 35)}.`;

/** Exam items no preset fits: `question`, `options`, `answer_idx`, `instructions` (20 + 8 + 1 + 50 words). */
const EXAM = Array.from({ length: 12 }, (_, i) => ({
  question: `${words(70_000 + i, 1, 20)}?`,
  options: { A: words(70_000 + i, 2, 4), B: words(70_000 + i, 3, 4) },
  answer_idx: 'A',
  instructions: SUFFIX,
}));
const LONG = {
  question: `${words(80_000, 1, 40)} ${STOCK} ${words(80_000, 2, 40)}`,
  options: { A: 'yes', B: 'no' },
  answer_idx: 'B',
};

const TRAIN = [
  { instruction: words(1, 1, 40), input: '', output: `${words(1, 2, 30)} ${STOCK}.` }, // stock phrase only
  { instruction: `${words(2, 1, 30)} ${SUFFIX}`, input: '', output: words(2, 2, 30) }, // boilerplate only
  {
    instruction: `From a past exam: ${EXAM[5]!.question}`,
    input: `${EXAM[5]!.options.A}\n${EXAM[5]!.options.B}`,
    output: `A. ${SUFFIX}`,
  }, // pasted item
  { instruction: words(3, 1, 40), input: '', output: words(3, 2, 40) },
];

async function audit(...argv: string[]) {
  const run = await runCli([
    'audit',
    path.join(dir, 'train.jsonl'),
    '--eval',
    `exam=${path.join(dir, 'exam.jsonl')}`,
    ...argv,
    '--json',
  ]);
  return { ...run, result: JSON.parse(run.stdout) as AuditResult };
}

beforeAll(() => {
  writeJsonl(path.join(dir, 'exam.jsonl'), [...EXAM, LONG]);
  writeJsonl(path.join(dir, 'train.jsonl'), TRAIN);
});

describe('eval overlap by n-grams', () => {
  it('counts the pasted item and neither the stock phrase nor the shared boilerplate', async () => {
    const { code, result, stderr } = await audit('--expect', 'contamination=1', '--expect', 'contamination.exam=1');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const overlap = result.subjects[0]!.evals[0]!;
    expect(overlap).toMatchObject({ name: 'exam', records: 13, indexed: 13, itemsHit: 1 });
    expect(overlap.splits.data).toEqual({
      records: 1,
      content: 0,
      prompt: 0,
      sources: { [result.subjects[0]!.files[0]!.path]: 1 },
    });
    const example = overlap.examples[0]!;
    expect(example.record.line).toBe(3);
    expect(example.evalId).toMatch(/^exam:.*exam\.jsonl:6$/);
    expect(example.matchedShare).toBeGreaterThanOrEqual(0.5);
    // judged on its own 17 grams (the question's): all found
    expect(example.matchedShare).toBe(1);
    // the item is its question and options (since the one eval reader, #18: not the answer and the
    // instructions too); the question is pasted whole, so the exact layer finds it
    expect(example.match).toBe('question');
    expect(example.evalText).toBe(
      snippet([EXAM[5]!.question, `A. ${EXAM[5]!.options.A}`, `B. ${EXAM[5]!.options.B}`].join('\n')),
    );
    expect(overlap.examples).toHaveLength(1);
  });

  it('the boilerplate case is a real one: were shared grams evidence, that record would count', () => {
    const index = new EvalIndex({ ...DEFAULT_DECONTAM_SETTINGS, commonGramItems: 1000 });
    for (const item of EXAM)
      index.add({
        set: 'exam',
        id: item.question,
        text: [item.question, item.options.A, item.options.B, item.answer_idx, item.instructions].join('\n'),
      });
    expect(index.match(`${TRAIN[1]!.instruction}\n${TRAIN[1]!.output}`)?.matchedShare).toBeCloseTo(38 / 67, 6);
  });

  it('a contamination rule fails on it (exit 6)', async () => {
    const { code, stderr } = await audit('--expect', 'contamination=0');
    expect(code).toBe(6);
    expect(stderr).toMatch(/--expect contamination=0 does not hold: contamination is 1/);
  });
});

describe('--eval-schema', () => {
  it('refuses an eval set no question rule fits, and reads it mapped to its question', async () => {
    const file = path.join(dir, 'pairs.jsonl');
    writeJsonl(file, [{ sentence: EXAM[5]!.question, label: 1 }]);
    const refused = await runCli(['audit', path.join(dir, 'train.jsonl'), '--eval', `pairs=${file}`, '--json']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/which field of this eval set holds the question/);
    const mapped = await runCli([
      'audit',
      path.join(dir, 'train.jsonl'),
      '--eval',
      `pairs=${file}`,
      '--eval-schema',
      'pairs={"turns":[{"role":"user","from":"sentence"}]}',
      '--json',
    ]);
    expect(mapped.code).toBe(0);
    const overlap = (JSON.parse(mapped.stdout) as AuditResult).subjects[0]!.evals[0]!;
    expect(overlap).toMatchObject({ name: 'pairs', records: 1, itemsHit: 1, itemsHitExact: 1 });
  });
});
