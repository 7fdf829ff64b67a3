/**
 * Load an output folder's `manifest.json` and check it has the parts an audit relies on. A
 * manifest that is missing, not JSON or lacks its file list makes the folder "incomplete": compose
 * writes the manifest last, so its absence usually means a run that did not finish.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../manifest/manifest.js';

export const MANIFEST_FILE = 'manifest.json';

export type ManifestLoad =
  | { readonly status: 'ok'; readonly manifest: Manifest }
  | { readonly status: 'missing' }
  | { readonly status: 'invalid'; readonly problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with a parsed manifest, or undefined when the audit can use it. */
export function manifestProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  if (!Array.isArray(value.files)) return 'it has no "files" list';
  for (const [i, file] of value.files.entries()) {
    if (!isObject(file)) return `files[${i}] is not an object`;
    for (const key of ['path', 'split', 'sha256'] as const)
      if (typeof file[key] !== 'string') return `files[${i}].${key} is not a string`;
    for (const key of ['rows', 'bytes'] as const)
      if (typeof file[key] !== 'number') return `files[${i}].${key} is not a number`;
  }
  if (!isObject(value.groups)) return 'it has no "groups" object';
  if (!isObject(value.sources)) return 'it has no "sources" object';
  if (!isObject(value.splits)) return 'it has no "splits" object';
  return undefined;
}

export async function loadManifest(dir: string): Promise<ManifestLoad> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return {
      status: 'invalid',
      problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      status: 'invalid',
      problem: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const problem = manifestProblem(value);
  return problem === undefined ? { status: 'ok', manifest: value as Manifest } : { status: 'invalid', problem };
}
