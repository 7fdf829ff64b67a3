/**
 * Decontamination in worker threads (#18 cost): answers are settled in read order whatever order
 * the workers finish in, and a compose gives the same output with the pool as on the main thread.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import type { ContaminationMatch } from '../../src/decontam/eval-index.js';
import { parseRecipe } from '../../src/recipe/load.js';
import type { Candidate } from '../../src/records/facts/candidate.js';
import type { Sample } from '../../src/sample.js';
import { OrderedBatches } from '../../src/select/eval-match-batches.js';
import { type EvalMatchBatch, EvalMatchPool, liveEvalMatchWorkers } from '../../src/select/eval-match-pool.js';
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
      match(texts: readonly string[]): Promise<EvalMatchBatch> {
        const delay = 40 - 10 * batch++;
        const matches = texts.map((t) => (t.endsWith('3') ? hitFor(t) : null));
        return new Promise((resolve) => setTimeout(() => resolve(matches), delay));
      },
    };
    const settled: [string, string | undefined][] = [];
    const batches = new OrderedBatches<ReadSample>(
      pool,
      (read, hit) => settled.push([read.sample.origin, hit?.evalId]),
      3,
    );
    const waits: boolean[] = [];
    for (let i = 0; i < 11; i++) {
      const read = { candidate: {} as Candidate, sample: { origin: `o${i}` } as Sample } satisfies ReadSample;
      const wait = batches.add(read, `t${i}`);
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
      match: async (texts: readonly string[]) => texts.map(() => null),
    };
    const batches = new OrderedBatches(pool, () => undefined, 1);
    const waits = [];
    for (let i = 0; i < 5; i++)
      waits.push(batches.add({ candidate: {} as Candidate, sample: { origin: `o${i}` } as Sample }, 't'));
    expect(waits.map((w) => w !== undefined)).toEqual([false, false, true, true, true]);
    await Promise.all(waits);
    await batches.finish();
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
    writeJsonl(path.join(dir, 'gen.jsonl'), alpacaRecords('gen', 900));
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
    const match = vi.spyOn(EvalMatchPool.prototype, 'match');
    const inline = await composeWith(0, 'inline');
    expect(match).not.toHaveBeenCalled();
    const pooled = await composeWith(2, 'pooled');
    expect(match.mock.calls.length).toBeGreaterThan(1);
    expect(liveEvalMatchWorkers()).toBe(0);
    expect(pooled.train).toBe(inline.train);
    expect(pooled.removed).toBe(inline.removed);
    expect(pooled.manifest.evidence.decontamination).toEqual(inline.manifest.evidence.decontamination);
    expect(inline.manifest.evidence.decontamination).toMatchObject([
      { set: 'exam', itemsHit: 1, removedBySource: { med: 3 } },
    ]);
  });
});
