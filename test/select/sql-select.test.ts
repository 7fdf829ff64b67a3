/**
 * The selection as SQL (select/sql/selection-sql.ts) picks exactly what the selection over fact
 * rows picks (select/select-facts.ts, itself held to compose by test/select/facts.test.ts): the
 * same records, splits, copies, output positions and per-pool counts at every point, for every
 * recipe of that test, on DuckDB (embedded, file-backed) and, the same SQL text, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixsmithError } from '../../src/errors.js';
import { planMixture } from '../../src/plan/plan.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { type FactRow, factRows } from '../../src/records/facts/fact-rows.js';
import { selectWithDuckDb } from '../../src/select/sql/duckdb-engine.js';
import { type SqlPointSelection, selectWithSql, sqlParams } from '../../src/select/sql/select-sql.js';
import {
  chooseStatements,
  pointCountsQuery,
  poolStatsQuery,
  prepareStatements,
  recordsQuery,
  unknownGroupsQuery,
} from '../../src/select/sql/selection-sql.js';
import { selectFromFacts } from '../../src/select/select-facts.js';
import type { PointSelection } from '../../src/select/select.js';
import { createTokenCounter } from '../../src/tokens/token-counter.js';
import { FACT_RECIPES, factsRecipe, SOURCE_RECIPES, sourcesRecipe, writeFactsCorpus } from '../helpers/facts-corpus.js';
import { PostgresCluster, postgresBinDir } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();

beforeAll(() => writeFactsCorpus(dir));

/** A point's selection record by record: the same text from either implementation. */
function fromReference(selection: PointSelection) {
  return {
    name: selection.point.name,
    rows: selection.rows,
    groups: selection.groups,
    records: selection.records.map(
      (r) =>
        `${r.split}:${r.position}:${r.group}:${r.candidate.fileIndex}:${r.candidate.line}:${r.copy}:${r.candidate.key}`,
    ),
  };
}

function fromSql(selection: SqlPointSelection) {
  return {
    name: selection.point.name,
    rows: selection.rows,
    groups: selection.groups,
    records: selection.records.map(
      (r) => `${r.split}:${r.position}:${r.group}:${r.fileIndex}:${r.line}:${r.copy}:${r.key}`,
    ),
  };
}

const factsOf = new Map<string, Promise<FactRow[]>>();

/** The recipe's plan and its fact rows (computed once per recipe text: DuckDB and PostgreSQL share them). */
async function prepared(text: string, factsText = text) {
  const { recipe } = parseRecipe(text, 'r.yaml', dir);
  const plan = planMixture(recipe);
  let facts = factsOf.get(factsText);
  if (!facts) {
    facts = (async () => {
      const loaded = parseRecipe(factsText, 'r.yaml', dir);
      const tokens = await createTokenCounter(loaded.recipe.mixture.tokenizer, dir);
      const rows: FactRow[] = [];
      for await (const row of factRows(loaded, { tokens })) rows.push(row);
      tokens.free();
      return rows;
    })();
    factsOf.set(factsText, facts);
  }
  return { recipe, plan, facts: await facts };
}

/** The reference selection, or the error it throws. */
function reference(
  facts: readonly FactRow[],
  plan: ReturnType<typeof planMixture>,
  recipe: ReturnType<typeof parseRecipe>['recipe'],
  removed?: ReadonlySet<string>,
) {
  try {
    return selectFromFacts(facts, plan, recipe, removed).map(fromReference);
  } catch (error) {
    return { error: String((error as MixsmithError).message) };
  }
}

async function orError<T>(work: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await work();
  } catch (error) {
    return { error: String((error as MixsmithError).message) };
  }
}

const boundedStrata = `  strata:
    general:
      - { name: short, max_chars: 64, share: 0.3 }
      - { name: mid, min_tokens: 17, max_tokens: 19, share: 0.2 }
      - { name: long, min_chars: 400, share: 0.2 }
    medical:
      - { name: wide, min_chars: 70, max_tokens: 19, share: 0.5 }
`;

/** Beyond the facts test's recipes: the SQL's own arithmetic (token repeats, bounded strata, redistribution over strata, explicit points). */
const SQL_RECIPES: readonly (readonly [string, string])[] = [
  [
    'repeat in tokens over strata (one of them empty), validation in tokens',
    factsRecipe({ validation: 0.05 })
      .replace('volume: 300', 'volume: "40k tokens"')
      .replace(
        'mixture:\n',
        `mixture:\n  tokenizer: chars\n  shortage: repeat\n  max_epochs: 40\n${boundedStrata}      - { name: none, min_chars: 100000, share: 0.1 }\n`,
      ),
  ],
  [
    'strata bounded by chars and tokens in both groups, cap',
    factsRecipe({ volume: 600 }).replace(
      'mixture:\n',
      `mixture:\n  shortage: cap\n  tokenizer: chars\n${boundedStrata}`,
    ),
  ],
  [
    'redistribute over strata in tokens, a token sweep',
    factsRecipe({
      validation: 0.02,
      extra: 'sweep:\n  volume: ["10k tokens", "30k tokens"]\n  shares: { medical: [0.2, 0.6] }\n',
    })
      .replace('volume: 300', 'volume: "30k tokens"')
      .replace('mixture:\n', `mixture:\n  shortage: redistribute\n  tokenizer: chars\n${boundedStrata}`),
  ],
  [
    'dedup off, repeat, explicit points',
    factsRecipe({
      extra:
        'dedup: { exact: false }\nsweep:\n  points:\n    - { name: pilot, volume: 50, shares: { medical: 1, general: 0 } }\n    - { volume: 2400 }\n',
    }).replace('mixture:\n', 'mixture:\n  shortage: repeat\n  max_epochs: 6\n'),
  ],
];

/** Every 6th row's key: as if near-duplicate removal or decontamination had dropped them. */
const removedOf = (facts: readonly FactRow[]) => new Set(facts.filter((_, i) => i % 6 === 0).map((row) => row.key));

const shortageError = factsRecipe({ volume: 5000 });
/** A weighted source with fewer records than its quota (gen.csv holds 80), under shortage: error. */
const shortSource = sourcesRecipe({
  settings: { medA: '', medB: '', genJson: 'weight: 1', genCsv: 'weight: 1' },
  volume: 500,
});
const tooManyEpochs = factsRecipe({ volume: 5000 }).replace(
  'mixture:\n',
  'mixture:\n  shortage: repeat\n  max_epochs: 2\n',
);

describe('SQL selection on DuckDB equals the selection over fact rows', () => {
  it.each([...FACT_RECIPES, ...SOURCE_RECIPES, ...SQL_RECIPES])('%s', async (_, text) => {
    const { recipe, plan, facts } = await prepared(text);
    const expected = reference(facts, plan, recipe);
    expect(expected).not.toHaveProperty('error');
    const actual = (await selectWithDuckDb(facts, plan, recipe)).map(fromSql);
    expect(actual).toEqual(expected);
    expect(actual.some((p) => p.records.length > 0)).toBe(true);
  });

  it.each([
    ['shortage error', shortageError],
    ['a source short of its quota', shortSource],
    ['repeat beyond max_epochs', tooManyEpochs],
  ])('refuses as the reference does: %s', async (_, text) => {
    const { recipe, plan, facts } = await prepared(text);
    const expected = reference(facts, plan, recipe);
    expect(expected).toHaveProperty('error');
    expect(await orError(async () => (await selectWithDuckDb(facts, plan, recipe)).map(fromSql))).toEqual(expected);
  });

  it.each([
    ['a validation split', FACT_RECIPES[0]![1]],
    ['strata and a token budget', FACT_RECIPES[6]![1]],
    ['redistribution over strata in tokens', SQL_RECIPES[2]![1]],
    ['weighted and capped sources under redistribute', SOURCE_RECIPES[1]![1]],
  ])('leaves out removed keys (post-scan filters) as the reference does: %s', async (_, text) => {
    const { recipe, plan, facts } = await prepared(text);
    const expected = reference(facts, plan, recipe, removedOf(facts));
    expect(expected).not.toEqual(reference(facts, plan, recipe));
    expect((await selectWithDuckDb(facts, plan, recipe, { removed: removedOf(facts) })).map(fromSql)).toEqual(expected);
  });

  it('refuses facts of a group the plan does not know, as the reference does', async () => {
    const { recipe, plan, facts } = await prepared(factsRecipe());
    const strays = facts.map((row, i) =>
      i === 700 || i === 900 ? { ...row, group: i === 700 ? 'stray' : 'another' } : row,
    );
    const expected = reference(strays, plan, recipe);
    expect(expected).toEqual({ error: 'no pool for group "stray"' });
    expect(await orError(() => selectWithDuckDb(strays, plan, recipe))).toEqual(expected);
  });

  it('orders only by integers and hex digests', () => {
    const { recipe } = parseRecipe(SQL_RECIPES[2]![1], 'r.yaml', dir);
    const plan = planMixture(recipe);
    const params = sqlParams(recipe);
    const quotas = plan.points.map((point) => new Map(Object.entries(point.quotas)));
    const statements = [
      ...prepareStatements(plan, params),
      unknownGroupsQuery(),
      poolStatsQuery(),
      ...chooseStatements(plan, params, quotas),
      pointCountsQuery(),
      recordsQuery(params),
    ];
    const terms = statements.flatMap((sql) =>
      [
        ...sql.replaceAll(/substr\(ranks, (1|17), 16\)/g, 'rank_digits').matchAll(/ORDER BY (.*?)(?= ROWS |\)|$)/gms),
      ].flatMap((m) => m[1]!.split(',').map((t) => t.trim().replace(/^[a-z]\./, ''))),
    );
    expect(terms.length).toBeGreaterThan(8);
    const integers = ['seq', 'first_seq', 'pool_index', 'point', 'copy_no'];
    const hex = ['rank_digits', 'priority', 'key', 'order_rank'];
    expect(terms.filter((t) => !integers.includes(t) && !hex.includes(t))).toEqual([]);
  });

  it('notices a different selection (facts ranked under another seed)', async () => {
    const text = factsRecipe();
    const { recipe, plan, facts } = await prepared(text);
    const { facts: otherFacts } = await prepared(text, text.replace('seed: 7', 'seed: 8'));
    const expected = reference(facts, plan, recipe);
    expect((await selectWithDuckDb(facts, plan, recipe)).map(fromSql)).toEqual(expected);
    expect((await selectWithDuckDb(otherFacts, plan, recipe)).map(fromSql)).not.toEqual(expected);
  });
});

const bin = postgresBinDir();
if (!bin && process.env.CI === 'true')
  throw new Error("PostgreSQL's server is missing under CI: .ci/run must install Debian's postgresql package");
if (!bin)
  console.warn(
    'skipping the PostgreSQL form of the SQL selection: no /usr/lib/postgresql/<n>/bin/initdb (Debian package postgresql)',
  );

describe.skipIf(!bin)('the same SQL text on PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await PostgresCluster.start(bin!);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('is PostgreSQL 15 or later', async () => {
    expect(Number((await cluster.version()).split('.')[0])).toBeGreaterThanOrEqual(15);
  });

  it.each([
    ...FACT_RECIPES,
    ...SOURCE_RECIPES,
    ...SQL_RECIPES,
    ['shortage error', shortageError] as const,
    ['a source short of its quota', shortSource] as const,
    ['repeat beyond max_epochs', tooManyEpochs] as const,
  ])('%s', async (_, text) => {
    const { recipe, plan, facts } = await prepared(text);
    const expected = reference(facts, plan, recipe);
    await cluster.loadFacts(facts);
    expect(await orError(async () => (await selectWithSql(cluster, plan, recipe)).map(fromSql))).toEqual(expected);
  });

  it('leaves out removed keys', async () => {
    const { recipe, plan, facts } = await prepared(SQL_RECIPES[2]![1]);
    await cluster.loadFacts(facts);
    await cluster.loadRemoved(removedOf(facts));
    expect((await selectWithSql(cluster, plan, recipe, { removedKeys: true })).map(fromSql)).toEqual(
      reference(facts, plan, recipe, removedOf(facts)),
    );
  });
});
