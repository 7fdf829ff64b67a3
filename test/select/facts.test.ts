/**
 * The selection over plain fact rows (select/select-facts.ts, over records/facts/fact-rows.ts: the
 * plain read → map → normalise → md5 path, no fast path, no worker) picks exactly what compose's
 * bounded scan picks: the same records, splits, copies and output positions at every point, on
 * inputs with exact, normalised and cross-group duplicates, across formats, shortage policies,
 * strata, token budgets and sweeps. This is the contract an SQL implementation must meet too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { planMixture } from '../../src/plan/plan.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { type FactRow, factRows } from '../../src/records/facts/fact-rows.js';
import { scanWithRoom } from '../../src/select/scan-with-room.js';
import { selectFromFacts } from '../../src/select/select-facts.js';
import { type PointSelection, selectPoint } from '../../src/select/select.js';
import { createTokenCounter } from '../../src/tokens/token-counter.js';
import { FACT_RECIPES, factsRecipe as base, SOURCE_RECIPES, writeFactsCorpus } from '../helpers/facts-corpus.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();

beforeAll(() => writeFactsCorpus(dir));

/** What a point's selection is, record by record, independent of object identity. */
function rowsOf(selection: PointSelection) {
  return {
    name: selection.point.name,
    rows: selection.rows,
    groups: selection.groups.map((g) => [g.pool, g.quota, g.selected, g.shortfall, g.available, g.validationSelected]),
    records: selection.records.map(
      (r) =>
        `${r.split}:${r.position}:${r.group}:${r.candidate.fileIndex}:${r.candidate.line}:${r.copy}:${r.candidate.key}`,
    ),
  };
}

async function both(text: string) {
  const loaded = parseRecipe(text, 'r.yaml', dir);
  const { recipe } = loaded;
  const plan = planMixture(recipe);
  const tokens = await createTokenCounter(recipe.mixture.tokenizer, dir);
  const { pools } = await scanWithRoom(loaded, plan, { tokens, workers: 0 });
  const composed = plan.points.map((point) => rowsOf(selectPoint(pools, point, plan, recipe.mixture, recipe.seed)));
  const facts: FactRow[] = [];
  for await (const row of factRows(loaded, { tokens })) facts.push(row);
  const fromFacts = selectFromFacts(facts, plan, recipe).map(rowsOf);
  tokens.free();
  return { composed, fromFacts, facts };
}

describe('selection over fact rows equals compose', () => {
  it.each([...FACT_RECIPES, ...SOURCE_RECIPES])('%s', async (_, text) => {
    const { composed, fromFacts, facts } = await both(text);
    expect(facts.length).toBeGreaterThan(1000);
    expect(fromFacts).toEqual(composed);
    expect(composed.some((p) => p.records.length > 0)).toBe(true);
  });

  it('notices a different selection (a wrong seed in the facts)', async () => {
    const text = base();
    const { composed } = await both(text);
    const loaded = parseRecipe(text.replace('seed: 7', 'seed: 8'), 'r.yaml', dir);
    const facts: FactRow[] = [];
    for await (const row of factRows(loaded, { tokens: await createTokenCounter(null, dir) })) facts.push(row);
    const planned = planMixture(parseRecipe(text, 'r.yaml', dir).recipe);
    expect(selectFromFacts(facts, planned, parseRecipe(text, 'r.yaml', dir).recipe).map(rowsOf)).not.toEqual(composed);
  });
});
