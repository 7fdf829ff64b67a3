/**
 * Files under a folder, recursively, as POSIX paths relative to it, sorted by code unit (no locale).
 * Dot-files and dot-folders are left out: compose stages its output in a dot-folder, and `.part`
 * shards are unfinished by definition.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  await walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `train-00001-of-00004.jsonl` → its split, index and shard count. */
export function parseShardName(file: string): { split: string; index: number; count: number } | undefined {
  const match = /^(.+)-(\d{5})-of-(\d{5})\.(?:jsonl|ndjson|json|parquet|csv|tsv)(?:\.gz|\.zst)?$/.exec(path.posix.basename(file));
  if (!match) return undefined;
  return { split: match[1]!, index: Number(match[2]), count: Number(match[3]) };
}

const DATA_FILE = /\.(?:jsonl|ndjson|json|parquet|csv|tsv|txt)(?:\.gz|\.zst)?$/i;

/** Whether a file found while walking a folder may hold records (by its name). */
export function looksLikeData(file: string): boolean {
  return DATA_FILE.test(file);
}
