/**
 * The selection over plain fact rows (select/select-facts.ts, over records/facts/fact-rows.ts: the
 * plain read → map → normalise → md5 path, no fast path, no worker) picks exactly what compose's
 * bounded scan picks: the same records, splits, copies and output positions at every point, on
 * inputs with exact, normalised and cross-group duplicates, across formats, shortage policies,
 * strata, token budgets and sweeps. This is the contract an SQL implementation must meet too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { planMixture } from '../../src/plan/plan.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { type FactRow, factRows } from '../../src/records/facts/fact-rows.js';
import { scanWithRoom } from '../../src/select/scan-with-room.js';
import { selectFromFacts } from '../../src/select/select-facts.js';
import { type PointSelection, selectPoint } from '../../src/select/select.js';
import { createTokenCounter } from '../../src/tokens/token-counter.js';
import { alpacaRecords, twoGroupRecipe, writeJsonArray, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();

beforeAll(() => {
  const medical = alpacaRecords('med', 300);
  const general = alpacaRecords('gen', 700).map((r, i) => (i % 9 === 0 ? { ...r, output: `${r.output} ${'long text '.repeat(60)}` } : r));
  const variants = medical.slice(0, 20).map((r) => ({ ...r, instruction: `  ${r.instruction.toUpperCase()}  ` }));
  mkdirSync(path.join(dir, 'med'), { recursive: true });
  writeJsonl(path.join(dir, 'med', 'a.jsonl'), [...medical.slice(0, 150), ...medical.slice(0, 15), ...variants]);
  writeFileSync(path.join(dir, 'med', 'b.jsonl.gz'), gzipSync(`${medical.slice(150).map((r) => JSON.stringify(r)).join('\n')}\n`));
  writeJsonArray(path.join(dir, 'gen.json'), [...general, ...general.slice(0, 30), ...medical.slice(100, 140)]);
  const csv = ['instruction,input,output', ...alpacaRecords('csv', 80).map((r) => [r.instruction, r.input, r.output].map((v) => `"${v}"`).join(','))];
  writeFileSync(path.join(dir, 'gen.csv'), `${csv.join('\n')}\n`);
});

const base = (extra: Partial<Parameters<typeof twoGroupRecipe>[0]> = {}) => twoGroupRecipe({ medical: 'med', general: ['gen.json', 'gen.csv'], volume: 300, validation: 40, ...extra });
const strata = 'mixture:\n  strata:\n    general:\n      - { name: long, min_chars: 400, share: 0.25 }\n';

/** What a point's selection is, record by record, independent of object identity. */
function rowsOf(selection: PointSelection) {
  return {
    name: selection.point.name,
    rows: selection.rows,
    groups: selection.groups.map((g) => [g.pool, g.quota, g.selected, g.shortfall, g.available, g.validationSelected]),
    records: selection.records.map((r) => `${r.split}:${r.position}:${r.group}:${r.candidate.fileIndex}:${r.candidate.line}:${r.copy}:${r.candidate.key}`),
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
  it.each([
    ['exact and cross-group duplicates, JSONL, gzip, a JSON array and CSV, a validation split', base()],
    ['exact dedup off', base({ extra: 'dedup: { exact: false }\n' })],
    ['shortage cap over a sweep', base({ extra: 'sweep:\n  volume: [100, 300, 900]\n  shares: { medical: [0, 0.5, 1] }\n' }).replace('split:', 'split:').replace('mixture:\n', 'mixture:\n  shortage: cap\n')],
    ['shortage repeat', base({ volume: 1200 }).replace('mixture:\n', 'mixture:\n  shortage: repeat\n  max_epochs: 5\n')],
    ['shortage redistribute over a sweep', base({ extra: 'sweep:\n  volume: [200, 900]\n' }).replace('mixture:\n', 'mixture:\n  shortage: redistribute\n')],
    ['length strata', base().replace('mixture:\n', strata)],
    ['a token budget with strata', base({ validation: 0.05 }).replace('volume: 300', 'volume: "5k tokens"').replace('mixture:\n', `${strata}  tokenizer: chars\n`)],
    ['seed 99 and prefer general', base({ seed: 99, extra: 'dedup: { exact: true, prefer: [general, medical] }\n' })],
  ])('%s', async (_, text) => {
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
