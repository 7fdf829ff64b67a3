/**
 * The selection run as SQL on an engine (select/sql/selection-sql.ts holds the text): the facts
 * are loaded by the engine's own means, then the statements run in order, with one step in
 * TypeScript between them — each point's quotas, which under `redistribute` depend on how much
 * each pool holds (the iteration of select.ts's own `redistribute`, over the pools' weights the
 * SQL returns), and the shortage checks that stop a selection with the same errors as selectPoint.
 * The result per point is what select/select.ts's PointSelection says of it: per pool counts, and
 * the records in output order with their split, position, group, copy, key, file and line.
 */
import { MixsmithError } from '../../errors.js';
import { groupOf, type MixturePlan, poolLabel } from '../../plan/plan.js';
import type { FactSelectionRecipe } from '../select-facts.js';
import { type GroupSelection, type PointSelection, redistribute, type SplitName } from '../select.js';
import {
  chooseStatements,
  type PointQuotas,
  pointCountsQuery,
  poolStatsQuery,
  prepareStatements,
  recordsQuery,
  type SqlSelectionParams,
  unknownGroupsQuery,
} from './selection-sql.js';

/** What the selection needs of an engine: run a statement, and read a query's rows (column → value). */
export interface SqlEngine {
  run(sql: string): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
}

export interface SqlPlacedRecord {
  readonly split: SplitName;
  /** Position in the split's output order. */
  readonly position: number;
  readonly group: string;
  readonly pool: string;
  readonly copy: number;
  readonly key: string;
  readonly fileIndex: number;
  readonly line: number;
}

/** A point's selection as `selectPoint` gives it, with records named by identity instead of candidate objects. */
export type SqlPointSelection = Omit<PointSelection, 'records'> & { readonly records: readonly SqlPlacedRecord[] };

interface PoolStats {
  readonly pool: string;
  readonly validationQuota: number;
  readonly available: number;
  readonly validationSelected: number;
  readonly validationWeight: number;
  readonly validationTokens: number;
  readonly trainingCount: number;
  readonly trainingWeight: number;
}

/** Engines return BIGINT as bigint (DuckDB), number or text (psql): all whole numbers here. */
const num = (value: unknown): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number from SQL: ${String(value)}`);
  return n;
};

export function sqlParams(recipe: FactSelectionRecipe, removedKeys = false): SqlSelectionParams {
  return {
    seed: recipe.seed,
    shortage: recipe.mixture.shortage,
    maxEpochs: recipe.mixture.max_epochs,
    dedupExact: recipe.dedup.exact,
    removedKeys,
  };
}

/** Each point's quotas: the plan's, or under `redistribute` the plan's moved to pools with room (every pool is complete: the facts hold every record). */
function quotasOf(plan: MixturePlan, recipe: FactSelectionRecipe, stats: readonly PoolStats[]): PointQuotas {
  const pools = stats.map((s) => ({ group: s.pool, complete: true, trainingWeight: s.trainingWeight }));
  return plan.points.map((point) =>
    recipe.mixture.shortage === 'redistribute'
      ? redistribute(pools, point, plan)
      : new Map(Object.entries(point.quotas)),
  );
}

/** select.ts's trainingRows refuses a repeat beyond max_epochs, pool by pool, point by point: the same check, before any row is chosen. */
function checkEpochs(
  plan: MixturePlan,
  recipe: FactSelectionRecipe,
  stats: readonly PoolStats[],
  quotas: PointQuotas,
): void {
  const { mixture } = recipe;
  if (mixture.shortage !== 'repeat') return;
  plan.points.forEach((point, index) => {
    const label = point.name ? `point ${point.name}: ` : '';
    for (const pool of stats) {
      const quota = quotas[index]!.get(pool.pool) ?? 0;
      const total = pool.trainingWeight;
      if (quota <= total || total === 0) continue;
      const epochs = Math.ceil(quota / total);
      if (epochs > mixture.max_epochs) {
        throw new MixsmithError(
          'SHORTAGE',
          `${label}${poolLabel(plan, pool.pool)} needs ${quota} training ${mixture.unit === 'tokens' ? 'tokens' : 'records'} but has ${total}: that is ${epochs} epochs, above max_epochs = ${mixture.max_epochs}`,
          {
            hint: 'raise mixture.max_epochs, lower the volume or share, or add sources',
          },
        );
      }
    }
  });
}

/**
 * Every point's selection, computed by `engine` from its `facts` table (FACTS_DDL), as
 * selectFromFacts computes it; with `removedKeys`, less the keys of its `removed_keys` table (REMOVED_DDL).
 */
export async function selectWithSql(
  engine: SqlEngine,
  plan: MixturePlan,
  recipe: FactSelectionRecipe,
  options: { readonly removedKeys?: boolean } = {},
): Promise<SqlPointSelection[]> {
  const params = sqlParams(recipe, options.removedKeys ?? false);
  for (const statement of prepareStatements(plan, params)) await engine.run(statement);
  const unknown = await engine.query(unknownGroupsQuery());
  if (unknown.length > 0) throw new Error(`no pool for group "${String(unknown[0]!.grp)}"`);
  const stats: PoolStats[] = (await engine.query(poolStatsQuery())).map((r) => ({
    pool: String(r.pool),
    validationQuota: num(r.validation_quota),
    available: num(r.available),
    validationSelected: num(r.validation_selected),
    validationWeight: num(r.validation_weight),
    validationTokens: num(r.validation_tokens),
    trainingCount: num(r.training_count),
    trainingWeight: num(r.training_weight),
  }));
  const quotas = quotasOf(plan, recipe, stats);
  checkEpochs(plan, recipe, stats, quotas);
  for (const statement of chooseStatements(plan, params, quotas)) await engine.run(statement);

  const counts = await engine.query(pointCountsQuery());
  const groupsByPoint: GroupSelection[][] = plan.points.map(() => []);
  for (const row of counts) {
    const index = num(row.point);
    const point = plan.points[index]!;
    const pool = stats.find((s) => s.pool === String(row.pool))!;
    const quota = num(row.quota);
    const trainWeight = num(row.train_weight);
    const selected = num(row.selected);
    const distinct = num(row.distinct_records);
    groupsByPoint[index]!.push({
      group: groupOf(plan, pool.pool),
      pool: pool.pool,
      share: point.poolShares[pool.pool] ?? 0,
      plannedQuota: point.quotas[pool.pool] ?? 0,
      quota,
      validationQuota: pool.validationQuota,
      available: pool.available,
      selected,
      distinct,
      epochs: distinct === 0 ? 0 : Math.ceil(selected / distinct),
      validationSelected: pool.validationSelected,
      shortfall: Math.max(0, quota - trainWeight),
      validationShortfall: Math.max(0, pool.validationQuota - pool.validationWeight),
      tokens: num(row.train_tokens),
      validationTokens: pool.validationTokens,
    });
  }
  if (recipe.mixture.shortage === 'error') {
    plan.points.forEach((point, index) => {
      const short = groupsByPoint[index]!.filter((g) => g.shortfall > 0 || g.validationShortfall > 0);
      if (short.length === 0) return;
      const label = point.name ? `point ${point.name}: ` : '';
      const text = short.map(
        (g) =>
          `${poolLabel(plan, g.pool)} needs ${g.quota} training + ${g.validationQuota} validation records but has ${g.available} distinct`,
      );
      throw new MixsmithError('SHORTAGE', `${label}not enough distinct records: ${text.join('; ')}`, {
        hint: 'lower mixture.volume or the share, add sources, or set mixture.shortage to cap, repeat or redistribute',
      });
    });
  }

  const records: SqlPlacedRecord[][] = plan.points.map(() => []);
  for (const row of await engine.query(recordsQuery(params))) {
    records[num(row.point)]!.push({
      split: String(row.split_name) as SplitName,
      position: num(row.pos),
      group: String(row.grp),
      pool: String(row.pool),
      copy: num(row.copy_no),
      key: String(row.key),
      fileIndex: num(row.file_index),
      line: num(row.line),
    });
  }
  return plan.points.map((point, index) => {
    const list = records[index]!;
    const rows = {
      train: list.filter((r) => r.split === 'train').length,
      validation: list.filter((r) => r.split === 'validation').length,
    };
    return { point, groups: groupsByPoint[index]!, records: list, rows };
  });
}
