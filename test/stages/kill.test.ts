/**
 * A stage killed with SIGKILL half-way (no handler runs, no cleanup) and run again gives the same
 * final bytes as an uninterrupted compose: a facts part and a materialize part are killed while
 * their temporaries exist; the temporaries never count, the rerun writes the parts whole.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tree } from '../helpers/staged.js';
import { tempDir } from '../helpers/temp.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir('mixsmith-stages-kill-');
const recipe = path.join(dir, 'r.yaml');
const work = path.join(dir, 'work');

beforeAll(() => {
  execFileSync(process.execPath, [
    path.join(root, 'bench/gen-corpus.mjs'),
    '--out',
    path.join(dir, 'corpus'),
    '--n',
    '15000',
    '--eval-items',
    '10',
  ]);
  writeFileSync(
    recipe,
    `name: killed
seed: 3
sources:
  - { name: domain, group: domain, path: corpus/domain.jsonl }
  - { name: general, group: general, path: corpus/general.jsonl }
mixture:
  volume: 12000
  shares: { domain: 0.4, general: 0.6 }
split:
  validation: 500
output:
  format: parquet
`,
  );
}, 120_000);

/** Start a stage in a child process; SIGKILL it as soon as `temporary()` finds its temporary, or once it has run `ms`. */
async function killDuring(
  argv: string[],
  temporary: () => string | undefined,
): Promise<{ caught: string | undefined }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), ...argv], {
    cwd: root,
    stdio: 'ignore',
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let caught: string | undefined;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      caught = temporary();
      if (caught || child.exitCode !== null) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve();
      }
    }, 2);
  });
  await closed;
  return { caught };
}

const temporaryIn = (folder: string) => () => {
  const name = existsSync(folder) ? readdirSync(folder).find((n) => n.includes('.tmp-')) : undefined;
  return name && path.join(folder, name);
};

async function ok(argv: string[]) {
  const run = await runCli(argv);
  expect(run, run.stderr).toMatchObject({ code: 0 });
}

describe('SIGKILL mid-write, then rerun', () => {
  it('gives the bytes of an uninterrupted compose', { timeout: 300_000 }, async () => {
    await ok(['compose', recipe, '--out', path.join(dir, 'composed')]);

    // Facts part 1/2, killed while its Parquet temporary is being written.
    const facts = await killDuring(
      ['facts', recipe, '--dir', work, '--part', '1/2', '--workers', '0'],
      temporaryIn(path.join(work, 'facts')),
    );
    expect(facts.caught, 'the facts part was killed while writing its temporary').toBeDefined();
    expect(existsSync(path.join(work, 'facts', 'part-00001-of-00002.parquet'))).toBe(false);
    for (const part of ['1/2', '2/2']) await ok(['facts', recipe, '--dir', work, '--part', part]);
    await ok(['select', recipe, '--dir', work]);

    // Materialize part 1/1, killed while its folder is a temporary with shards in progress.
    const materialized = path.join(work, 'materialize');
    const killed = await killDuring(['materialize', recipe, '--dir', work, '--part', '1/1', '--workers', '0'], () => {
      const temp = temporaryIn(materialized)();
      return temp && readdirSync(temp).length > 0 ? temp : undefined;
    });
    expect(killed.caught, 'the materialize part was killed mid-write').toBeDefined();
    expect(existsSync(path.join(materialized, 'part-00001-of-00001'))).toBe(false);
    await expect(runCli(['assemble', recipe, '--dir', work, '--out', path.join(dir, 'early')])).resolves.toMatchObject({
      code: 4,
    });
    await ok(['materialize', recipe, '--dir', work, '--part', '1/1']);
    await ok(['assemble', recipe, '--dir', work, '--out', path.join(dir, 'staged')]);
    expect(tree(path.join(dir, 'staged'))).toEqual(tree(path.join(dir, 'composed')));
  });
});
