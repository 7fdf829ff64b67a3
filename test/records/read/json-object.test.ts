/**
 * JSON objects keyed by id (#20 item 1), read record for record with each key as `$key`. The
 * fixtures imitate, record shape for record shape, three public files:
 *
 * - PubMedQA's data/ori_pqal.json (github.com/pubmedqa/pubmedqa): `{ "<PMID>": { QUESTION,
 *   CONTEXTS: [...], LABELS, MESHES, YEAR, reasoning_required_pred, reasoning_free_pred,
 *   final_decision, LONG_ANSWER } }`, pretty-printed;
 * - PubMedQA's data/test_ground_truth.json: `{ "<PMID>": "yes" | "no" | "maybe" }` on one line;
 * - MIRAGE's benchmark.json (github.com/Teddy-XiongGZ/MIRAGE): `{ "<dataset>": { "<id>":
 *   { question, options: { A, B, C, D }, answer } } }`, nested one level.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../../src/compose/compose.js';
import { MixsmithError } from '../../../src/errors.js';
import { parseRecipe } from '../../../src/recipe/load.js';
import { detectFormat } from '../../../src/records/read/detect-format.js';
import { jsonObjectRecords } from '../../../src/records/read/json-object-records.js';
import { originOf, type RawRecord } from '../../../src/records/read/raw-record.js';
import { readRecords } from '../../../src/records/read/read-records.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

const dir = tempDir('mixsmith-json-object-');

const PQAL = {
  '21645374': {
    QUESTION: 'Do mitochondria play a role in remodelling lace plant leaves during programmed cell death?',
    CONTEXTS: [
      'Programmed cell death (PCD) is the regulated death of cells within an organism.',
      'The following paper elucidates the role of mitochondrial dynamics.',
    ],
    LABELS: ['BACKGROUND', 'RESULTS'],
    MESHES: ['Alismataceae', 'Apoptosis'],
    YEAR: '2011',
    reasoning_required_pred: 'yes',
    reasoning_free_pred: 'yes',
    final_decision: 'yes',
    LONG_ANSWER: 'Results depicted mitochondrial dynamics in vivo as PCD progresses within the lace plant.',
  },
  '16418930': {
    QUESTION: 'Landolt C and snellen e acuity: differences in strabismus amblyopia?',
    CONTEXTS: ['Assessment of visual acuity depends on the optotypes used for measurement.'],
    LABELS: ['BACKGROUND'],
    MESHES: ['Amblyopia'],
    YEAR: '2006',
    reasoning_required_pred: 'no',
    reasoning_free_pred: 'no',
    final_decision: 'no',
    LONG_ANSWER: 'Using the charts described, there was only a slight overestimation of visual acuity.',
  },
  '9488747': {
    QUESTION: 'Syncope during bathing in infants, a pediatric form of water-induced urticaria?',
    CONTEXTS: ['Apparent life-threatening events in infants are a difficult and frequent problem.'],
    LABELS: ['BACKGROUND'],
    MESHES: ['Baths'],
    YEAR: '1997',
    reasoning_required_pred: 'yes',
    reasoning_free_pred: 'yes',
    final_decision: 'maybe',
    LONG_ANSWER: 'Water-induced syncope may be an unrecognized form of urticaria in infants.',
  },
};

const GROUND_TRUTH = { '12377809': 'yes', '26163474': 'yes', '19100463': 'no', '18537964': 'maybe' };

const MIRAGE = {
  medqa: {
    '0000': {
      question:
        'A 23-year-old pregnant woman at 22 weeks gestation presents with burning upon urination. Which is the best treatment?',
      options: { A: 'Ampicillin', B: 'Ceftriaxone', C: 'Ciprofloxacin', D: 'Doxycycline' },
      answer: 'D',
    },
    '0001': {
      question: 'A 3-month-old infant is brought to the emergency department. What is the most likely diagnosis?',
      options: {
        A: 'Placing the infant in a supine position',
        B: 'Keeping the infant covered',
        C: 'Routine postnatal care',
        D: 'Smoking cessation',
      },
      answer: 'A',
    },
  },
  pubmedqa: {
    '25429730': {
      question: 'Are group 2 innate lymphoid cells (ILC2s) increased in chronic rhinosinusitis with nasal polyps?',
      options: { A: 'yes', B: 'no', C: 'maybe' },
      answer: 'A',
    },
  },
};

async function readAll(file: string, format: 'json-object' | 'auto' = 'auto'): Promise<RawRecord[]> {
  const detected = await detectFormat(file, path.basename(file), format);
  expect(detected).toBe('json-object');
  const out: RawRecord[] = [];
  for await (const batch of readRecords(file, { format: detected, displayPath: path.basename(file) }))
    out.push(...batch);
  return out;
}

/** The reader over `bytes` cut into chunks of `size` bytes. */
async function readChunked(bytes: Buffer, size: number): Promise<RawRecord[]> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: RawRecord[] = [];
  for await (const batch of jsonObjectRecords(chunks(), 'chunked.json')) out.push(...batch);
  return out;
}

describe('JSON objects keyed by id', () => {
  it('carries a value far longer than a chunk (40 MB in 64 KiB chunks) whole, and the records around it', async () => {
    const long = 'ab"c\\d é 中 '.repeat(3_500_000);
    const object = { first: { text: 'short' }, long: { text: long, n: 1 }, last: { text: 'after' } };
    const records = await readChunked(Buffer.from(JSON.stringify(object)), 1 << 16);
    expect(records.map((r) => (r.value as { $key: string }).$key)).toEqual(['first', 'long', 'last']);
    expect((records[1]!.value as { text: string }).text === long).toBe(true);
    expect(records[2]!.value).toEqual({ $key: 'last', text: 'after' });
  });

  it('reads PubMedQA ori_pqal.json (pretty-printed) record for record, the PMID as $key', async () => {
    const file = path.join(dir, 'ori_pqal.json');
    writeFileSync(file, JSON.stringify(PQAL, null, 4));
    const records = await readAll(file);
    expect(records.map((r) => r.value)).toEqual(Object.entries(PQAL).map(([$key, record]) => ({ $key, ...record })));
    expect(records.map((r) => originOf('ori_pqal.json', r))).toEqual([
      'ori_pqal.json#element=1',
      'ori_pqal.json#element=2',
      'ori_pqal.json#element=3',
    ]);
    // Each record's extent is its value's bytes.
    const bytes = readFileSync(file);
    for (const record of records)
      expect(JSON.parse(bytes.toString('utf8', record.offset, record.offset + record.length))).toEqual(
        PQAL[(record.value as { $key: keyof typeof PQAL }).$key],
      );
  });

  it('reads test_ground_truth.json (one line of PMID → label) as { $key, $value }', async () => {
    const file = path.join(dir, 'test_ground_truth.json');
    writeFileSync(file, JSON.stringify(GROUND_TRUTH));
    const records = await readAll(file);
    expect(records.map((r) => r.value)).toEqual(
      Object.entries(GROUND_TRUTH).map(([$key, $value]) => ({ $key, $value })),
    );
  });

  it('reads MIRAGE benchmark.json (dataset → id → record): $key the id, $keys every level', async () => {
    const file = path.join(dir, 'benchmark.json');
    writeFileSync(file, JSON.stringify(MIRAGE));
    const records = await readAll(file);
    const expected = Object.entries(MIRAGE).flatMap(([dataset, items]) =>
      Object.entries(items).map(([id, record]) => ({ $key: id, $keys: [dataset, id], ...record })),
    );
    expect(records.map((r) => r.value)).toEqual(expected);
    expect(records.map((r) => r.element)).toEqual([1, 2, 3]);
    // Streamed: any cut of the bytes gives the same records.
    const bytes = readFileSync(file);
    for (const size of [1, 7, 64])
      expect((await readChunked(bytes, size)).map((r) => [r.value, r.offset, r.length])).toEqual(
        records.map((r) => [r.value, r.offset, r.length]),
      );
  });

  it('composes a keyed object with $key and $keys in a template, each record read again from its element', async () => {
    writeFileSync(path.join(dir, 'mirage.json'), JSON.stringify(MIRAGE, null, 2));
    const recipe = `name: keyed
seed: 5
sources:
  - name: mirage
    group: g
    path: mirage.json
    schema:
      turns:
        - { role: user, template: "[{$keys.0} {$key}] {question}" }
        - { role: assistant, from: answer }
mixture:
  volume: 3
  shares: { g: 1 }
`;
    const out = path.join(dir, 'out');
    const { manifest } = await compose(parseRecipe(recipe, 'recipe.yaml', dir), { out });
    expect(manifest.sources.mirage!.files.map((f) => f.format)).toEqual(['json-object']);
    const rows = readFileSync(path.join(out, 'train-00000-of-00001.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { origin: string; messages: { content: string }[] });
    const byOrigin = Object.fromEntries(rows.map((r) => [r.origin, [r.messages[0]!.content, r.messages[1]!.content]]));
    expect(byOrigin).toEqual({
      'mirage.json#element=1': [`[medqa 0000] ${MIRAGE.medqa['0000'].question}`, 'D'],
      'mirage.json#element=2': [`[medqa 0001] ${MIRAGE.medqa['0001'].question}`, 'A'],
      'mirage.json#element=3': [`[pubmedqa 25429730] ${MIRAGE.pubmedqa['25429730'].question}`, 'A'],
    });
  });

  it('serves as an eval set: a training sample holding a PubMedQA question is removed, matched to its element', async () => {
    writeFileSync(path.join(dir, 'pqal-eval.json'), JSON.stringify(PQAL, null, 4));
    const questions = Object.values(PQAL).map((r) => r.QUESTION);
    const training = [
      { instruction: `Answer yes, no or maybe. ${questions[1]}`, input: '', output: 'no' },
      {
        instruction: 'What is the usual adult dose of paracetamol for a mild fever and headache?',
        input: '',
        output: 'Five hundred milligrams to one gram every four to six hours.',
      },
    ];
    writeFileSync(path.join(dir, 'train.jsonl'), training.map((r) => JSON.stringify(r)).join('\n'));
    const recipe = `name: keyed-eval
seed: 5
sources:
  - { name: train, group: g, path: train.jsonl }
mixture: { volume: 2, shares: { g: 1 }, shortage: cap }
decontaminate:
  eval:
    - { name: pqal, path: pqal-eval.json, schema: { turns: [{ role: user, template: "{QUESTION}" }] } }
`;
    const out = path.join(dir, 'out-eval');
    await compose(parseRecipe(recipe, 'recipe.yaml', dir), { out });
    const removed = readFileSync(path.join(out, 'removed.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { origin: string; reason: string; matched: string });
    expect(removed.filter((r) => r.reason === 'contaminated').map((r) => [r.origin, r.matched])).toEqual([
      ['train.jsonl:1', 'pqal:pqal-eval.json#element=2'],
    ]);
  });

  it('inspect names the format and shows $key', async () => {
    const run = await runCli([
      'inspect',
      path.join(dir, 'ori_pqal.json'),
      '--schema',
      '{"turns":[{"role":"user","from":"QUESTION"},{"role":"assistant","from":"final_decision"}],"meta":["$key"]}',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { files: { format: string; records: { read: number; valid: number } }[] };
    expect(report.files[0]!.format).toBe('json-object');
    expect(run.stdout).toContain('21645374');
  });

  it('can be chosen explicitly, and other objects are still refused with a hint that fits', async () => {
    const file = path.join(dir, 'one-member.json');
    writeFileSync(file, JSON.stringify({ only: { text: 'a' } }));
    // One member: detected as one JSONL record, read as a keyed object when told.
    expect(await detectFormat(file, 'one-member.json', 'auto')).toBe('jsonl');
    expect((await readAll(file, 'json-object')).map((r) => r.value)).toEqual([{ $key: 'only', text: 'a' }]);
    const squad = path.join(dir, 'squad.json');
    writeFileSync(squad, JSON.stringify({ version: 'v2.0', data: [{ title: 'x' }] }, null, 2));
    const error = await detectFormat(squad, 'squad.json', 'auto').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).hint).toContain('jq ".key" FILE');
    expect((error as MixsmithError).hint).toContain('format: json-object');
    const cut = path.join(dir, 'cut.json');
    writeFileSync(cut, JSON.stringify(PQAL).slice(0, 500));
    await expect(readAll(cut)).rejects.toThrow(/not closed/);
  });
});
