/**
 * The Slurm executor: `sbatch` scripts for the staged pipeline, in the style of datatrove's
 * SlurmPipelineExecutor — one job array per map stage (`--array=1-N`, each task one part, from
 * SLURM_ARRAY_TASK_ID), one job for select and one for assemble, chained by
 * `--dependency=afterok` (an array counts as done when every task is), and a submit.sh that
 * submits the four in order. Each script only runs the stage command, which skips a finished part,
 * so a failed array is retried by submitting again. Plain text, a function of its options: no
 * Slurm is needed to make them, and a test runs their commands locally. The command lines are
 * the ones the local and Ray executors run (stage-tasks.ts).
 */
import { type StageCommandOptions, stageWords } from './stage-tasks.js';

export interface SlurmOptions extends StageCommandOptions {
  /** Extra `#SBATCH` options for every job (e.g. `--partition=cpu`, `--time=2:00:00`). */
  readonly sbatch: readonly string[];
}

export interface SlurmScript {
  /** File name inside the scripts folder. */
  readonly name: string;
  readonly text: string;
}

/** One shell word, single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const words = (list: readonly string[]) => list.map(shellWord).join(' ');

/** An array task's `--part` is appended as shell text, so that bash expands the task id. */
function script(
  name: 'facts' | 'select' | 'materialize' | 'assemble',
  options: SlurmOptions,
  array: number | null,
): SlurmScript {
  const logs = `${options.dir}/slurm/logs/${name}-%A${array === null ? '' : '_%a'}.out`;
  const head = [
    '#!/bin/bash',
    `#SBATCH --job-name=mixsmith-${name}`,
    `#SBATCH --output=${logs}`,
    ...(array === null ? [] : [`#SBATCH --array=1-${array}`]),
    ...options.sbatch.map((o) => `#SBATCH ${o}`),
    'set -euo pipefail',
  ];
  const part = array === null ? '' : ` --part "\${SLURM_ARRAY_TASK_ID}/${array}"`;
  const run = `exec ${words(stageWords(options, name))}${part}`;
  return { name: `${name}.sbatch`, text: `${[...head, run].join('\n')}\n` };
}

/** The four job scripts and submit.sh. */
export function slurmScripts(options: SlurmOptions): SlurmScript[] {
  const { mapParts, materializeParts } = options;
  const facts = script('facts', options, mapParts);
  const select = script('select', options, null);
  const materialize = script('materialize', options, materializeParts);
  const assemble = script('assemble', options, null);
  const here = '"$(dirname "$0")"';
  const submit = [
    '#!/bin/bash',
    '# Submits the staged pipeline: facts (array) → select → materialize (array) → assemble, each after the last succeeded.',
    'set -euo pipefail',
    `facts=$(sbatch --parsable ${here}/facts.sbatch)`,
    `select=$(sbatch --parsable --dependency=afterok:\${facts%%;*} ${here}/select.sbatch)`,
    `materialize=$(sbatch --parsable --dependency=afterok:\${select%%;*} ${here}/materialize.sbatch)`,
    `assemble=$(sbatch --parsable --dependency=afterok:\${materialize%%;*} ${here}/assemble.sbatch)`,
    `echo "submitted: facts \${facts%%;*}, select \${select%%;*}, materialize \${materialize%%;*}, assemble \${assemble%%;*}"`,
  ];
  return [facts, select, materialize, assemble, { name: 'submit.sh', text: `${submit.join('\n')}\n` }];
}
