/**
 * Finding and reading a composed output: every *.jsonl[.gz|.zst] or *.parquet file under a
 * folder, sorted by path, except dot-folders, manifests, provenance sidecars and the
 * removed.jsonl evidence file. Parquet is read through DuckDB
 * (@duckdb/node-api, a dev dependency of the project).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const OUTPUT_FILE = /\.(jsonl(\.gz|\.zst)?|parquet)$/;

export function listOutputFiles(dir) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (
        OUTPUT_FILE.test(entry.name) &&
        !/manifest|removed|provenance/i.test(entry.name) &&
        !/provenance/.test(folder)
      )
        found.push(file);
    }
  };
  walk(dir);
  return found.sort();
}

/** sha256 over the output files' bytes in path order: equal digests, identical outputs. */
export function outputDigest(dir) {
  const hash = createHash('sha256');
  for (const file of listOutputFiles(dir)) {
    hash.update(path.relative(dir, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

async function parquetRows(file, repoDir) {
  const require = createRequire(path.join(repoDir, 'noop.js'));
  const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'));
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await connection.runAndReadAll(
    `SELECT to_json(t)::VARCHAR FROM read_parquet('${file.replaceAll("'", "''")}') t`,
  );
  return reader.getRows().map(([json]) => unwrapPassthrough(JSON.parse(json)));
}

/** Passthrough Parquet keeps each original record in one JSON column, `record`. */
function unwrapPassthrough(row) {
  if (row.id !== undefined || row.record === undefined) return row;
  return typeof row.record === 'string' ? JSON.parse(row.record) : row.record;
}

function jsonlRows(file) {
  let bytes = readFileSync(file);
  if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  else if (file.endsWith('.zst')) bytes = execFileSync('zstd', ['-dc', file], { maxBuffer: 2 ** 33 });
  return bytes
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

/** The record shards: the JSONL files, or the Parquet files when there is no JSONL. */
export function shardFiles(dir) {
  const files = listOutputFiles(dir);
  const jsonl = files.filter((f) => !f.endsWith('.parquet'));
  return jsonl.length > 0 ? jsonl : files;
}

/** Every record of the output, in file order. */
export async function readOutputRecords(dir, repoDir) {
  const chosen = shardFiles(dir);
  const records = [];
  for (const file of chosen) {
    const rows = file.endsWith('.parquet') ? await parquetRows(file, repoDir) : jsonlRows(file);
    for (const row of rows) records.push(row);
  }
  return { files: chosen, records };
}

/** The manifest's own per-phase wall times (`run.durationMs`), in seconds, when it has them. */
export function manifestPhases(dir) {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const ms = manifest.run?.durationMs;
    return ms ? Object.fromEntries(Object.entries(ms).map(([phase, t]) => [phase, t / 1000])) : null;
  } catch {
    return null;
  }
}
