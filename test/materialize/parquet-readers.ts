/**
 * Two independent readers for the Parquet files mixsmith writes: DuckDB (native, a different
 * implementation from ours) and hyparquet (the library mixsmith reads Parquet with).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

export interface DuckRead {
  readonly columns: { readonly name: string; readonly type: string }[];
  readonly rows: Record<string, unknown>[];
  readonly rowGroups: number;
  readonly createdBy: string;
  readonly kv: Record<string, string>;
  readonly codecs: string[];
}

const quote = (file: string) => `'${file.replaceAll("'", "''")}'`;

/** Rows as JSON values (JSON columns come back as JSON text), plus the footer as DuckDB sees it. */
export async function readWithDuckDb(file: string): Promise<DuckRead> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const describe = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quote(file)})`);
    const columns = describe
      .getRowObjectsJson()
      .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const rows = (
      await connection.runAndReadAll(`SELECT * FROM read_parquet(${quote(file)})`)
    ).getRowObjectsJson() as Record<string, unknown>[];
    const meta = (
      await connection.runAndReadAll(`SELECT DISTINCT row_group_id, compression FROM parquet_metadata(${quote(file)})`)
    ).getRowObjectsJson();
    const fileMeta = (
      await connection.runAndReadAll(`SELECT created_by FROM parquet_file_metadata(${quote(file)})`)
    ).getRowObjectsJson();
    const kvRows = (
      await connection.runAndReadAll(
        `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${quote(file)})`,
      )
    ).getRowObjectsJson();
    return {
      columns,
      rows,
      rowGroups: new Set(meta.map((m) => m.row_group_id)).size,
      createdBy: String(fileMeta[0]?.created_by),
      kv: Object.fromEntries(kvRows.map((r) => [String(r.key), String(r.value)])),
      codecs: [...new Set(meta.map((m) => String(m.compression)))],
    };
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** Rows through hyparquet, one row group at a time; JSON columns come back parsed. */
export async function readWithHyparquet(file: string): Promise<{ rows: Record<string, unknown>[]; rowGroups: number }> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const rows: Record<string, unknown>[] = [];
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    rows.push(
      ...((await parquetReadObjects({ file: buffer, metadata, compressors, rowStart: start, rowEnd: end })) as Record<
        string,
        unknown
      >[]),
    );
    start = end;
  }
  return { rows, rowGroups: metadata.row_groups.length };
}
