/** decontaminate: in compose, samples containing an eval item are removed, with evidence; a shared phrase is not enough. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import type { Manifest } from '../../src/manifest/manifest.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { readSplit } from '../helpers/outputs.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
const evalQuestions = [
  'A 45-year-old man presents with crushing chest pain radiating to the left arm and diaphoresis for two hours; which enzyme rises first after myocardial injury?',
  'A 6-year-old girl has periorbital edema, cola-colored urine and hypertension three weeks after a sore throat; what is the most likely diagnosis?',
];
const commonPhrase = 'which of the following is the most likely diagnosis';

beforeAll(() => {
  const medical = alpacaRecords('med', 200);
  medical[10] = { instruction: evalQuestions[0]!, input: '', output: 'Myoglobin rises first.' }; // pasted verbatim
  medical[20] = {
    instruction: `Answer the exam question. Case: ${evalQuestions[1]!} Explain your reasoning step by step.`,
    input: '',
    output: 'Post-streptococcal glomerulonephritis.',
  }; // embedded in a longer prompt
  medical[30] = {
    instruction: `A long unrelated vignette about knee pain in a runner after a marathon; ${commonPhrase}?`,
    input: '',
    output: 'Patellofemoral pain.',
  };
  writeJsonl(path.join(dir, 'med.jsonl'), medical);
  writeJsonl(path.join(dir, 'gen.jsonl'), alpacaRecords('gen', 400));
  writeJsonl(
    path.join(dir, 'eval.jsonl'),
    evalQuestions.map((q, i) => ({ question: q, options: { A: 'x', B: 'y' }, answer: 'A', id: i })),
  );
});

describe('decontaminate in compose', () => {
  it('removes samples holding an eval item, keeps one that shares a stock phrase, and says why', async () => {
    const text = twoGroupRecipe({
      medical: 'med.jsonl',
      general: 'gen.jsonl',
      volume: 500,
      medicalShare: 0.3,
      extra: 'decontaminate:\n  eval:\n    - { name: exam, path: eval.jsonl }\n',
    }).replace('mixture:\n', 'mixture:\n  shortage: cap\n');
    const { out, manifest } = await compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, 'out') });
    const origins = new Set(readSplit(out, 'train').map((r) => r.origin));
    expect(origins.has('med.jsonl:11')).toBe(false);
    expect(origins.has('med.jsonl:21')).toBe(false);
    expect(origins.has('med.jsonl:31')).toBe(true);
    const removed = readFileSync(path.join(out, 'removed.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.reason === 'contaminated');
    expect(removed.map((r) => [r.origin, r.matched])).toEqual([
      ['med.jsonl:11', 'exam:eval.jsonl:1'],
      ['med.jsonl:21', 'exam:eval.jsonl:2'],
    ]);
    expect(manifest.sources.med!.removed).toEqual({ contaminated: 2 });
    expect(manifest.evidence.decontamination).toMatchObject([
      { set: 'exam', itemsHit: 2, removedBySource: { med: 2 } },
    ]);
    expect(manifest.groups.medical!.selected).toBe(150);
  });
});

describe('decontamination says what happened (#18)', () => {
  /** A medical group whose every record pastes an eval question. */
  function emptiedRecipe(shortage: string): string {
    const exam = evalQuestions.map((q, i) => ({ instruction: q, input: '', output: `answer ${i}` }));
    writeJsonl(path.join(dir, 'all-leaked.jsonl'), [
      ...exam,
      ...exam.map((r) => ({ ...r, output: `${r.output}, explained` })),
    ]);
    return twoGroupRecipe({
      medical: 'all-leaked.jsonl',
      general: 'gen.jsonl',
      volume: 100,
      medicalShare: 0.3,
      extra: 'decontaminate:\n  eval:\n    - { name: exam, path: eval.jsonl }\n',
    }).replace('mixture:\n', `mixture:\n  shortage: ${shortage}\n`);
  }

  it('reports every eval set with its counts, zeros included, in the manifest and the compose summary', async () => {
    writeJsonl(path.join(dir, 'unused-eval.jsonl'), [
      { question: 'Which nerve innervates the deltoid muscle of the shoulder in adults?' },
      { question: 'Yes' },
    ]);
    const text = twoGroupRecipe({
      medical: 'med.jsonl',
      general: 'gen.jsonl',
      volume: 500,
      medicalShare: 0.3,
      extra:
        'decontaminate:\n  eval:\n    - { name: exam, path: eval.jsonl }\n    - { name: unused, path: unused-eval.jsonl }\n',
    }).replace('mixture:\n', 'mixture:\n  shortage: cap\n');
    writeFileSync(path.join(dir, 'summary.yaml'), text);
    const run = await runCli(['compose', path.join(dir, 'summary.yaml'), '--out', path.join(dir, 'out-summary')]);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out-summary', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.evidence.decontamination).toMatchObject([
      {
        set: 'exam',
        items: 2,
        indexed: 2,
        exactIndexed: 2,
        tooShort: 0,
        itemsHit: 2,
        itemsHitExact: 2,
        itemsHitOverlap: 0,
        removedBySource: { med: 2 },
      },
      {
        set: 'unused',
        items: 2,
        indexed: 1,
        tooShort: 1,
        tooShortIds: ['unused:unused-eval.jsonl:2'],
        itemsHit: 0,
        removedBySource: {},
      },
    ]);
    expect(run.stderr).toMatch(
      /exam: 2 items read, 2 indexed, 0 too short; 2 hit \(2 question whole, 0 n-gram overlap\); training records removed: med 2/,
    );
    expect(run.stderr).toMatch(
      /unused: 2 items read, 1 indexed, 1 too short \(unused:unused-eval\.jsonl:2\); 0 hit .*removed: 0/,
    );
    // plan --availability runs the same filters and says the same
    const planned = await runCli(['plan', path.join(dir, 'summary.yaml'), '--availability']);
    expect(planned.code).toBe(0);
    expect(planned.stderr).toMatch(
      /exam: 2 items read, 2 indexed, 0 too short; 2 hit \(2 question whole, 0 n-gram overlap\); training records removed: med 2/,
    );
    const json = JSON.parse(
      (await runCli(['plan', path.join(dir, 'summary.yaml'), '--availability', '--json'])).stdout,
    ) as { availability: { decontamination: unknown } };
    expect(json.availability.decontamination).toEqual(manifest.evidence.decontamination);
  });

  it('a group emptied by decontamination is an error under shortage: error and a loud warning under cap', async () => {
    await expect(
      compose(parseRecipe(emptiedRecipe('error'), 'r.yaml', dir), { out: path.join(dir, 'out-emptied-error') }),
    ).rejects.toMatchObject({
      code: 'SHORTAGE',
      message: expect.stringMatching(/group "medical" is empty after decontamination/),
    });
    const { manifest } = await compose(parseRecipe(emptiedRecipe('cap'), 'r.yaml', dir), {
      out: path.join(dir, 'out-emptied-cap'),
    });
    expect(manifest.evidence.warnings).toEqual([
      expect.stringMatching(
        /^WARNING: group "medical" is empty after decontamination and near-duplicate removal \(4 contaminated removed\)/,
      ),
    ]);
  });

  it('0 training rows is always an error', async () => {
    emptiedRecipe('cap');
    const text =
      'name: none\nseed: 1\nsources:\n  - { name: med, group: medical, path: all-leaked.jsonl }\nmixture: { volume: 10, shares: { medical: 1 }, shortage: cap }\ndecontaminate: { eval: [ { name: exam, path: eval.jsonl } ] }\n';
    await expect(compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, 'out-none') })).rejects.toMatchObject({
      code: 'SHORTAGE',
      message: expect.stringMatching(/0 training rows/),
    });
  });
});
