/**
 * The built package as a user gets it: the `mixsmith` binary in a real process, and the README's
 * library loop (examples/volume-loop.mjs) importing 'mixsmith' by name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const root = path.resolve(import.meta.dirname, '../..');
const out = tempDir();

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
}, 120_000);

describe('built package', () => {
  it('the binary composes the quickstart and exits 0', () => {
    const run = spawnSync(
      'node',
      ['dist/cli/bin.js', 'compose', 'recipes/quickstart.yaml', '--out', path.join(out, 'bin')],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('composed "quickstart"');
    expect(run.stdout).toBe('');
    expect(readdirSync(path.join(out, 'bin'))).toContain('manifest.json');
  });

  it('the binary runs its scan workers from dist/ and writes what it writes without them', () => {
    const outputs = ['0', '2'].map((workers) => {
      const dir = path.join(out, `workers-${workers}`);
      const run = spawnSync(
        'node',
        ['dist/cli/bin.js', 'compose', 'recipes/quickstart.yaml', '--out', dir, '--workers', workers, '--quiet'],
        { cwd: root, encoding: 'utf8' },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      return readdirSync(dir)
        .filter((name) => name.endsWith('.jsonl'))
        .sort()
        .map((name) => readFileSync(path.join(dir, name), 'utf8'));
    });
    expect(outputs[0]!.length).toBeGreaterThan(0);
    expect(outputs[1]).toEqual(outputs[0]);
  });

  it('the binary reports a usage error with exit 2 and no stack', () => {
    const run = spawnSync('node', ['dist/cli/bin.js', 'compose'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('error[USAGE]');
    expect(run.stderr).not.toContain('    at ');
  });

  it("the README's library loop runs and nests", () => {
    const run = spawnSync('node', ['examples/volume-loop.mjs', path.join(out, 'loop')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { volume: 100, rows: { medical: 30, general: 70 } },
      { volume: 200, rows: { medical: 60, general: 140 } },
    ]);
  });
});
