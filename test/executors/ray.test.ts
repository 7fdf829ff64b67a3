/**
 * The Ray executor on a real two-node Ray cluster started by the test, in network namespaces of
 * its own (test/helpers/ray-cluster.ts): the plan's tasks run on both nodes, the result is
 * byte-identical to the local executor's (and the staged pipeline's, W2 included, to compose's), a task killed by SIGKILL is retried, a rerun skips
 * finished tasks, a failing task's own error reaches the user, and no connection leaves the two
 * namespaces (no route out; every TCP peer is one of the nodes or loopback).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { runLocal } from '../../src/executors/run-local.js';
import { runRay } from '../../src/executors/run-ray.js';
import { runCli } from '../helpers/cli.js';
import { FACT_RECIPES, writeFactsCorpus } from '../helpers/facts-corpus.js';
import { w2SweepRecipe, writeW2Corpus } from '../helpers/bench-corpus.js';
import { describePython, pythonEnv, REPO_ROOT } from '../helpers/python.js';
import { peerHost, type RayCluster, rayClusterUnavailable, startRayCluster } from '../helpers/ray-cluster.js';
import { tree } from '../helpers/staged.js';
import { tempDir } from '../helpers/temp.js';
import { mapReducePlan } from './plans.js';

const py = pythonEnv(['ray']);
const unavailable = rayClusterUnavailable();
const env = unavailable && py.ok ? { ...py, ok: false, reason: `${unavailable}: run the tests as root` } : py;
const dir = tempDir('mixsmith-exec-ray-');

let cluster: RayCluster | undefined;
function theCluster(): RayCluster {
  cluster ??= startRayCluster(env.python);
  return cluster;
}
afterAll(() => cluster?.stop());

function fresh(name: string): string {
  const out = path.join(dir, name);
  mkdirSync(out, { recursive: true });
  return out;
}

const rayOptions = (c: RayCluster) => ({
  address: c.address,
  python: env.python,
  env: process.env,
  prefix: c.exec(c.headNs),
});

/** `mixsmith staged --executor ray` from the head node's namespace, as a user there would run it. */
function stagedOnRay(c: RayCluster, recipe: string, work: string, mapParts: number, materializeParts: number) {
  return spawnSync(
    c.exec(c.headNs)[0]!,
    [
      ...c.exec(c.headNs).slice(1),
      process.execPath,
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'src/cli/bin.ts'),
      'staged',
      recipe,
      '--json',
      '--dir',
      path.join(work, 'stages'),
      '--out',
      path.join(work, 'on-ray'),
      '--map-parts',
      String(mapParts),
      '--materialize-parts',
      String(materializeParts),
      '--workers',
      '0',
      '--executor',
      'ray',
      '--ray-address',
      c.address,
      '--ray-python',
      env.python,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 500_000 },
  );
}

describePython(env, 'Ray executor on a two-node cluster in network namespaces', () => {
  it('runs the plan on both nodes, byte-identical to the local executor, and resumes', async () => {
    const c = theCluster();
    const onRay = fresh('ray');
    const outcomes = await runRay(mapReducePlan(onRay, 6), rayOptions(c));
    expect(outcomes.map((o) => o.status)).toEqual(Array(7).fill('ok'));
    const nodes = new Set(outcomes.map((o) => o.node));
    expect([...nodes].sort()).toEqual([`${c.subnet}1`, `${c.subnet}2`]);
    // Each task saw only its own node's network: the part files say where they were written.
    const seen = readdirSync(onRay)
      .filter((f) => f.startsWith('where-'))
      .map((f) => JSON.parse(readFileSync(path.join(onRay, f), 'utf8')) as string[]);
    for (const addresses of seen)
      expect(addresses.filter((a) => a !== '127.0.0.1').every((a) => a.startsWith(c.subnet))).toBe(true);

    const local = fresh('local');
    await runLocal(mapReducePlan(local, 6), { parallel: 2 });
    expect(readFileSync(path.join(onRay, 'result.txt'))).toEqual(readFileSync(path.join(local, 'result.txt')));

    const again = await runRay(mapReducePlan(onRay, 6), rayOptions(c));
    expect(again.map((o) => o.status)).toEqual(Array(7).fill('skipped'));

    expect(c.routes()).toBe('');
    const strangers = c.peers().filter((p) => {
      const host = peerHost(p);
      return !host.startsWith(c.subnet) && host !== '127.0.0.1' && host !== '::1';
    });
    expect(strangers).toEqual([]);
  }, 600_000);

  it.each(['shortage redistribute over a sweep', 'shortage repeat', 'a token budget with strata'])(
    "mixsmith staged --executor ray, %s: the staged pipeline's parts on both nodes give compose's bytes",
    async (name) => {
      const c = theCluster();
      const work = fresh(`staged-${name.replaceAll(' ', '-')}`);
      writeFactsCorpus(work);
      const recipe = path.join(work, 'r.yaml');
      writeFileSync(recipe, FACT_RECIPES.find(([n]) => n === name)![1]);
      const composed = await runCli(['compose', recipe, '--out', path.join(work, 'composed'), '--workers', '0']);
      expect(composed.code, composed.stderr).toBe(0);
      const run = stagedOnRay(c, recipe, work, 4, 2);
      expect(run.status, run.stderr).toBe(0);
      const tasks = JSON.parse(run.stdout).tasks as { id: string; status: string; node: string }[];
      expect(tasks.map((t) => t.status)).toEqual(Array(8).fill('ok'));
      expect(new Set(tasks.map((t) => t.node)).size).toBe(2);
      expect(tree(path.join(work, 'on-ray'))).toEqual(tree(path.join(work, 'composed')));
    },
    600_000,
  );

  it("W2 (exact + near-dup + decontamination) on the bench corpus: 3 facts and 2 materialize parts on Ray give compose's bytes", async () => {
    const c = theCluster();
    const work = fresh('w2');
    writeW2Corpus(work);
    const recipe = path.join(work, 'w2.yaml');
    writeFileSync(recipe, w2SweepRecipe('w2-ray'));
    const composed = await runCli(['compose', recipe, '--out', path.join(work, 'composed'), '--workers', '0']);
    expect(composed.code, composed.stderr).toBe(0);
    const expected = tree(path.join(work, 'composed'));
    expect(expected.get('removed.jsonl')).toContain('"reason":"dup-near"');
    expect(expected.get('removed.jsonl')).toContain('"reason":"contaminated"');
    const run = stagedOnRay(c, recipe, work, 3, 2);
    expect(run.status, run.stderr).toBe(0);
    const tasks = JSON.parse(run.stdout).tasks as { id: string; status: string; node: string }[];
    expect(tasks.map((t) => t.status)).toEqual(Array(7).fill('ok'));
    expect(tree(path.join(work, 'on-ray'))).toEqual(expected);
  }, 600_000);

  it('retries a task killed by a signal, and reports a failing task with its own error', async () => {
    const c = theCluster();
    const killed = fresh('killed');
    const outcomes = await runRay(mapReducePlan(killed, 2, 'die-once'), rayOptions(c));
    expect(outcomes.find((o) => o.id === 'map-1-of-2')).toMatchObject({ status: 'ok', attempts: 2 });

    const failing = fresh('failing');
    const error = await runRay(mapReducePlan(failing, 2, 'fail'), rayOptions(c)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('EXECUTOR_FAILED');
    expect((error as MixsmithError).message).toMatch(/ray executor: stage "map": task map-1-of-2 failed with exit 4/);
    expect((error as MixsmithError).message).toMatch(/error\[INPUT_JSON\]: part 0/);
  }, 600_000);

  it('says so when no cluster answers at the address', async () => {
    const c = theCluster();
    const error = await runRay(mapReducePlan(fresh('nowhere'), 1), {
      ...rayOptions(c),
      address: `${c.subnet}9:6379`,
    }).catch((e: unknown) => e);
    expect((error as MixsmithError).code).toBe('EXECUTOR_UNAVAILABLE');
  }, 600_000);
});
