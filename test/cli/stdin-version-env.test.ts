/**
 * The command line's edges (#19 point 11): `--version`, `mixsmith env`, and `-`: standard input
 * for a recipe (validate, plan, compose) or records (inspect), standard output for `init`, a USAGE
 * error wherever mixsmith needs a path; a pipe named as an input is a clear INPUT_FORMAT error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/python.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const dir = tempDir('mixsmith-stdin-');
const quickstart = path.join(REPO_ROOT, 'recipes', 'quickstart.yaml');
/** The quickstart with absolute source paths: read from standard input, relative paths resolve against the working directory. */
const absoluteQuickstart = () =>
  readFileSync(quickstart, 'utf8').replaceAll('../fixtures/', `${path.join(REPO_ROOT, 'fixtures')}/`);

describe('--version and env', () => {
  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('env names mixsmith, Node, zlib, libzstd and the pinned version of every library that changes output bytes', async () => {
    const run = await runCli(['env', '--json']);
    expect(run.code).toBe(0);
    const env = JSON.parse(run.stdout) as {
      mixsmith: string;
      node: string;
      unicode: string;
      zlib: string;
      libzstd: string;
      libraries: { name: string; version: string }[];
    };
    expect(env.mixsmith).toBe(pkg.version);
    expect(env.node).toBe(process.version);
    expect(env.unicode).toBe(process.versions.unicode);
    expect(env.zlib).toBe(process.versions.zlib);
    expect(env.libzstd).toMatch(/^\d+\.\d+\.\d+$/);
    expect(env.libraries.map((l) => l.name)).toEqual(
      expect.arrayContaining(['hyparquet-writer', 'zstd-napi', 'hyparquet', 'yaml', 'tiktoken']),
    );
    for (const lib of env.libraries) expect(lib.version, lib.name).toBe(pkg.dependencies[lib.name]);
    const human = await runCli(['env']);
    expect(human.stderr).toContain(`hyparquet-writer ${pkg.dependencies['hyparquet-writer']}`);
  });
});

describe('- (standard input and output)', () => {
  it('inspect - reads records from standard input (it exited 0 having inspected nothing)', async () => {
    const records = readFileSync(path.join(REPO_ROOT, 'fixtures', 'quickstart', 'medical.jsonl'));
    const run = await runCli(['inspect', '-', '--json'], { stdin: records });
    expect(run.code).toBe(0);
    const { files } = JSON.parse(run.stdout) as {
      files: { file: string; bytes: number; format: string; records: number }[];
    };
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      file: '-',
      bytes: records.length,
      format: 'jsonl',
      records: records.toString().trim().split('\n').length,
    });
  });

  it('validate -, plan - and compose - read the recipe from standard input', async () => {
    expect(await runCli(['validate', '-'], { stdin: absoluteQuickstart() })).toMatchObject({
      code: 0,
      stderr: '<stdin>: ok — recipe "quickstart" is valid\n',
    });
    const plan = await runCli(['plan', '-', '--json', '--workers', '0'], { stdin: absoluteQuickstart() });
    expect(plan.code).toBe(0);
    const out = path.join(dir, 'from-stdin');
    const composed = await runCli(['compose', '-', '--out', out, '--json', '--workers', '0'], {
      stdin: absoluteQuickstart(),
    });
    expect(composed.code).toBe(0);
    expect((JSON.parse(composed.stdout) as { manifest: { recipe: { name: string } } }).manifest.recipe.name).toBe(
      'quickstart',
    );
  });

  it('init - writes the starter recipe to standard output', async () => {
    const run = await runCli(['init', '-']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('name: my-mixture');
  });

  it.each([
    [['audit', '-'], 'the paths argument of audit'],
    [['diff', '-', 'out/b'], 'the a argument of diff'],
    [['compose', 'recipes/quickstart.yaml', '--out', '-'], '--out'],
    [['audit', 'out/a', '--eval', '-'], '--eval'],
  ])('%j: USAGE, naming the argument that needs a path', async (argv, what) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error[USAGE]: ${what} does not take - (standard input or output)`);
  });

  it('inspect - - : standard input is read once', async () => {
    const run = await runCli(['inspect', '-', '-'], { stdin: '{"text": "x"}\n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('name - only once');
  });

  it('a pipe named as an input is INPUT_FORMAT, not a crash (it was error[INTERNAL] ESPIPE)', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli(['inspect', fifo]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('is a FIFO (named pipe), not a regular file');
  });
});

describe('init', () => {
  it('writes a $schema path relative to the recipe (it was absolute: this machine only)', async () => {
    const file = path.join(dir, 'nested', 'recipe.yaml');
    mkdirSync(path.dirname(file), { recursive: true });
    expect((await runCli(['init', file])).code).toBe(0);
    const schema = /\$schema=(\S+)/.exec(readFileSync(file, 'utf8'))![1]!;
    expect(path.isAbsolute(schema)).toBe(false);
    expect(path.resolve(path.dirname(file), schema)).toBe(path.join(REPO_ROOT, 'schemas', 'recipe.schema.json'));
  });
});
