/**
 * The one eval reader (#18): an eval item is its question (and options), found by documented
 * field-name rules or a mapping; a set no rule fits is refused, never read as every string.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMixsmithError } from '../../src/errors.js';
import { evalItemText, evalPromptReader, readEvalSet } from '../../src/records/eval-items.js';
import { writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const prompt = (record: unknown) => evalPromptReader('auto', record)(record);

describe('eval prompts by field-name rules', () => {
  it('takes question, Question or QUESTION and leaves contexts, answers and ids out', () => {
    const pubmed = {
      pubid: 1,
      QUESTION: 'Do mitochondria remodel lace plant leaves?',
      CONTEXTS: ['Programmed cell death…'],
      LONG_ANSWER: 'Yes, they do.',
      MESHES: ['Plants'],
      final_decision: 'yes',
    };
    expect(prompt(pubmed)).toEqual({ question: 'Do mitochondria remodel lace plant leaves?', options: '' });
    expect(prompt({ Question: 'Q?', answer: 'x' }).question).toBe('Q?');
    expect(prompt({ question: 'Q?', reference_answer: 'x' }).question).toBe('Q?');
  });

  it('reads query, prompt, instruction with its input, and the user turns of a chat', () => {
    expect(prompt({ id: 3, query: 'What is X?', answer: 'Y' }).question).toBe('What is X?');
    expect(prompt({ prompt: 'Name a bone.', completion: 'Femur' }).question).toBe('Name a bone.');
    expect(prompt({ instruction: 'Answer the question.', input: 'Is aspirin an NSAID?', output: 'Yes' }).question).toBe(
      'Answer the question.\nIs aspirin an NSAID?',
    );
    const chat = {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Why is the sky blue?' },
        { role: 'assistant', content: 'Rayleigh.' },
      ],
    };
    expect(prompt(chat).question).toBe('Why is the sky blue?');
  });

  it('takes options from an options field, single-letter MCQ columns or option lines inside the question', () => {
    expect(prompt({ question: 'Which?', options: { A: 'one', B: 'two' }, answer_idx: 'A' })).toEqual({
      question: 'Which?',
      options: 'A. one\nB. two',
    });
    // CMMLU's CSV: an index column, Question, A–D, Answer
    expect(
      prompt({ '': '0', Question: 'Which organ?', A: 'Heart', B: 'Lung', C: 'Liver', D: 'Kidney', Answer: 'C' }),
    ).toEqual({ question: 'Which organ?', options: 'A. Heart\nB. Lung\nC. Liver\nD. Kidney' });
    // PULSE: options and an instruction inside the question
    const pulse = prompt({
      question: '最易引起输血后肝炎的病毒是（　　）。\nA：HBV\nB：HAV\nC：HCV\n回答上面的选择题',
      reference_answer: 'C',
    });
    expect(pulse.question).toBe('最易引起输血后肝炎的病毒是（　　）。');
    expect(pulse.options).toBe('A：HBV\nB：HAV\nC：HCV\n回答上面的选择题');
    // "A 3-week-old newborn…" is a sentence, not an option line
    expect(prompt({ question: 'A 3-week-old newborn is brought in.\nA woman asks why.' }).options).toBe('');
    expect(evalItemText({ question: 'Q?', options: 'A. x' })).toBe('Q?\nA. x');
    // the benchmark's alpaca-shaped MCQs: the question in instruction, the options in input
    expect(
      prompt({
        id: 'evl-1',
        instruction: 'Which drug lowers blood pressure fastest here?',
        input: 'A. one\nB. two\nC. three',
        output: 'B',
      }),
    ).toEqual({ question: 'Which drug lowers blood pressure fastest here?', options: 'A. one\nB. two\nC. three' });
  });

  it('refuses a record no rule fits, with a hint to map it, and reads a mapped one', () => {
    expect(() => evalPromptReader('auto', { sentence: 'x', label: 1 })).toThrow(
      /which field of this eval set holds the question/,
    );
    const mapped = evalPromptReader(
      { turns: [{ role: 'user', from: 'sentence' }] },
      { sentence: 'Is this a question?', label: 1 },
    );
    expect(mapped({ sentence: 'Is this a question?', label: 1 })).toEqual({
      question: 'Is this a question?',
      options: '',
    });
  });

  it('splits option lines off a mapped question as without a mapping (schema: alpaca on an MCQ set)', () => {
    // The benchmark's W2 maps its eval set with `schema: alpaca`: the user turn is the instruction
    // and the input joined, so the options must be split off, or a training record quoting the
    // question alone is missed by the exact layer (56 such records survived at 2 x 20k before).
    const record = {
      instruction: 'Which drug lowers blood pressure fastest here?',
      input: 'A. one\nB. two\nC. three',
      output: 'B',
    };
    expect(evalPromptReader('alpaca', record)(record)).toEqual({
      question: 'Which drug lowers blood pressure fastest here?',
      options: 'A. one\nB. two\nC. three',
    });
    const plain = { instruction: 'Summarise the text.', input: 'Aspirin is an NSAID.', output: 'x' };
    expect(evalPromptReader('alpaca', plain)(plain)).toEqual({
      question: 'Summarise the text.\nAspirin is an NSAID.',
      options: '',
    });
  });
});

describe('readEvalSet', () => {
  const dir = tempDir('mixsmith-eval-items-');

  it('reads a CSV of MCQs into items <set>:<file>:<line>', async () => {
    const file = path.join(dir, 'cmmlu.csv');
    writeFileSync(file, ',Question,A,B,C,D,Answer\n0,下列哪项是肝脏的主要功能之一,解毒,造血,呼吸,消化吸收,A\n');
    const read = await readEvalSet({
      name: 'cmmlu',
      files: [{ absolutePath: file, displayPath: 'cmmlu.csv' }],
      schema: 'auto',
      onError: 'fail',
    });
    expect(read.items).toEqual([
      {
        set: 'cmmlu',
        id: 'cmmlu:cmmlu.csv:2',
        question: '下列哪项是肝脏的主要功能之一',
        text: '下列哪项是肝脏的主要功能之一\nA. 解毒\nB. 造血\nC. 呼吸\nD. 消化吸收',
      },
    ]);
  });

  it('refuses a set whose first record no rule fits (INPUT_FIELD_MISSING), whatever on_error says', async () => {
    const file = path.join(dir, 'pairs.jsonl');
    writeJsonl(file, [{ sentence1: 'a b c', sentence2: 'd e f', label: 0 }]);
    const error = await readEvalSet({
      name: 'pairs',
      files: [{ absolutePath: file, displayPath: 'pairs.jsonl' }],
      schema: 'auto',
      onError: 'skip',
    }).catch((e: unknown) => e);
    expect(isMixsmithError(error) && error.code).toBe('INPUT_FIELD_MISSING');
    expect(isMixsmithError(error) && error.hint).toMatch(/--eval-schema/);
  });
});
