/**
 * The selection rule (DESIGN §3, docs/determinism.md) as SQL text over a table of fact rows
 * (records/facts/fact-rows.ts), with every parameter taken from the plan's JSON and the recipe's
 * seed and shortage policy. Nothing here talks to an engine: select/sql/select-sql.ts runs the
 * statements in order on any engine that has window functions and md5 (DuckDB embedded,
 * PostgreSQL in the tests), docs/scale-out.md says what the stage is.
 *
 * Engine-neutral by construction: no string is ever ordered except hex digests of one length
 * (ranks, content keys, md5 order ranks: ASCII, the same order in every engine and collation that
 * compares bytes); scan order is the integer `seq` mixsmith gives each fact row, never a path or
 * name (engines order strings by UTF-8 bytes, mixsmith by UTF-16 code units); integer arithmetic
 * only (`%`, never `/`); plain CREATE TABLE AS, VALUES, CASE, window SUM / ROW_NUMBER, md5.
 */
import type { MixturePlan } from '../../plan/plan.js';
import type { MixtureSpec, StratumSpec } from '../../recipe/types.js';

/**
 * The facts table the statements read: one row per valid record, `seq` its place in scan order,
 * `source` the name of its source (the pool of a record in a group split by source).
 */
export const FACT_COLUMNS = ['seq', 'key', 'ranks', 'grp', 'file_index', 'line', 'chars', 'tokens', 'source'] as const;

export const FACTS_DDL = `CREATE TABLE facts (
  seq BIGINT NOT NULL,
  key VARCHAR NOT NULL,
  ranks VARCHAR NOT NULL,
  grp VARCHAR NOT NULL,
  file_index INTEGER NOT NULL,
  line BIGINT NOT NULL,
  chars BIGINT NOT NULL,
  tokens BIGINT NOT NULL,
  source VARCHAR NOT NULL
)`;

/** Content keys a post-scan filter removed (near duplicates, contaminated): select-facts' `removed`. */
export const REMOVED_DDL = 'CREATE TABLE removed_keys (key VARCHAR NOT NULL)';

/** What the statements need besides the plan (the same as select/select-facts.ts takes). */
export interface SqlSelectionParams {
  readonly seed: number;
  readonly shortage: MixtureSpec['shortage'];
  readonly maxEpochs: number;
  readonly dedupExact: boolean;
  /** Read a `removed_keys` table (REMOVED_DDL): its keys are neither drawn nor counted as available. */
  readonly removedKeys: boolean;
}

/** An SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** An SQL integer literal; the plan's quotas and bounds are whole numbers. */
export function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not a whole number for SQL: ${value}`);
  return String(value);
}

/** A number literal for a stratum bound (whole in practice; a fraction would compare as such). */
function bound(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite bound for SQL: ${value}`);
  return String(value);
}

const TABLES = ['mx_pools', 'mx_owned', 'mx_candidates', 'mx_training', 'mx_quotas', 'mx_chosen'] as const;

/** Drop what an earlier run left (the facts table stays). */
export function dropStatements(): string[] {
  return [...TABLES].reverse().map((table) => `DROP TABLE IF EXISTS ${table}`);
}

/** One stratum's test as SQL, as plan.poolOf reads it: chars in range, and tokens when the stratum bounds them. */
function stratumTest(stratum: StratumSpec): string {
  const tests: string[] = [];
  if (stratum.min_chars !== undefined) tests.push(`chars >= ${bound(stratum.min_chars)}`);
  if (stratum.max_chars !== undefined) tests.push(`chars <= ${bound(stratum.max_chars)}`);
  if (stratum.min_tokens !== undefined) tests.push(`tokens >= ${bound(stratum.min_tokens)}`);
  if (stratum.max_tokens !== undefined) tests.push(`tokens <= ${bound(stratum.max_tokens)}`);
  return tests.length === 0 ? '1 = 1' : tests.join(' AND ');
}

/**
 * plan.poolOf as a CASE: in a group split by source, its source's pool; else the first stratum of
 * the record's group it fits, else the group's own pool.
 */
export function poolExpression(plan: MixturePlan): string {
  const arms = plan.groups.flatMap((group) => [
    ...(plan.sources[group] ?? []).map(
      (p) => `WHEN grp = ${literal(group)} AND source = ${literal(p.source)} THEN ${literal(p.pool)}`,
    ),
    ...(plan.strata[group] ?? []).map(
      (s) => `WHEN grp = ${literal(group)} AND ${stratumTest(s)} THEN ${literal(`${group}/${s.name}`)}`,
    ),
  ]);
  return arms.length === 0 ? 'grp' : `CASE ${arms.join(' ')} ELSE grp END`;
}

/** What a record weighs against a quota counted in `unit`. */
const weightOf = (unit: MixturePlan['unit'], column = 'tokens') => (unit === 'tokens' ? column : '1');

/** A running sum over a pool in the given (hex) order: the weight of the prefix ending at this row. */
const runningSum = (weight: string, order: string) =>
  `CAST(sum(${weight}) OVER (PARTITION BY pool ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT)`;

/** A table from VALUES rows (each a list of SQL literals). */
function valuesTable(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  select: string,
): string {
  return `CREATE TABLE ${table} AS SELECT ${select} FROM (VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}) AS v(${columns.join(', ')})`;
}

/**
 * The statements that hold for every sweep point, in order: the pools, ownership (first copy in
 * scan order owns a key) and the pool of each owned record, less removed keys (ownership is
 * decided before removal, as the scan decides it), the validation draw (each pool's
 * lowest split ranks covering its validation quota), and each pool's training order (lowest
 * priorities among the rest) with its running weight.
 */
export function prepareStatements(plan: MixturePlan, params: SqlSelectionParams): string[] {
  const pools = plan.pools.map((pool, index) => [
    literal(pool),
    integer(index),
    literal(plan.poolGroup[pool] ?? pool),
    integer(plan.validationQuotas[pool] ?? 0),
  ]);
  const owned = params.dedupExact
    ? '(SELECT f.*, row_number() OVER (PARTITION BY key ORDER BY seq) AS copy_rank FROM facts f) AS ranked WHERE copy_rank = 1'
    : 'facts';
  return [
    ...dropStatements(),
    valuesTable(
      'mx_pools',
      ['pool', 'pool_index', 'grp', 'validation_quota'],
      pools,
      'pool, pool_index, grp, CAST(validation_quota AS BIGINT) AS validation_quota',
    ),
    `CREATE TABLE mx_owned AS SELECT seq, key, ranks, grp, file_index, line, chars, tokens, ${poolExpression(plan)} AS pool FROM ${owned}`,
    `CREATE TABLE mx_candidates AS
SELECT s.*, CASE WHEN s.v_cum - s.v_weight < p.validation_quota THEN 1 ELSE 0 END AS is_validation
FROM (
  SELECT o.*, substr(ranks, 1, 16) AS priority, substr(ranks, 17, 16) AS split_rank, ${weightOf(plan.validationUnit)} AS v_weight,
    ${runningSum(weightOf(plan.validationUnit), 'substr(ranks, 17, 16), key')} AS v_cum
  FROM mx_owned o${params.removedKeys ? ' WHERE NOT EXISTS (SELECT 1 FROM removed_keys r WHERE r.key = o.key)' : ''}
) AS s JOIN mx_pools p ON p.pool = s.pool`,
    `CREATE TABLE mx_training AS
SELECT pool, grp, key, file_index, line, tokens, w, ${runningSum('w', 'priority, key')} AS cum
FROM (SELECT c.*, ${weightOf(plan.unit)} AS w FROM mx_candidates c WHERE is_validation = 0) AS t`,
  ];
}

/** Groups of the facts the plan has no pool for, first seen first (the selection must refuse them, as select-facts does). */
export function unknownGroupsQuery(): string {
  return 'SELECT f.grp AS grp, min(f.seq) AS first_seq FROM facts f WHERE NOT EXISTS (SELECT 1 FROM mx_pools p WHERE p.grp = f.grp) GROUP BY f.grp ORDER BY first_seq';
}

/** Per pool, in plan order: records owned, the validation drawn (records, weight, tokens), and the training left (records, weight). */
export function poolStatsQuery(): string {
  return `SELECT p.pool AS pool, p.validation_quota AS validation_quota,
  coalesce(a.available, 0) AS available, coalesce(a.validation_selected, 0) AS validation_selected,
  coalesce(a.validation_weight, 0) AS validation_weight, coalesce(a.validation_tokens, 0) AS validation_tokens,
  coalesce(t.training_count, 0) AS training_count, coalesce(t.training_weight, 0) AS training_weight
FROM mx_pools p
LEFT JOIN (
  SELECT pool, CAST(count(*) AS BIGINT) AS available, CAST(sum(is_validation) AS BIGINT) AS validation_selected,
    CAST(sum(CASE WHEN is_validation = 1 THEN v_weight ELSE 0 END) AS BIGINT) AS validation_weight,
    CAST(sum(CASE WHEN is_validation = 1 THEN tokens ELSE 0 END) AS BIGINT) AS validation_tokens
  FROM mx_candidates GROUP BY pool
) AS a ON a.pool = p.pool
LEFT JOIN (SELECT pool, CAST(count(*) AS BIGINT) AS training_count, CAST(sum(w) AS BIGINT) AS training_weight FROM mx_training GROUP BY pool) AS t ON t.pool = p.pool
ORDER BY p.pool_index`;
}

/** Point index → pool → training quota (after redistribution when the policy redistributes). */
export type PointQuotas = readonly ReadonlyMap<string, number>[];

/**
 * The chosen rows of every point: training rows are the priority prefix covering the quota
 * (`cum - w < quota`: the rows before this one weigh less than the quota); under `repeat` with a
 * quota above the pool's whole weight T, every row ⌊quota/T⌋ times (copies 0…) plus the prefix
 * covering quota mod T once more. Validation rows are the same at every point.
 */
export function chooseStatements(plan: MixturePlan, params: SqlSelectionParams, quotas: PointQuotas): string[] {
  const rows = quotas.flatMap((byPool, point) =>
    plan.pools.map((pool) => [integer(point), literal(pool), integer(byPool.get(pool) ?? 0)]),
  );
  const repeat = params.shortage === 'repeat';
  // Copies a repeat may need: ⌈quota/T⌉ ≤ max_epochs is checked before this runs, so copy < max_epochs.
  const copies = Array.from({ length: repeat ? Math.max(1, params.maxEpochs) : 1 }, (_, copy) => [integer(copy)]);
  const prefix = 't.cum - t.w < z.quota';
  const training = repeat
    ? `((z.quota <= z.total OR z.total = 0) AND c.copy_no = 0 AND ${prefix})
    OR (z.quota > z.total AND z.total > 0 AND (c.copy_no * z.total < z.quota - z.quota % z.total
      OR (c.copy_no * z.total = z.quota - z.quota % z.total AND t.cum - t.w < z.quota % z.total)))`
    : `c.copy_no = 0 AND ${prefix}`;
  return [
    valuesTable('mx_quotas', ['point', 'pool', 'quota'], rows, 'point, pool, CAST(quota AS BIGINT) AS quota'),
    `CREATE TABLE mx_chosen AS
WITH copies AS (SELECT copy_no FROM (VALUES ${copies.map((c) => `(${c[0]})`).join(', ')}) AS v(copy_no)),
sized AS (
  SELECT q.point, q.pool, q.quota, coalesce(s.total, 0) AS total
  FROM mx_quotas q LEFT JOIN (SELECT pool, CAST(sum(w) AS BIGINT) AS total FROM mx_training GROUP BY pool) AS s ON s.pool = q.pool
)
SELECT z.point AS point, 'train' AS split_name, t.pool AS pool, t.grp AS grp, t.key AS key, t.file_index AS file_index, t.line AS line, t.tokens AS tokens, t.w AS w, c.copy_no AS copy_no
FROM sized z JOIN mx_training t ON t.pool = z.pool CROSS JOIN copies c
WHERE ${training}
UNION ALL
SELECT q.point, 'validation', v.pool, v.grp, v.key, v.file_index, v.line, v.tokens, v.v_weight, 0
FROM (SELECT DISTINCT point FROM mx_quotas) AS q CROSS JOIN mx_candidates v
WHERE v.is_validation = 1`,
  ];
}

/** Per point and pool (plan order): training rows, distinct records among them, their weight and tokens. */
export function pointCountsQuery(): string {
  return `SELECT q.point AS point, q.pool AS pool, q.quota AS quota,
  coalesce(c.selected, 0) AS selected, coalesce(c.distinct_records, 0) AS distinct_records,
  coalesce(c.train_weight, 0) AS train_weight, coalesce(c.train_tokens, 0) AS train_tokens
FROM mx_quotas q JOIN mx_pools p ON p.pool = q.pool
LEFT JOIN (
  SELECT point, pool, CAST(count(*) AS BIGINT) AS selected, CAST(count(DISTINCT key) AS BIGINT) AS distinct_records,
    CAST(sum(w) AS BIGINT) AS train_weight, CAST(sum(tokens) AS BIGINT) AS train_tokens
  FROM mx_chosen WHERE split_name = 'train' GROUP BY point, pool
) AS c ON c.point = q.point AND c.pool = q.pool
ORDER BY q.point, p.pool_index`;
}

/**
 * Every point's rows in output order: a global keyed shuffle, md5(seed:order:key:copy), ranked per
 * split for the position. (key, copy) is unique within a point, so the hex order is total.
 */
export function recordsQuery(params: SqlSelectionParams): string {
  const orderRank = `md5(${literal(`${params.seed}:order:`)} || key || ':' || CAST(copy_no AS VARCHAR))`;
  return `SELECT point, split_name, pos, grp, pool, copy_no, key, file_index, line FROM (
  SELECT y.*, row_number() OVER (PARTITION BY point, split_name ORDER BY order_rank, key, copy_no) - 1 AS pos
  FROM (SELECT x.*, ${orderRank} AS order_rank FROM mx_chosen x) AS y
) AS r
ORDER BY point, order_rank, key, copy_no`;
}
