/**
 * The Slurm executor's scripts: job arrays for the map stages, afterok between stages, options
 * passed through; and the generated submit.sh run against a stand-in `sbatch` that runs each job
 * at once (every task of an array, from its #SBATCH --array line) gives compose's bytes with 3 facts
 * and 2 materialize tasks (each a node process: kept few). slurm-cluster.test.ts runs them under a
 * real Slurm.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { slurmScripts } from '../../src/stages/slurm.js';
import { runCli } from '../helpers/cli.js';
import { FACT_RECIPES, writeFactsCorpus } from '../helpers/facts-corpus.js';
import { tree } from '../helpers/staged.js';
import { tempDir } from '../helpers/temp.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir('mixsmith-slurm-');
const recipe = path.join(dir, 'r.yaml');

beforeAll(() => {
  writeFactsCorpus(dir);
  // A sweep with redistribution and a validation split, from the facts corpus's recipes.
  writeFileSync(recipe, FACT_RECIPES.find(([name]) => name === 'shortage redistribute over a sweep')![1]);
});

/** A stand-in for sbatch: logs its arguments, runs the job now (each array task in turn), prints a job id. */
const FAKE_SBATCH = `#!/bin/bash
set -euo pipefail
script="\${@: -1}"
echo "$*" >> "$FAKE_SBATCH_LOG"
array=$(sed -n 's/^#SBATCH --array=1-\\([0-9]*\\)$/\\1/p' "$script")
if [ -n "$array" ]; then
  for i in $(seq 1 "$array"); do SLURM_ARRAY_TASK_ID=$i bash "$script" >> "$FAKE_SBATCH_LOG.jobs" 2>&1; done
else
  bash "$script" >> "$FAKE_SBATCH_LOG.jobs" 2>&1
fi
echo "$(( $(wc -l < "$FAKE_SBATCH_LOG") + 1000 ))"
`;

describe('slurm executor', () => {
  it('writes job arrays for the map stages and chains the stages with afterok', async () => {
    const work = path.join(dir, 'work-cli');
    const run = await runCli([
      'slurm',
      recipe,
      '--dir',
      work,
      '--out',
      path.join(dir, 'never'),
      '--map-parts',
      '7',
      '--materialize-parts',
      '3',
      '--sbatch=--partition=cpu',
      '--set',
      'seed=8',
      '--json',
    ]);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const text = (name: string) => readFileSync(path.join(work, 'slurm', name), 'utf8');
    expect(text('facts.sbatch')).toContain('#SBATCH --array=1-7\n#SBATCH --partition=cpu\n');
    expect(text('facts.sbatch')).toMatch(
      / facts \S+r\.yaml --set seed=8 --dir \S+ --part "\$\{SLURM_ARRAY_TASK_ID\}\/7"\n$/,
    );
    expect(text('materialize.sbatch')).toContain('#SBATCH --array=1-3\n');
    expect(text('select.sbatch')).not.toContain('--array');
    expect(text('assemble.sbatch')).toContain(`--out ${path.join(dir, 'never')}`);
    expect(text('submit.sh').match(/--dependency=afterok:/g)).toHaveLength(3);
    const bad = await runCli(['slurm', recipe, '--dir', work, '--out', 'x', '--map-parts', '0', '--json']);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'USAGE' });
  });

  it("run through submit.sh (a stand-in sbatch), the jobs' commands give compose's bytes", async () => {
    const composed = await runCli(['compose', recipe, '--out', path.join(dir, 'composed'), '--workers', '0']);
    expect(composed.code).toBe(0);
    const work = path.join(dir, 'work-run');
    const out = path.join(dir, 'staged');
    const scripts = path.join(work, 'slurm');
    mkdirSync(path.join(scripts, 'logs'), { recursive: true });
    for (const s of slurmScripts({
      command: [process.execPath, '--import', 'tsx', path.join(root, 'src/cli/bin.ts')],
      recipe,
      overrides: [],
      dir: work,
      out,
      mapParts: 3,
      materializeParts: 2,
      sbatch: [],
      workers: 0,
    }))
      writeFileSync(path.join(scripts, s.name), s.text);
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'sbatch'), FAKE_SBATCH);
    chmodSync(path.join(bin, 'sbatch'), 0o755);
    const log = path.join(dir, 'sbatch.log');
    const said = execFileSync('bash', [path.join(scripts, 'submit.sh')], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_SBATCH_LOG: log },
      encoding: 'utf8',
    });
    expect(said).toBe('submitted: facts 1001, select 1002, materialize 1003, assemble 1004\n');
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.map((c) => c.replace(/\S*\/slurm\//g, ''))).toEqual([
      '--parsable facts.sbatch',
      '--parsable --dependency=afterok:1001 select.sbatch',
      '--parsable --dependency=afterok:1002 materialize.sbatch',
      '--parsable --dependency=afterok:1003 assemble.sbatch',
    ]);
    expect(tree(out)).toEqual(tree(path.join(dir, 'composed')));
  }, 300_000);
});
