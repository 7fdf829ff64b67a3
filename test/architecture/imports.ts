/**
 * The import graph of src/ by folder: each file's top folder (a file directly in src/ is its own
 * node) and the relative imports between them. Shared by the layering test and the docs test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const SRC = path.resolve(import.meta.dirname, '../../src');

export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** `records` for src/records/read/x.ts; `errors` for src/errors.ts. */
export function nodeOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? parts[0]!.replace(/\.(ts|mjs|js)$/, '') : parts[0]!;
}

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  /** `src/…` path of the importing file and the specifier it wrote. */
  readonly file: string;
  readonly specifier: string;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\1/g;

export function importEdges(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles()) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), match[2]!);
      if (path.relative(SRC, target).startsWith('..')) continue;
      const from = nodeOf(file);
      const to = nodeOf(target);
      if (from !== to) edges.push({ from, to, file: `src/${path.relative(SRC, file)}`, specifier: match[2]! });
    }
  }
  return edges;
}

/** Lowest first. Folders in one layer must not import each other. */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'sample', 'package-info', 'json'],
  ['wasm', 'text', 'workers'],
  ['keys', 'near-dup', 'decontam'],
  ['recipe'],
  ['plan'],
  ['io'],
  ['tokens'],
  ['records'],
  ['select'],
  ['materialize'],
  ['manifest'],
  ['compose', 'inspect'],
  ['executors'],
  ['stages'],
  ['audit'],
  ['diff'],
  ['results'],
  ['report'],
  ['cli', 'index'],
];
