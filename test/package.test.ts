/** Package invariants: the public API, pinned dependencies, the bin, the files a user gets. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8'));

describe('package', () => {
  it('exports the curated API', () => {
    for (const name of [
      'loadRecipe',
      'parseRecipe',
      'planMixture',
      'planReport',
      'compose',
      'inspectSources',
      'audit',
      'diffMixtures',
      'readResults',
      'joinResults',
      'createTokenCounter',
      'MixsmithError',
      'ERROR_CODES',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });

  it('pins every runtime dependency exactly (they can change output bytes)', () => {
    for (const [name, version] of Object.entries(pkg.dependencies as Record<string, string>))
      expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
  });

  it('runs on Node 20.19+ with vitest 4.1', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.devDependencies.vitest).toMatch(/^4\.1\./);
    expect(pkg.bin.mixsmith).toBe('dist/cli/bin.js');
  });

  it('ships the files the bundled quickstart reads (it shipped recipes/quickstart.yaml without its fixtures)', () => {
    const root = path.resolve(import.meta.dirname, '..');
    // npm's own list of what `npm publish` would upload; dist/ only exists after a build.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { files: { path: string }[] }[];
    const files = new Set(packed[0]!.files.map((f) => f.path));
    expect(files.has('recipes/quickstart.yaml')).toBe(true);
    const sources = [
      ...readFileSync(path.join(root, 'recipes', 'quickstart.yaml'), 'utf8').matchAll(/^\s+path: (\S+)/gm),
    ].map((m) => path.posix.normalize(`recipes/${m[1]}`));
    expect(sources).toEqual(['fixtures/quickstart/medical.jsonl', 'fixtures/quickstart/general.json']);
    for (const source of sources) expect(files.has(source), source).toBe(true);
  });
});
