/**
 * `mixsmith staged --executor local`: the whole staged pipeline as one stage plan run by the local
 * executor (parallel child processes of the real CLI), byte-identical to compose; a rerun into a new
 * output skips every finished part and gives the same bytes; a failing part is EXECUTOR_FAILED
 * (exit 7) naming the part and carrying the part's own error. The Ray executor runs the same plan
 * (test/executors/ray.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stagedRunPlan } from '../../src/stages/stage-tasks.js';
import { runCli } from '../helpers/cli.js';
import { FACT_RECIPES, writeFactsCorpus } from '../helpers/facts-corpus.js';
import { tree } from '../helpers/staged.js';
import { tempDir } from '../helpers/temp.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir('mixsmith-staged-exec-');
const recipe = path.join(dir, 'r.yaml');

beforeAll(() => {
  writeFactsCorpus(dir);
  writeFileSync(recipe, FACT_RECIPES.find(([name]) => name === 'shortage redistribute over a sweep')![1]);
});

function staged(args: readonly string[]) {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), 'staged', recipe, '--json', ...args],
    { cwd: root, encoding: 'utf8', timeout: 280_000 },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('mixsmith staged (local executor)', () => {
  it("gives compose's bytes, and a rerun skips every finished part", async () => {
    const composed = await runCli(['compose', recipe, '--out', path.join(dir, 'composed'), '--workers', '0']);
    expect(composed.code, composed.stderr).toBe(0);
    const work = path.join(dir, 'work');
    const common = ['--dir', work, '--map-parts', '3', '--materialize-parts', '2', '--workers', '0', '--parallel', '2'];
    const first = staged([...common, '--out', path.join(dir, 'first')]);
    expect(first.code, first.stderr).toBe(0);
    const statuses = (stdout: string) =>
      Object.fromEntries((JSON.parse(stdout).tasks as { id: string; status: string }[]).map((t) => [t.id, t.status]));
    expect(Object.values(statuses(first.stdout))).toEqual(Array(7).fill('ok'));
    expect(tree(path.join(dir, 'first'))).toEqual(tree(path.join(dir, 'composed')));

    const again = staged([...common, '--out', path.join(dir, 'again')]);
    expect(again.code, again.stderr).toBe(0);
    expect(statuses(again.stdout)).toMatchObject({
      'facts-part-00001-of-00003': 'skipped',
      'facts-part-00003-of-00003': 'skipped',
      select: 'skipped',
      'materialize-part-00002-of-00002': 'skipped',
      assemble: 'ok',
    });
    expect(tree(path.join(dir, 'again'))).toEqual(tree(path.join(dir, 'composed')));

    // The existing output is refused without --force: assemble is never taken as done.
    const exists = staged([...common, '--out', path.join(dir, 'first')]);
    expect(exists.code).toBe(7);
    expect(JSON.parse(exists.stdout).error.code).toBe('EXECUTOR_FAILED');
    expect(JSON.parse(exists.stdout).error.message).toMatch(/task assemble failed with exit 5[\s\S]*OUTPUT_EXISTS/);
  }, 300_000);

  it('a part that fails stops the run with its own error (EXECUTOR_FAILED, exit 7)', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(path.join(dir, 'broken.jsonl'), '{"instruction": "a", "output": "b"}\n{"instruction": \n');
    writeFileSync(bad, FACT_RECIPES[0]![1].replace('"gen.csv"', '"broken.jsonl"'));
    expect(readFileSync(bad, 'utf8')).toContain('broken.jsonl');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'src/cli/bin.ts'),
        'staged',
        bad,
        '--json',
        '--dir',
        path.join(dir, 'work-bad'),
        '--out',
        path.join(dir, 'never'),
        '--map-parts',
        '2',
      ],
      { cwd: root, encoding: 'utf8', timeout: 280_000 },
    );
    // The recipe is sound; the broken record is found by the facts part that reads it.
    expect(run.status, run.stderr).toBe(7);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('EXECUTOR_FAILED');
    expect(error.message).toMatch(/stage "facts": task facts-part-0000\d-of-00002 failed with exit 4/);
    expect(error.message).toMatch(/broken\.jsonl:2: error\[INPUT_JSON\]/);
  }, 300_000);

  it('--executor ray without an address is a usage error', async () => {
    const run = await runCli(['staged', recipe, '--dir', dir, '--out', 'x', '--executor', 'ray', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('USAGE');
  });

  it('the plan: facts parts, select, materialize parts, assemble; workers only for the parts', () => {
    const plan = stagedRunPlan({
      command: ['mixsmith'],
      recipe: '/r.yaml',
      overrides: ['seed=3'],
      dir: '/w',
      out: '/o',
      mapParts: 2,
      materializeParts: 1,
      workers: 2,
    });
    expect(plan.stages.map((s) => [s.name, s.tasks.map((t) => t.id)])).toEqual([
      ['facts', ['facts-part-00001-of-00002', 'facts-part-00002-of-00002']],
      ['select', ['select']],
      ['materialize', ['materialize-part-00001-of-00001']],
      ['assemble', ['assemble']],
    ]);
    expect(plan.stages[0]!.tasks[1]!.argv.join(' ')).toBe(
      'mixsmith facts /r.yaml --set seed=3 --dir /w --workers 2 --part 2/2',
    );
    expect(plan.stages[3]!.tasks[0]!.argv.join(' ')).toBe('mixsmith assemble /r.yaml --set seed=3 --dir /w --out /o');
    expect(plan.stages[3]!.tasks[0]!.done).toBeUndefined();
  });
});
