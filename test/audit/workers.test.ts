/**
 * The audit's per-record work (keys, eval n-grams, shingles and band keys) may run in worker
 * threads: the report is the same for any worker count, on a mixture with exact and near
 * duplicates, leaks, near leaks, eval overlap and Chinese records, for both near-duplicate field
 * choices and with a real tokenizer; and no worker outlives the audit. `FactComputer` itself gives, record by record, what
 * the plain definitions give (`recordKeys`, `EvalIndex.match`, `shingleSet` + MinHash).
 */
import { sharedIndexOf } from '../helpers/eval-index.js';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { liveFactWorkers } from '../../src/audit/fact-pool.js';
import { FactComputer, FactReader } from '../../src/audit/record-facts.js';
import { promptOf } from '../../src/audit/record-body.js';
import { recordKeys } from '../../src/audit/record-keys.js';
import { compose } from '../../src/compose/compose.js';
import { EvalIndex } from '../../src/decontam/eval-index.js';
import { DEFAULT_NEAR_DUP_SETTINGS } from '../../src/near-dup/defaults.js';
import { MINHASH_SEED, MinHasher } from '../../src/near-dup/minhash.js';
import { lshBandKeys, sortedSet } from '../../src/near-dup/near-dup-index.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { type SampleBody, sampleText } from '../../src/sample.js';
import { type TextFields, textForFields } from '../../src/text/fields.js';
import { shingleSet } from '../../src/text/shingles.js';
import { type AlpacaRecord, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { oneWordChanged, proseRecords } from './prose.js';

const dir = tempDir('mixsmith-audit-workers-');
let mixture: string;

const CHINESE: AlpacaRecord[] = Array.from({ length: 12 }, (_, i) => ({
  instruction: `请解释第${i}号病例：患者男性，胸痛两小时，心电图示ST段抬高，最可能的诊断是什么？`,
  input: '',
  output: `第${i}号病例最可能是急性心肌梗死，应尽快进行再灌注治疗，并给予阿司匹林。`,
}));

beforeAll(async () => {
  const medical = proseRecords(0, 300);
  const general = proseRecords(10_000, 600);
  // near copies and exact copies inside each source, some Chinese records and a few empty ones
  const plantedMedical = [
    ...medical,
    ...medical.slice(0, 30).map((r) => oneWordChanged(r)),
    ...medical.slice(30, 40),
    ...CHINESE,
    { instruction: ' ', input: '', output: '' },
  ];
  const plantedGeneral = [
    ...general,
    ...general.slice(0, 40).map((r) => oneWordChanged(r, 10)),
    ...CHINESE.slice(0, 4),
  ];
  writeJsonl(path.join(dir, 'med.jsonl'), plantedMedical);
  writeJsonl(path.join(dir, 'gen.jsonl'), plantedGeneral);
  // eval items: a few medical instructions (quoted in training) and unrelated ones
  writeJsonl(path.join(dir, 'eval.jsonl'), [
    ...medical.slice(50, 70).map((r) => ({ instruction: r.instruction, input: '', output: 'A' })),
    ...proseRecords(90_000, 20),
    CHINESE[3],
  ]);
  const text = twoGroupRecipe({
    medical: 'med.jsonl',
    general: 'gen.jsonl',
    volume: 700,
    validation: 80,
    medicalShare: 0.4,
    extra: 'dedup: { exact: false }\noutput:\n  max_rows_per_shard: 250\n',
  });
  mixture = path.join(dir, 'mix');
  await compose(parseRecipe(text, 'recipe.yaml', dir), { out: mixture });
});

describe('audit with worker threads', () => {
  it('reports the same for 0, 1 and 3 workers, and leaves no worker running', async () => {
    for (const fields of ['all', 'user'] as const) {
      const run = (workers: number) => audit([mixture], { cwd: dir, evals: ['eval.jsonl'], near: { fields }, workers });
      const inline = await run(0);
      const subject = inline.subjects[0]!;
      // the mixture has what the workers must get right
      const train = subject.splits.find((s) => s.name === 'train')!;
      const validation = subject.splits.find((s) => s.name === 'validation')!;
      expect(train.total.duplicates).toBeGreaterThan(0);
      expect(train.total.nearDuplicates).toBeGreaterThan(0);
      expect(validation.total.leaked + validation.total.nearLeaked).toBeGreaterThan(0);
      expect(train.total.contaminated).toBeGreaterThan(0);
      for (const workers of [1, 3]) expect(await run(workers)).toEqual(inline);
      expect(liveFactWorkers()).toBe(0);
    }
  });

  it('takes --workers on the command line: the same JSON for 0 and 2, a usage error for -1', async () => {
    const run = (workers: string) =>
      runCli(['audit', mixture, '--eval', path.join(dir, 'eval.jsonl'), '--workers', workers, '--json']);
    const [inline, two] = [await run('0'), await run('2')];
    expect(inline.code).toBe(two.code);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(inline.stdout));
    const refused = await run('-1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--workers must be a whole number');
    expect(liveFactWorkers()).toBe(0);
  });

  it('counts the same tokens in workers with a real tokenizer', async () => {
    const run = (workers: number) =>
      audit([mixture], { cwd: dir, evals: ['eval.jsonl'], tokenizer: 'o200k_base', workers });
    const inline = await run(0);
    expect(inline.subjects[0]!.tokenizer.name).toBe('o200k_base');
    expect(inline.subjects[0]!.tokenizer.estimate).toBe(false);
    expect(await run(2)).toEqual(inline);
    expect(liveFactWorkers()).toBe(0);
  });

  it('reports the same without the near-duplicate check', async () => {
    const run = (workers: number) => audit([mixture], { cwd: dir, evals: ['eval.jsonl'], near: false, workers });
    expect(await run(2)).toEqual(await run(0));
    expect(liveFactWorkers()).toBe(0);
  });
});

describe('FactComputer', () => {
  const bodies: SampleBody[] = [
    {
      kind: 'chat',
      messages: [
        {
          role: 'user',
          content:
            'Which of the following is the most likely diagnosis of crushing chest pain radiating to the left arm?',
        },
        { role: 'assistant', content: 'Myocardial infarction.' },
      ],
    },
    {
      kind: 'chat',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: '  Ｆｕｌｌ－ｗｉｄｔｈ\u00a0text\t\twith   odd   spaces  ' },
        { role: 'assistant', content: '' },
      ],
    },
    {
      kind: 'chat',
      messages: [
        { role: 'user', content: CHINESE[3]!.instruction },
        { role: 'assistant', content: CHINESE[3]!.output },
      ],
    },
    {
      kind: 'chat',
      messages: [{ role: 'assistant', content: 'an answer without a question, mixing 中文 and English words' }],
    },
    { kind: 'text', text: '   \n  ' },
    { kind: 'text', text: '' },
    { kind: 'text', text: '!!! ??? ...' },
  ];

  it('gives per record what the plain definitions give', () => {
    const evalItems = [
      {
        set: 'exam',
        id: 'exam:1',
        text: 'Which of the following is the most likely diagnosis of crushing chest pain radiating to the left arm? A: MI B: GERD',
      },
      { set: 'exam', id: 'exam:2', text: CHINESE[3]!.instruction },
    ];
    const ngram = new EvalIndex();
    for (const item of evalItems) ngram.add(item);
    const hasher = new MinHasher({
      permutations: DEFAULT_NEAR_DUP_SETTINGS.bands * DEFAULT_NEAR_DUP_SETTINGS.rows,
      seed: MINHASH_SEED,
    });
    for (const near of ['all', 'user', 'assistant', null] as (TextFields | null)[]) {
      const computer = FactComputer.fromSettings({ prompts: true, evalIndex: sharedIndexOf(evalItems), near });
      const texts = bodies.map(sampleText);
      const batch = computer.compute({
        texts,
        prompts: bodies.map((b) => promptOf(b) ?? null),
        nearTexts: near !== null && near !== 'all' ? bodies.map((b) => textForFields(b, near)) : undefined,
      });
      const reader = new FactReader(batch);
      bodies.forEach((body, i) => {
        const facts = reader.at(i, texts[i]!);
        const keys = recordKeys(body, true);
        expect(facts.keys).toEqual(keys);
        expect(facts.evalHit).toEqual(keys.empty ? undefined : ngram.match(keys.text));
        if (near === null || keys.empty) {
          expect(facts.shingles).toBeUndefined();
          return;
        }
        const shingles = shingleSet(textForFields(body, near)).hashes;
        expect(Array.from(sortedSet(facts.shingles!))).toEqual(Array.from(shingles));
        expect(facts.bandKeys && Array.from(facts.bandKeys)).toEqual(
          shingles.length === 0
            ? undefined
            : Array.from(
                lshBandKeys(
                  hasher.signature(shingles),
                  DEFAULT_NEAR_DUP_SETTINGS.bands,
                  DEFAULT_NEAR_DUP_SETTINGS.rows,
                ),
              ),
        );
      });
    }
  });
});
