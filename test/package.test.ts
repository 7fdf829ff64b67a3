/** Package invariants: the public API, pinned dependencies, the bin, the files a user gets. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8'));

describe('package', () => {
  it('exports the curated API', () => {
    for (const name of ['loadRecipe', 'parseRecipe', 'planMixture', 'planReport', 'compose', 'inspectSources', 'audit', 'diffMixtures', 'readResults', 'joinResults', 'createTokenCounter', 'MixsmithError', 'ERROR_CODES']) {
      expect(typeof (api as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });

  it('pins every runtime dependency exactly (they can change output bytes)', () => {
    for (const [name, version] of Object.entries(pkg.dependencies as Record<string, string>)) expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
  });

  it('runs on Node 20.19+ with vitest 4.1', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.devDependencies.vitest).toMatch(/^4\.1\./);
    expect(pkg.bin.mixsmith).toBe('dist/cli/bin.js');
  });
});
