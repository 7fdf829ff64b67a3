import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('mixsmith init', () => {
  const dir = tempDir();

  it('writes a starter recipe that validates, and never overwrites without --force', async () => {
    const file = path.join(dir, 'recipe.yaml');
    expect((await runCli(['init', file])).code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const loaded = await loadRecipe(file);
    expect(loaded.recipe.mixture.shares).toEqual({ domain: 0.3, general: 0.7 });
    writeFileSync(file, 'mine');
    const again = await runCli(['init', file]);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('error[OUTPUT_EXISTS]');
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect((await runCli(['init', file, '--force'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('name: my-mixture');
  });
});
