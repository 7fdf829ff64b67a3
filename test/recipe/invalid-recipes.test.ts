/**
 * Every file in fixtures/invalid-recipes states its expected code, position and a phrase of the
 * message on its first line (`# expect: CODE line:col phrase`); one loop checks them all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';

const dir = path.resolve(import.meta.dirname, '../../fixtures/invalid-recipes');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('invalid recipes', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(8));

  for (const name of cases) {
    const file = path.join(dir, name);
    const header = readFileSync(file, 'utf8').split('\n')[0]!;
    const match = /^# expect: (\S+) (\d+):(\d*) ?(.*)$/.exec(header);
    it(`${name}: ${header.slice(10)}`, async () => {
      expect(match, 'first line must be # expect: CODE line:col phrase').not.toBeNull();
      const [, code, line, col, phrase] = match!;
      const error = await loadRecipe(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MixsmithError);
      const first = (error as MixsmithError).diagnostics[0]!;
      expect(first.code).toBe(code);
      expect(first.where?.file).toBe(file);
      expect(first.where?.line).toBe(Number(line));
      if (col) expect(first.where?.col).toBe(Number(col));
      if (phrase) expect(first.message).toContain(phrase);
    });
  }

  it('reports every problem at once, each at its place, exit 3', async () => {
    const file = path.join(dir, 'typo-key.yaml');
    const result = await runCli(['validate', file, '--set', 'mixture.volume=-1']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}:9:5: error[RECIPE_UNKNOWN_KEY]`);
    expect(result.stderr).toContain('--set mixture.volume=-1: error[RECIPE_SCHEMA]');
    expect(result.stderr).toContain('    ^');
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('a YAML alias bomb (nested aliases) is RECIPE_PARSE at the recipe, exit 3, not a crash', async () => {
    const file = path.join(dir, 'alias-bomb.yaml');
    const result = await runCli(['validate', file, '--json']);
    expect(result.code).toBe(3);
    const json = JSON.parse(result.stdout) as {
      error: { code: string; diagnostics: { where: { file: string; line: number } }[] };
    };
    expect(json.error.code).toBe('RECIPE_PARSE');
    expect(json.error.diagnostics[0]!.where).toMatchObject({ file, line: 6 });
    expect(result.stderr).not.toContain('INTERNAL');
  });
});
