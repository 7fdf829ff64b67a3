/**
 * The Slurm executor under a real Slurm (Debian's slurm-wlm + munge): a private single-node cluster
 * started by the test (test/helpers/slurm-cluster.ts, loopback only), the scripts written by
 * `mixsmith slurm` (run as a child process, so they name a runnable mixsmith) and submitted by the
 * real `bash submit.sh` with the real `sbatch`: a 3-task facts array, select, a 2-task materialize
 * array and assemble, chained by afterok, give compose's bytes (a redistribute sweep, and W2 with
 * near-duplicate removal and decontamination on the bench corpus). A facts task that meets a broken
 * input record fails, and afterok keeps select, materialize and assemble from ever running: no
 * output folder. Skipped without Slurm or root; under CI=true that is a failure.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { w2SweepRecipe, writeW2Corpus } from '../helpers/bench-corpus.js';
import { runCli } from '../helpers/cli.js';
import { FACT_RECIPES, writeFactsCorpus } from '../helpers/facts-corpus.js';
import { REPO_ROOT } from '../helpers/python.js';
import { describeSlurm, type SlurmCluster, type SlurmJob, startSlurmCluster } from '../helpers/slurm-cluster.js';
import { tree } from '../helpers/staged.js';
import { tempDir } from '../helpers/temp.js';

const exec = promisify(execFile);
const dir = tempDir('mixsmith-slurm-real-');
const RECIPE = FACT_RECIPES.find(([name]) => name === 'shortage redistribute over a sweep')![1];

let started: Promise<SlurmCluster> | undefined;
/** One cluster for the file, started by the first test that needs it. */
const theCluster = () => {
  started ??= startSlurmCluster();
  return started;
};
afterAll(async () => {
  if (started) await (await started).stop();
}, 60_000);

/** The facts corpus and its redistribute sweep; returns the recipe's text. */
function factsCorpus(work: string): string {
  writeFactsCorpus(work);
  return RECIPE;
}

/** The facts corpus and one of its recipes. */
function factsCorpusWith(name: string): (work: string) => string {
  return (work) => {
    writeFactsCorpus(work);
    return FACT_RECIPES.find(([n]) => n === name)![1];
  };
}

/** The bench corpus with planted near pairs and quoted eval items, and W2 over a small sweep. */
function benchCorpusW2(work: string): string {
  writeW2Corpus(work);
  return w2SweepRecipe('w2-slurm');
}

/** A corpus and recipe in a fresh folder; `mixsmith slurm` (a real child process) writes the scripts there. */
async function prepare(name: string, cluster: SlurmCluster, broken = false, corpus = factsCorpus) {
  const work = path.join(dir, name);
  mkdirSync(work, { recursive: true });
  const recipe = path.join(work, 'r.yaml');
  writeFileSync(recipe, corpus(work));
  if (broken) appendFileSync(path.join(work, 'med', 'a.jsonl'), '{"instruction": "cut short\n');
  const stages = path.join(work, 'stages');
  const out = path.join(work, 'out');
  const cli = [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'src/cli/bin.ts')];
  const written = await exec(
    cli[0]!,
    [
      ...cli.slice(1),
      'slurm',
      recipe,
      '--dir',
      stages,
      '--out',
      out,
      '--map-parts',
      '3',
      '--materialize-parts',
      '2',
      '--workers',
      '0',
      '--json',
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', env: cluster.env },
  );
  expect(JSON.parse(written.stdout).scripts).toHaveLength(5);
  return { work, recipe, stages, out };
}

/** `bash submit.sh` with the real sbatch; the four job ids it printed. */
async function submit(stages: string, cluster: SlurmCluster) {
  const said = await exec('bash', [path.join(stages, 'slurm', 'submit.sh')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: cluster.env,
  });
  const ids = /^submitted: facts (\d+), select (\d+), materialize (\d+), assemble (\d+)\n$/.exec(said.stdout);
  expect(ids, said.stdout + said.stderr).not.toBeNull();
  const [, facts, select, materialize, assemble] = ids!;
  return { facts: facts!, select: select!, materialize: materialize!, assemble: assemble! };
}

/** The jobs of one submission, by stage: every task of an array, in task order. */
function byStage(jobs: readonly SlurmJob[], ids: Record<string, string>) {
  const of = (id: string) =>
    jobs
      .filter((j) => j.id === id || j.arrayJobId === id)
      .sort((a, b) => Number(a.arrayTaskId) - Number(b.arrayTaskId))
      .map((j) => ({ name: j.name, task: j.arrayTaskId, state: j.state, reason: j.reason }));
  return Object.fromEntries(Object.entries(ids).map(([stage, id]) => [stage, of(id)]));
}

const logNames = (stages: string) => readdirSync(path.join(stages, 'slurm', 'logs')).sort();

describeSlurm('slurm executor on a real Slurm cluster', () => {
  it('its daemons listen on loopback only, and the node is idle', async () => {
    const cluster = await theCluster();
    const listening = cluster.listening();
    expect(listening.sort()).toEqual(
      [`127.0.0.1:${cluster.ports.slurmctld}`, `127.0.0.1:${cluster.ports.slurmd}`].sort(),
    );
    const sinfo = await exec('sinfo', ['-h', '-o', '%P %a %D %t %N'], { env: cluster.env, encoding: 'utf8' });
    expect(sinfo.stdout).toBe('debug* up 1 idle localhost\n');
  }, 120_000);

  it("submit.sh's job arrays, chained by afterok, give compose's bytes", async () => {
    const cluster = await theCluster();
    const { work, recipe, stages, out } = await prepare('ok', cluster);
    const composed = await runCli(['compose', recipe, '--out', path.join(work, 'composed'), '--workers', '0']);
    expect(composed.code, composed.stderr).toBe(0);

    const ids = await submit(stages, cluster);
    await cluster.waitIdle(400_000);
    // (A finished job keeps the last reason it waited for, e.g. Resources: only its state counts.)
    const done = (name: string, task: string) => ({ name, task, state: 'COMPLETED' });
    expect(byStage(await cluster.jobs(), ids), cluster.logs()).toMatchObject({
      facts: ['1', '2', '3'].map((t) => done('mixsmith-facts', t)),
      select: [done('mixsmith-select', '')],
      materialize: ['1', '2'].map((t) => done('mixsmith-materialize', t)),
      assemble: [done('mixsmith-assemble', '')],
    });
    // Each task wrote its log where the scripts say: the array's tasks one each.
    expect(logNames(stages)).toEqual([
      `assemble-${ids.assemble}.out`,
      `facts-${ids.facts}_1.out`,
      `facts-${ids.facts}_2.out`,
      `facts-${ids.facts}_3.out`,
      `materialize-${ids.materialize}_1.out`,
      `materialize-${ids.materialize}_2.out`,
      `select-${ids.select}.out`,
    ]);
    expect(tree(out)).toEqual(tree(path.join(work, 'composed')));
  }, 600_000);

  it.each([
    ['W2 (exact + near-dup + decontamination) on the bench corpus', benchCorpusW2],
    ['shortage repeat', factsCorpusWith('shortage repeat')],
    ['a token budget with strata', factsCorpusWith('a token budget with strata')],
  ] as const)(
    "%s through submit.sh gives compose's bytes",
    async (name, corpus) => {
      const cluster = await theCluster();
      const { work, recipe, stages, out } = await prepare(
        name.replace(/[^a-z0-9]+/gi, '-').slice(0, 24),
        cluster,
        false,
        corpus,
      );
      const composed = await runCli(['compose', recipe, '--out', path.join(work, 'composed'), '--workers', '0']);
      expect(composed.code, composed.stderr).toBe(0);
      const expected = tree(path.join(work, 'composed'));
      if (corpus === benchCorpusW2) {
        expect(expected.get('removed.jsonl')).toContain('"reason":"dup-near"');
        expect(expected.get('removed.jsonl')).toContain('"reason":"contaminated"');
      }
      const ids = await submit(stages, cluster);
      await cluster.waitIdle(400_000);
      const states = Object.values(byStage(await cluster.jobs(), ids)).flatMap((jobs) => jobs.map((j) => j.state));
      expect(states, cluster.logs()).toEqual(Array(7).fill('COMPLETED'));
      expect(tree(out)).toEqual(expected);
    },
    600_000,
  );

  it('a failing facts task leaves select, materialize and assemble unrun and writes no output', async () => {
    const cluster = await theCluster();
    const { stages, out } = await prepare('broken', cluster, true);
    const ids = await submit(stages, cluster);
    await cluster.waitIdle(300_000);
    const stage = byStage(await cluster.jobs(), ids);
    const facts = stage.facts!;
    expect(facts.map((t) => t.task)).toEqual(['1', '2', '3']);
    const failed = facts.filter((t) => t.state === 'FAILED');
    expect(failed, cluster.logs()).toHaveLength(1);
    expect(failed[0]!.reason).toBe('NonZeroExitCode');
    expect(facts.filter((t) => t.state === 'COMPLETED')).toHaveLength(2);
    const never = (name: string, task: string) => ({
      name,
      task,
      state: 'CANCELLED',
      reason: 'DependencyNeverSatisfied',
    });
    expect(stage.select).toEqual([never('mixsmith-select', '')]);
    // A cancelled pending array is one record; its tasks were never split off to run.
    expect(stage.materialize).toEqual([never('mixsmith-materialize', '1-2')]);
    expect(stage.assemble).toEqual([never('mixsmith-assemble', '')]);
    // Only the facts tasks ran (a job writes its log when it starts); the failed one says why, where.
    expect(logNames(stages)).toEqual([1, 2, 3].map((t) => `facts-${ids.facts}_${t}.out`));
    const log = readFileSync(path.join(stages, 'slurm', 'logs', `facts-${ids.facts}_${failed[0]!.task}.out`), 'utf8');
    expect(log).toMatch(/error\[INPUT_JSON\]/);
    expect(log).toContain('a.jsonl:186');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(stages, 'selection.json'))).toBe(false);
  }, 600_000);
});
