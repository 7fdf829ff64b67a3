/**
 * With --json, stdout carries a JSON error on every failing path (issue #24): a bug (a plain
 * Error thrown from a command: INTERNAL, exit 1, stack trace still on stderr) and a Ctrl-C that
 * comes before the command starts (INTERRUPTED, exit 130, the command not run), in-process and in
 * a real process whose SIGINT arrives while its modules are still loading.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

// The injected bug: loading a recipe throws what no mixsmith code would (not a MixsmithError).
vi.mock(import('../../src/recipe/load.js'), async (importOriginal) => {
  const original = await importOriginal();
  return {
    ...original,
    loadRecipe: async (file: string, options?: Parameters<typeof original.loadRecipe>[1]) => {
      if (file.endsWith('bug.yaml')) throw new TypeError('cannot read properties of undefined (injected)');
      if (file.endsWith('bug-string.yaml')) throw 'a thrown string';
      return original.loadRecipe(file, options);
    },
  };
});

const root = path.resolve(import.meta.dirname, '../..');
const quickstart = path.join(root, 'recipes/quickstart.yaml');

interface Envelope {
  ok: boolean;
  error: { code: string; exitCode: number; message: string; diagnostics: { code: string; hint?: string }[] };
}

describe('--json on an INTERNAL error', () => {
  it('prints the JSON error envelope on stdout, exit 1, and the stack trace on stderr', async () => {
    const run = await runCli(['validate', 'bug.yaml', '--json']);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as Envelope;
    expect(json.ok).toBe(false);
    expect(json.error).toMatchObject({
      code: 'INTERNAL',
      exitCode: 1,
      message: 'cannot read properties of undefined (injected)',
    });
    expect(json.error.diagnostics[0]).toMatchObject({ code: 'INTERNAL' });
    expect(json.error.diagnostics[0]!.hint).toBeTruthy();
    expect(run.stderr).toContain('error[INTERNAL]');
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('a thrown non-Error is INTERNAL too', async () => {
    const run = await runCli(['validate', 'bug-string.yaml', '--json']);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as Envelope).error).toMatchObject({ code: 'INTERNAL', message: 'a thrown string' });
  });

  it('without --json, stdout stays empty', async () => {
    const run = await runCli(['validate', 'bug.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });
});

describe('--json on a Ctrl-C before the command starts', () => {
  it('in-process: an already aborted signal is INTERRUPTED, exit 130, and the command does not run', async () => {
    const file = path.join(tempDir(), 'starter.yaml');
    const controller = new AbortController();
    controller.abort();
    let stdout = '';
    const code = await main(['init', file, '--json'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect((JSON.parse(stdout) as Envelope).error).toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
    expect(existsSync(file)).toBe(false);
  });

  it('a real process: SIGINT as soon as its handler exists (modules still loading) gives the JSON error and 130', async () => {
    // A preload (test only) reports on stderr when the first SIGINT listener appears: from then on
    // a Ctrl-C is the CLI's to handle, though main() may not even be loaded yet.
    const preload = path.join(tempDir(), 'watch-sigint.mjs');
    writeFileSync(
      preload,
      "const t = setInterval(() => { if (process.listenerCount('SIGINT') > 0) { clearInterval(t); process.stderr.write('@sigint-handler@\\n'); } }, 1); t.unref();\n",
    );
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        pathToFileURL(preload).href,
        path.join(root, 'src/cli/bin.ts'),
        'validate',
        quickstart,
        '--json',
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('@sigint-handler@')) {
          child.kill('SIGINT');
          resolve();
        }
      });
      child.on('close', () => resolve());
    });
    expect(await closed).toBe(130);
    expect((JSON.parse(stdout) as Envelope).error).toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
  }, 60_000);
});
