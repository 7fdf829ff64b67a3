/**
 * Files under a folder, recursively, as POSIX paths relative to it, sorted by code unit (no locale).
 * Dot-files and dot-folders are left out: compose stages its output in a dot-folder, and `.part`
 * shards are unfinished by definition.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isDataFileName, withoutDataExtension } from '../records/read/input-formats.js';

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

/**
 * `train-00001-of-00004.jsonl` → its split, index and shard count; in a save_to_disk folder,
 * `train/data-00001-of-00004.arrow` → split `train` (the folder).
 */
export function parseShardName(file: string): { split: string; index: number; count: number } | undefined {
  const name = path.posix.basename(file);
  const match = /^(.+)-(\d{5})-of-(\d{5})$/.exec(withoutDataExtension(name));
  if (!match || !isDataFileName(name)) return undefined;
  const folder = path.posix.basename(path.posix.dirname(file));
  const split = match[1] === 'data' && name.endsWith('.arrow') && folder !== '.' ? folder : match[1]!;
  return { split, index: Number(match[2]), count: Number(match[3]) };
}
