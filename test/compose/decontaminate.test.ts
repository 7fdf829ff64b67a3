/** decontaminate: in compose, samples containing an eval item are removed, with evidence; a shared phrase is not enough. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
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
  medical[20] = { instruction: `Answer the exam question. Case: ${evalQuestions[1]!} Explain your reasoning step by step.`, input: '', output: 'Post-streptococcal glomerulonephritis.' }; // embedded in a longer prompt
  medical[30] = { instruction: `A long unrelated vignette about knee pain in a runner after a marathon; ${commonPhrase}?`, input: '', output: 'Patellofemoral pain.' };
  writeJsonl(path.join(dir, 'med.jsonl'), medical);
  writeJsonl(path.join(dir, 'gen.jsonl'), alpacaRecords('gen', 400));
  writeJsonl(path.join(dir, 'eval.jsonl'), evalQuestions.map((q, i) => ({ question: q, options: { A: 'x', B: 'y' }, answer: 'A', id: i })));
});

describe('decontaminate in compose', () => {
  it('removes samples holding an eval item, keeps one that shares a stock phrase, and says why', async () => {
    const text = twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 500, medicalShare: 0.3, extra: 'decontaminate:\n  eval:\n    - { name: exam, path: eval.jsonl }\n' }).replace('mixture:\n', 'mixture:\n  shortage: cap\n');
    const { out, manifest } = await compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, 'out') });
    const origins = new Set(readSplit(out, 'train').map((r) => r.origin));
    expect(origins.has('med.jsonl:11')).toBe(false);
    expect(origins.has('med.jsonl:21')).toBe(false);
    expect(origins.has('med.jsonl:31')).toBe(true);
    const removed = readFileSync(path.join(out, 'removed.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.reason === 'contaminated');
    expect(removed.map((r) => [r.origin, r.matched])).toEqual([
      ['med.jsonl:11', 'exam:eval.jsonl:1'],
      ['med.jsonl:21', 'exam:eval.jsonl:2'],
    ]);
    expect(manifest.sources.med!.removed).toEqual({ contaminated: 2 });
    expect(manifest.evidence.decontamination).toMatchObject([{ set: 'exam', itemsHit: 2, removedBySource: { med: 2 } }]);
    expect(manifest.groups.medical!.selected).toBe(150);
  });
});
