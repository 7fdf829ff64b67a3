/**
 * The post-scan filters' work in worker threads (#18, #22 cost): facts are settled in read order
 * whatever order the workers finish in, they cross threads intact, and a compose gives the same
 * output with the pool as on the main thread, with decontamination, near-duplicate removal or both.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { type ContaminationMatch, EvalIndex } from '../../src/decontam/eval-index.js';
import { parseRecipe } from '../../src/recipe/load.js';
import type { Candidate } from '../../src/records/facts/candidate.js';
import type { Sample } from '../../src/sample.js';
import { MINHASH_SEED, MinHasher } from '../../src/near-dup/minhash.js';
import { lshBandKeys } from '../../src/near-dup/near-dup-index.js';
import { shingleSet } from '../../src/text/shingles.js';
import {
  CandidateFacts,
  nearShingles,
  packFacts,
  type PackedFacts,
  unpackFacts,
} from '../../src/select/candidate-facts.js';
import { OrderedBatches } from '../../src/select/candidate-facts-batches.js';
import { CandidateFactsPool, liveCandidateFactWorkers } from '../../src/select/candidate-facts-pool.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

afterEach(() => vi.restoreAllMocks());

type ReadSample = { readonly candidate: Candidate; readonly sample: Sample };

function hitFor(text: string): ContaminationMatch {
  return { set: 's', layer: 'exact', evalId: text, matchedShare: 1, matchedGrams: 1, itemGrams: 1, example: text };
}

describe('OrderedBatches', () => {
  it('settles candidates in the order they were added when later batches are answered first', async () => {
    let batch = 0;
    // Each batch is answered later than the one after it: the last batch sent finishes first.
    const pool = {
      size: 2,
      facts({ texts }: { texts: readonly string[] | null }): Promise<PackedFacts> {
        const delay = 40 - 10 * batch++;
        const facts = texts!.map((t) => ({ hit: t.endsWith('3') ? hitFor(t) : undefined, near: undefined }));
        return new Promise((resolve) => setTimeout(() => resolve(packFacts(facts, 0)), delay));
      },
    };
    const settled: [string, string | undefined][] = [];
    const batches = new OrderedBatches<ReadSample>(
      pool,
      (read, fact) => settled.push([read.sample.origin, fact.hit?.evalId]),
      { texts: true, nearTexts: false, bands: 0 },
      3,
    );
    const waits: boolean[] = [];
    for (let i = 0; i < 11; i++) {
      const read = { candidate: {} as Candidate, sample: { origin: `o${i}` } as Sample } satisfies ReadSample;
      const wait = batches.add(read, `t${i}`, undefined);
      waits.push(wait !== undefined);
      if (wait) await wait;
    }
    await batches.finish();
    expect(settled).toEqual(Array.from({ length: 11 }, (_, i) => [`o${i}`, i % 10 === 3 ? `t${i}` : undefined]));
    // At most size × IN_FLIGHT_PER_WORKER (2 × 3) batches in flight: 11 records in batches of 3 never wait.
    expect(waits.every((w) => !w)).toBe(true);
  });

  it('makes reading wait for the oldest answer once the workers are that far behind', async () => {
    const pool = {
      size: 1,
      facts: async ({ texts }: { texts: readonly string[] | null }) =>
        packFacts(
          texts!.map(() => ({ hit: undefined, near: undefined })),
          0,
        ),
    };
    const batches = new OrderedBatches(pool, () => undefined, { texts: true, nearTexts: false, bands: 0 }, 1);
    const waits = [];
    for (let i = 0; i < 5; i++)
      waits.push(batches.add({ candidate: {} as Candidate, sample: { origin: `o${i}` } as Sample }, 't', undefined));
    expect(waits.map((w) => w !== undefined)).toEqual([false, false, true, true, true]);
    await Promise.all(waits);
    await batches.finish();
  });
});

describe('packed facts', () => {
  it('cross threads as they were computed: hits and band keys per record', () => {
    const index = new EvalIndex();
    index.add({ set: 's', id: 'e1', text: 'which enzyme rises first after a myocardial infarction in adults' });
    const facts = new CandidateFacts(EvalIndex.fromShared(index.toShared()), {
      bands: 4,
      rows: 3,
      shingle: { unit: 'auto', wordSize: 5, charSize: 5 },
    });
    const texts = [
      'Quiz: which enzyme rises first after a myocardial infarction in adults?',
      'A plain  record\n about bones and   joints, long enough to shingle.',
      '',
      '短文本也有五个字以上的内容。',
    ];
    const computed = texts.map((t) => facts.of(t, t));
    // One normalisation and tokenisation serve both filters: the same as each computing its own.
    const shingling = { unit: 'auto', wordSize: 5, charSize: 5 } as const;
    const hasher = new MinHasher({ permutations: 12, seed: MINHASH_SEED });
    computed.forEach((fact, i) => {
      expect(fact.hit).toEqual(index.match(texts[i]!));
      if (fact.hit) return;
      const shingles = shingleSet(texts[i]!, shingling).hashes;
      expect(nearShingles(texts[i]!, { bands: 4, rows: 3, shingle: shingling })).toEqual(shingles);
      const bandKeys = lshBandKeys(hasher.signature(shingles), 4, 3);
      expect(fact.near).toEqual({ bandKeys });
    });
    expect(computed[0]!.hit?.evalId).toBe('e1');
    expect(computed.filter((f) => f.near).length).toBe(3);
    const crossed = unpackFacts(structuredClone(packFacts(computed, 4)), 4);
    expect(crossed).toEqual(computed);
  });
});

describe('decontamination in worker threads', () => {
  const dir = tempDir();
  const question =
    'A 45-year-old man presents with crushing chest pain radiating to the left arm and diaphoresis for two hours; which enzyme rises first after myocardial injury?';

  beforeAll(() => {
    const medical = alpacaRecords('med', 700);
    for (const at of [10, 333, 650]) medical[at] = { instruction: question, input: '', output: `answer ${at}` };
    writeJsonl(path.join(dir, 'med.jsonl'), medical);
    const general = alpacaRecords('gen', 900);
    writeJsonl(path.join(dir, 'gen.jsonl'), general);
    // The same records over three files, the middle one CSV, with near copies across them.
    writeJsonl(path.join(dir, 'gen-a.jsonl'), general.slice(0, 300));
    const cell = (value: string) => `"${value.replaceAll('"', '""')}"`;
    writeFileSync(
      path.join(dir, 'gen.csv'),
      `instruction,input,output\n${general
        .slice(300, 600)
        .map((r) => [r.instruction, r.input, r.output].map(cell).join(','))
        .join('\n')}\n`,
    );
    writeJsonl(path.join(dir, 'gen-b.jsonl'), [...general.slice(600), ...general.slice(0, 40)]);
    writeJsonl(path.join(dir, 'eval.jsonl'), [{ question, options: { A: 'CK-MB', B: 'myoglobin' }, answer: 'B' }]);
  });

  async function composeWith(workers: number, out: string) {
    const text = twoGroupRecipe({
      medical: 'med.jsonl',
      general: 'gen.jsonl',
      volume: 1200,
      medicalShare: 0.5,
      extra:
        'dedup: { exact: true, near: { threshold: 0.8 } }\ndecontaminate:\n  eval:\n    - { name: exam, path: eval.jsonl }\n',
    }).replace('mixture:\n', 'mixture:\n  shortage: cap\n');
    const result = await compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, out), workers });
    const read = (name: string) => readFileSync(path.join(result.out, name), 'utf8');
    return { train: read('train-00000-of-00001.jsonl'), removed: read('removed.jsonl'), manifest: result.manifest };
  }

  it('gives the same output, removals and report with a pool as on the main thread, and stops its workers', async () => {
    const texts = vi.spyOn(CandidateFactsPool.prototype, 'facts');
    const bytes = vi.spyOn(CandidateFactsPool.prototype, 'factsOfBytes');
    const inline = await composeWith(0, 'inline');
    expect(texts).not.toHaveBeenCalled();
    expect(bytes).not.toHaveBeenCalled();
    const pooled = await composeWith(2, 'pooled');
    // JSONL read by offset: the workers get the records' bytes and parse them themselves.
    expect(bytes.mock.calls.length).toBeGreaterThan(1);
    expect(texts).not.toHaveBeenCalled();
    expect(liveCandidateFactWorkers()).toBe(0);
    expect(pooled.train).toBe(inline.train);
    expect(pooled.removed).toBe(inline.removed);
    expect(pooled.manifest.evidence.decontamination).toEqual(inline.manifest.evidence.decontamination);
    expect(inline.manifest.evidence.decontamination).toMatchObject([
      { set: 'exam', itemsHit: 1, removedBySource: { med: 3 } },
    ]);
  });

  const both =
    'dedup: { exact: true, near: { threshold: 0.8, fields: user } }\ndecontaminate:\n  eval:\n    - { name: exam, path: eval.jsonl }\n';
  it.each([
    ['near-duplicate removal alone', 'dedup: { exact: true, near: { threshold: 0.8 } }\n', 'gen.jsonl'],
    ['both filters on different fields', both, 'gen.jsonl'],
    // A CSV file's records are read on this thread and cross as texts, between JSONL files that cross as bytes.
    ['a CSV source read between JSONL files', both, ['gen-a.jsonl', 'gen.csv', 'gen-b.jsonl']],
  ])('gives the same output with a pool as on the main thread: %s', async (_name, extra, general) => {
    const recipe = (workers: number) =>
      compose(
        parseRecipe(
          twoGroupRecipe({
            medical: 'med.jsonl',
            general,
            volume: 1200,
            medicalShare: 0.5,
            extra,
          }).replace('mixture:\n', 'mixture:\n  shortage: cap\n'),
          'r.yaml',
          dir,
        ),
        { out: path.join(dir, `${_name}-${workers}`), workers },
      );
    const texts = vi.spyOn(CandidateFactsPool.prototype, 'facts');
    const bytes = vi.spyOn(CandidateFactsPool.prototype, 'factsOfBytes');
    const [inline, pooled] = [await recipe(0), await recipe(2)];
    expect(bytes).toHaveBeenCalled();
    if (Array.isArray(general)) expect(texts).toHaveBeenCalled();
    const read = (out: string, name: string) => readFileSync(path.join(out, name), 'utf8');
    for (const name of ['train-00000-of-00001.jsonl', 'removed.jsonl'])
      expect(read(pooled.out, name)).toBe(read(inline.out, name));
    expect(read(inline.out, 'removed.jsonl')).toMatch(/dup-near|contaminated/);
    expect(pooled.manifest.evidence.nearDup).toEqual(inline.manifest.evidence.nearDup);
  });
});

describe('a bytes batch in a filter worker', () => {
  const records = ['{"instruction":"q1","output":"a1"}', '{"instruction":"q2","output":"a2"}'];
  const batchOf = (lines: readonly string[], expect: readonly number[]) => {
    const bytes = Buffer.from(lines.join(''));
    let end = 0;
    return {
      context: {
        file: 0,
        displayPath: 'f.jsonl',
        source: 's',
        encoding: 'utf-8',
        schema: 'alpaca' as const,
        check: 'crc32' as const,
        groups: ['g'],
        fields: null,
        nearFields: 'all' as const,
      },
      input: {
        bytes: new Uint8Array(bytes),
        ends: Uint32Array.from(lines, (l) => (end += Buffer.byteLength(l))),
        lines: Float64Array.from(lines, (_, i) => i + 1),
        groups: new Uint16Array(lines.length),
        lengths: Float64Array.from(lines, (l) => Buffer.byteLength(l)),
        expect: Float64Array.from(expect),
      },
    };
  };
  const near = { bands: 4, rows: 3, shingle: { unit: 'auto', wordSize: 5, charSize: 5 } } as const;

  it('reads each record again, and stops at the first one that is no longer what the scan saw', async () => {
    const pool = new CandidateFactsPool(1, { index: null, near });
    try {
      const crcs = records.map((r) => crc32(Buffer.from(r)));
      const ok = await pool.factsOfBytes(batchOf(records, crcs));
      expect('count' in ok && ok.count).toBe(2);
      const inline = new CandidateFacts(undefined, near);
      const texts = records.map((r) => {
        const { instruction, output } = JSON.parse(r);
        return `${instruction}\n${output}`;
      });
      expect(unpackFacts(ok as PackedFacts, 4)).toEqual(texts.map((t) => inline.of(undefined, t)));
      // The second record's bytes differ from the scan's: its crc32 does not match.
      expect(await pool.factsOfBytes(batchOf(records, [crcs[0]!, crcs[1]! ^ 1]))).toEqual({ changedAt: 1 });
      // Bytes that no longer parse: changed too, with the parse error as its cause.
      const broken = ['{"instruction":"q1"', records[1]!];
      expect(await pool.factsOfBytes(batchOf(broken, [0, crcs[1]!]))).toMatchObject({
        changedAt: 0,
        cause: { code: 'INPUT_JSON' },
      });
    } finally {
      await pool.close();
    }
  });
});
