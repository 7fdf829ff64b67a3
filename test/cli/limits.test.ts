/**
 * Values far past anything real (issue #24) are refused with a code and a place, not run:
 * infinite or overflowing volumes, absurd MinHash sizes, --set indexes that pad a list with
 * millions of entries, and a worker count that would allocate gigabytes. Recipe-file positions of
 * the same limits are checked by the fixtures in fixtures/invalid-recipes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, workerCountOption } from '../../src/records/facts/scan-workers.js';
import { MixsmithError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

const quickstart = path.resolve(import.meta.dirname, '../../recipes/quickstart.yaml');

interface JsonError {
  error: { code: string; exitCode: number; diagnostics: { code: string; where?: { file: string; line?: number } }[] };
}

async function failure(argv: string[]) {
  const result = await runCli([...argv, '--json']);
  const json = JSON.parse(result.stdout) as JsonError;
  return { code: result.code, error: json.error, first: json.error.diagnostics[0]!, stderr: result.stderr };
}

describe('limits on recipe values', () => {
  for (const volume of ['.inf', '1e308', '"99999999B"', '"2000000000000000 tokens"']) {
    it(`mixture.volume=${volume} is RECIPE_SCHEMA at the --set, exit 3`, async () => {
      const { code, first } = await failure(['validate', quickstart, '--set', `mixture.volume=${volume}`]);
      expect(code).toBe(3);
      expect(first.code).toBe('RECIPE_SCHEMA');
      expect(first.where?.file).toBe(`--set mixture.volume=${volume}`);
    });
  }

  it('a volume of exactly 10^15 is allowed', async () => {
    const result = await runCli(['validate', quickstart, '--set', 'mixture.volume=1000000000000000']);
    expect(result.code).toBe(0);
  });

  it('a validation count past 10^15 is RECIPE_SCHEMA, exit 3', async () => {
    const { code, first } = await failure(['validate', quickstart, '--set', 'split.validation=1e300']);
    expect(code).toBe(3);
    expect(first).toMatchObject({ code: 'RECIPE_SCHEMA', where: { file: '--set split.validation=1e300' } });
  });

  it('dedup.near bands × rows past 1024 is RECIPE_SCHEMA, exit 3; 32 × 32 is allowed', async () => {
    const product = await failure(['validate', quickstart, '--set', 'dedup.near={bands: 64, rows: 32}']);
    expect(product.code).toBe(3);
    expect(product.first).toMatchObject({
      code: 'RECIPE_SCHEMA',
      where: { file: '--set dedup.near={bands: 64, rows: 32}' },
    });
    const bands = await failure(['validate', quickstart, '--set', 'dedup.near.bands=1000000']);
    expect(bands.code).toBe(3);
    expect(bands.first).toMatchObject({ code: 'RECIPE_SCHEMA', where: { file: '--set dedup.near.bands=1000000' } });
    expect((await runCli(['validate', quickstart, '--set', 'dedup.near={bands: 32, rows: 32}'])).code).toBe(0);
  });
});

describe('--set list indexes', () => {
  it('an index far past the end of the list is USAGE, exit 2, at once', async () => {
    const started = Date.now();
    const { code, first } = await failure(['validate', quickstart, '--set', 'sources.99999999.name=x']);
    expect(code).toBe(2);
    expect(first).toMatchObject({ code: 'USAGE', where: { file: '--set sources.99999999.name=x' } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an index into a list that does not exist yet may only be 0', async () => {
    const { code, first } = await failure(['validate', quickstart, '--set', 'sweep.points.1.name=x']);
    expect(code).toBe(2);
    expect(first.code).toBe('USAGE');
    expect((await runCli(['validate', quickstart, '--set', 'sweep.points.0.name=x'])).code).toBe(0);
  });

  it('the index one past the end appends an entry (then checked like any source)', async () => {
    const { code, first } = await failure(['validate', quickstart, '--set', 'sources.2.name=x']);
    expect(code).toBe(3);
    expect(first.code).toBe('RECIPE_SCHEMA');
  });
});

describe('--workers', () => {
  it(`accepts 0 to ${MAX_WORKERS} and refuses more with USAGE`, () => {
    expect(workerCountOption(0)).toBe(0);
    expect(workerCountOption(MAX_WORKERS)).toBe(MAX_WORKERS);
    const error = (() => {
      try {
        workerCountOption(100000);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('USAGE');
    expect((error as MixsmithError).where).toEqual({ file: '--workers 100000' });
  });

  it('plan --workers 100000 is USAGE, exit 2, before any worker starts', async () => {
    const { code, first } = await failure(['plan', quickstart, '--workers', '100000']);
    expect(code).toBe(2);
    expect(first).toMatchObject({ code: 'USAGE', where: { file: '--workers 100000' } });
  });
});
