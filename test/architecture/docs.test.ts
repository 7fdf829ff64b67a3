/**
 * docs/architecture.md stays true: every module it names (`folder/file.ts`) exists under src/,
 * and every folder of src/ (and every file directly in it) has its row in the module table.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS, SRC } from './imports.js';

const doc = readFileSync(path.resolve(SRC, '../docs/architecture.md'), 'utf8');
const named = [...doc.matchAll(/`((?:[a-z-]+\/)+[a-z0-9.-]+\.(?:ts|mjs))`/g)]
  .map((m) => m[1]!)
  .filter((module) => !module.startsWith('test/'));

describe('docs/architecture.md', () => {
  it('names only modules that exist', () => {
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((module) => !existsSync(path.join(SRC, module)))).toEqual([]);
  });

  it('has a row for every folder and top-level file of src/, and the layers of the test', () => {
    const rows = new Set([...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!.replace(/\/$/, '')));
    const entries = readdirSync(SRC, { withFileTypes: true }).map((e) => e.name);
    const missing = entries.filter(
      (name) => !rows.has(name) && !(name === 'records' && [...rows].some((r) => r.startsWith('records/'))),
    );
    expect(missing).toEqual([]);
    for (const folder of LAYERS.flat()) expect(doc, folder).toContain(folder);
  });
});
