/**
 * The staged pipeline (facts → SQL select → materialize → assemble) writes the bytes compose
 * writes: every shard, removed.jsonl, manifest (less its run block), sweep index and layout file,
 * with 1 and with 7 map parts and 3 materialize parts, over the facts corpus's recipes (exact,
 * normalised and cross-group duplicates in JSONL, gzip, a JSON array and CSV; dedup off; cap,
 * repeat and redistribute over sweeps; strata; a token budget with strata; another seed and prefer).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runStaged } from '../../src/stages/run-stages.js';
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
