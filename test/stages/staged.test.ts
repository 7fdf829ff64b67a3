/**
 * The staged pipeline (facts → SQL select → materialize → assemble) writes the bytes compose
 * writes: every shard, removed.jsonl, manifest (less its run block), sweep index and layout file,
 * with 1 and with 7 map parts and 3 materialize parts, over the facts corpus's recipes (exact,
 * normalised and cross-group duplicates in JSONL, gzip, a JSON array and CSV; dedup off; cap,
 * repeat and redistribute over sweeps; strata; a token budget with strata; another seed and prefer).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runStaged } from '../../src/stages/run-stages.js';
import { alpacaRecords, writeJsonl } from '../helpers/corpus.js';
import { FACT_RECIPES, writeFactsCorpus } from '../helpers/facts-corpus.js';
import { tree } from '../helpers/staged.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
beforeAll(() => writeFactsCorpus(dir));

let runs = 0;
async function composed(text: string): Promise<Map<string, string>> {
  const out = path.join(dir, `compose-${runs++}`);
  await compose(parseRecipe(text, 'r.yaml', dir), { out, workers: 0 });
  return tree(out);
}

async function staged(text: string, mapParts: number, materializeParts: number): Promise<Map<string, string>> {
  const n = runs++;
  const out = path.join(dir, `staged-${n}`);
  await runStaged(parseRecipe(text, 'r.yaml', dir), {
    dir: path.join(dir, `work-${n}`),
    out,
    mapParts,
    materializeParts,
    workers: 0,
  });
  return tree(out);
}

describe('the staged pipeline writes what compose writes', () => {
  it.each(FACT_RECIPES)('%s', async (_, text) => {
    const expected = await composed(text);
    expect(expected.size).toBeGreaterThan(2);
    expect(await staged(text, 1, 1)).toEqual(expected);
    expect(await staged(text, 7, 3)).toEqual(expected);
  });
});

describe("the staged pipeline keeps compose's per-record rules", () => {
  it('passthrough with provenance, bad records skipped, shards by rows, every layout: the same bytes', async () => {
    const own = path.join(dir, 'passthrough');
    mkdirSync(own, { recursive: true });
    const records = alpacaRecords('p', 400).map((r, i) =>
      // A record carrying a provenance field of its own is invalid under passthrough + provenance;
      // another lacks its instruction; another is not JSON.
      i === 7 ? { ...r, source: 'mine' } : i === 11 ? { input: r.input, output: r.output } : r,
    );
    writeJsonl(path.join(own, 'a.jsonl'), records);
    writeFileSync(path.join(own, 'b.jsonl'), `${JSON.stringify(alpacaRecords('q', 300)[0])}\n{not json\n`);
    writeJsonl(path.join(own, 'c.jsonl'), alpacaRecords('q', 300));
    const text = `name: passthrough
seed: 5
sources:
  - { name: a, group: one, path: [a.jsonl, b.jsonl], on_error: skip, schema: alpaca, filters: { min_chars: 30 } }
  - { name: c, group: two, path: c.jsonl }
mixture:
  volume: 500
  shares: { one: 0.5, two: 0.5 }
  shortage: cap
split:
  validation: 20
output:
  schema: passthrough
  provenance: true
  max_rows_per_shard: 70
`;
    const loaded = () => parseRecipe(text, 'r.yaml', own);
    const out = path.join(own, 'composed');
    await compose(loaded(), { out, workers: 0 });
    const expected = tree(out);
    const manifest = JSON.parse(expected.get('manifest.json')!);
    expect(manifest.sources.a.invalid).toBeGreaterThanOrEqual(2);
    expect(Object.keys(manifest.sources.a.invalidByCode).length).toBeGreaterThanOrEqual(2);
    expect([...expected.keys()].filter((k) => k.startsWith('train-')).length).toBeGreaterThan(3);
    for (const [mapParts, materializeParts] of [
      [1, 1],
      [3, 2],
    ] as const) {
      const n = runs++;
      await runStaged(loaded(), {
        dir: path.join(own, `work-${n}`),
        out: path.join(own, `staged-${n}`),
        mapParts,
        materializeParts,
        workers: 0,
      });
      expect(tree(path.join(own, `staged-${n}`))).toEqual(expected);
    }
    // As compose, assemble never writes over the inputs, --force or not.
    const run = runStaged(loaded(), {
      dir: path.join(own, 'work-0'),
      out: own,
      force: true,
      mapParts: 1,
      materializeParts: 1,
    });
    await expect(run).rejects.toMatchObject({ code: 'OUTPUT_UNSAFE' });
    expect(tree(own).get('a.jsonl')).toBeDefined();
  });
});
