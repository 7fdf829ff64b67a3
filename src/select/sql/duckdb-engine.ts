/**
 * The embedded engine for the SQL selection: DuckDB (`@duckdb/node-api`), backed by a database
 * file in a folder of its own so that its sorts and windows spill to disk past memory. Fact rows
 * are streamed in through DuckDB's appender as the facts stage yields them, in scan order: the
 * loader numbers them (`seq`), so scan order never rests on a string sort. (An appender rather
 * than a file the facts stage writes: the facts exist as a stream of rows today, and the appender
 * takes them without a second format; a facts file, Parquet, is what a cluster engine would read.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BIGINT,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBValue,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import type { MixturePlan } from '../../plan/plan.js';
import type { FactRow } from '../../records/facts/fact-rows.js';
import type { FactSelectionRecipe } from '../select-facts.js';
import { type SqlEngine, type SqlPointSelection, selectWithSql } from './select-sql.js';
import { FACTS_DDL, literal, REMOVED_DDL } from './selection-sql.js';

const CHUNK_ROWS = 2048;

/** Column types `appendRows` takes (BIGINT values may come as numbers: they are converted). */
export type ColumnType = 'BIGINT' | 'INTEGER' | 'VARCHAR';
const COLUMN_TYPES = { BIGINT, INTEGER, VARCHAR } as const;

export class DuckDbEngine implements SqlEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** A DuckDB database in the file `file` (created when missing), or in memory for `:memory:`. */
  static async open(file: string): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(file);
    return new DuckDbEngine(instance, await instance.connect());
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  }

  /** A new `facts` table holding `rows`, numbered in the order they come (scan order). Returns how many. */
  async loadFacts(rows: Iterable<FactRow> | AsyncIterable<FactRow>): Promise<number> {
    await this.run('DROP TABLE IF EXISTS facts');
    await this.run(FACTS_DDL);
    const appender = await this.connection.createAppender('facts');
    // Columns of up to one vector (2048 rows) per chunk: far fewer native calls than a value at a time.
    const types = [BIGINT, VARCHAR, VARCHAR, VARCHAR, INTEGER, BIGINT, BIGINT, BIGINT, VARCHAR];
    let columns: DuckDBValue[][] = types.map(() => []);
    const flush = () => {
      if (columns[0]!.length === 0) return;
      const chunk = DuckDBDataChunk.create(types, columns[0]!.length);
      chunk.setColumns(columns);
      appender.appendDataChunk(chunk);
      columns = types.map(() => []);
    };
    let seq = 0;
    for await (const row of rows) {
      const values = [
        BigInt(seq++),
        row.key,
        row.ranks,
        row.group,
        row.fileIndex,
        BigInt(row.line),
        BigInt(row.chars),
        BigInt(row.tokens),
        row.source,
      ];
      for (let i = 0; i < values.length; i++) columns[i]!.push(values[i]!);
      if (columns[0]!.length === CHUNK_ROWS) flush();
    }
    flush();
    appender.closeSync();
    return seq;
  }

  /** A query's rows one at a time, read chunk by chunk: memory stays at a chunk, however many rows. */
  async *stream(sql: string): AsyncGenerator<Record<string, unknown>> {
    const result = await this.connection.stream(sql);
    for await (const rows of result.yieldRowObjectJs()) yield* rows as Record<string, unknown>[];
  }

  /**
   * Append `rows` to the existing table `table`, whose columns have `types` (in order); rows keep
   * the order they come in. Returns how many.
   */
  async appendRows(
    table: string,
    types: readonly ColumnType[],
    rows: Iterable<readonly (number | string)[]> | AsyncIterable<readonly (number | string)[]>,
  ): Promise<number> {
    const duckTypes = types.map((t) => COLUMN_TYPES[t]);
    const appender = await this.connection.createAppender(table);
    let columns: DuckDBValue[][] = types.map(() => []);
    const flush = () => {
      if (columns[0]!.length === 0) return;
      const chunk = DuckDBDataChunk.create(duckTypes, columns[0]!.length);
      chunk.setColumns(columns);
      appender.appendDataChunk(chunk);
      columns = types.map(() => []);
    };
    let count = 0;
    for await (const row of rows) {
      for (let i = 0; i < types.length; i++) {
        const value = row[i]!;
        columns[i]!.push(types[i] === 'BIGINT' ? BigInt(value) : value);
      }
      count++;
      if (columns[0]!.length === CHUNK_ROWS) flush();
    }
    flush();
    appender.closeSync();
    return count;
  }

  /** Write the rows of `query` to the Parquet file `file` (zstd), with `metadata` as its key-value metadata. */
  async copyToParquet(query: string, file: string, metadata: Readonly<Record<string, string>>): Promise<void> {
    const kv = Object.entries(metadata)
      .map(([key, value]) => `${key}: ${literal(value)}`)
      .join(', ');
    await this.run(
      `COPY (${query}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd${kv ? `, KV_METADATA {${kv}}` : ''})`,
    );
  }

  /** The key-value metadata of the Parquet file `file`, as text. */
  async parquetMetadata(file: string): Promise<Record<string, string>> {
    const rows = await this.query(
      `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${literal(file)})`,
    );
    return Object.fromEntries(rows.map((r) => [String(r.k), String(r.v)]));
  }

  /** A new `removed_keys` table holding `keys`. */
  async loadRemoved(keys: Iterable<string>): Promise<void> {
    await this.run('DROP TABLE IF EXISTS removed_keys');
    await this.run(REMOVED_DDL);
    const appender = await this.connection.createAppender('removed_keys');
    for (const key of keys) {
      appender.appendVarchar(key);
      appender.endRow();
    }
    appender.closeSync();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Every point's selection from `facts` by SQL on DuckDB, in a database file under `dir` (a new
 * temp folder, removed afterwards, when not given); `removed` as selectFromFacts takes it.
 */
export async function selectWithDuckDb(
  facts: Iterable<FactRow> | AsyncIterable<FactRow>,
  plan: MixturePlan,
  recipe: FactSelectionRecipe,
  options: { readonly dir?: string; readonly removed?: ReadonlySet<string> } = {},
): Promise<SqlPointSelection[]> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'mixsmith-select-'));
  const engine = await DuckDbEngine.open(path.join(dir, 'select.duckdb'));
  try {
    await engine.loadFacts(facts);
    const removedKeys = (options.removed?.size ?? 0) > 0;
    if (removedKeys) await engine.loadRemoved(options.removed!);
    return await selectWithSql(engine, plan, recipe, { removedKeys });
  } finally {
    engine.close();
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
