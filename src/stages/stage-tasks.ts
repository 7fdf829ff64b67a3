/**
 * The staged pipeline as a stage plan (executors/stage-plan.ts): facts parts → select →
 * materialize parts → assemble, each task one stage command line. The local and Ray executors run
 * this plan; the Slurm scripts (slurm.ts) run the same command lines as job arrays. Executors only
 * decide where a task runs: the bytes are the stage commands' own, and equal compose's.
 *
 * `done` markers let an executor skip a finished part without starting it: the facts part's file,
 * selection.json and a materialize part's folder are each created last, by rename. The commands
 * still check what they find themselves (another recipe's parts are STAGE_MISMATCH), and assemble
 * has no marker: an existing output folder is refused without --force, never taken as done.
 */
import path from 'node:path';
import type { StagePlan, StageTask } from '../executors/stage-plan.js';
import { factsFile, materializeDir, type PartSpec, partName, selectionFile } from './stage-dir.js';

export interface StageCommandOptions {
  /** How to run mixsmith on a node: e.g. [node, …execArgv, /path/to/bin.js]. */
  readonly command: readonly string[];
  /** The recipe (an absolute path: tasks may start elsewhere) and its --set overrides. */
  readonly recipe: string;
  readonly overrides: readonly string[];
  /** The working folder and output folder, absolute, on a file system every node sees. */
  readonly dir: string;
  readonly out: string;
  readonly mapParts: number;
  readonly materializeParts: number;
  /** Worker threads per task (--workers); absent: the stage's default. */
  readonly workers?: number | undefined;
  /** Let assemble replace an existing output folder. */
  readonly force?: boolean | undefined;
}

/** The words of one stage command, before its `--part` (Slurm appends that as shell text). */
export function stageWords(
  options: StageCommandOptions,
  stage: 'facts' | 'select' | 'materialize' | 'assemble',
): string[] {
  const set = options.overrides.flatMap((o) => ['--set', o]);
  const perPart = stage === 'facts' || stage === 'materialize';
  const workers = perPart && options.workers !== undefined ? ['--workers', String(options.workers)] : [];
  const out = stage === 'assemble' ? ['--out', options.out, ...(options.force ? ['--force'] : [])] : [];
  return [...options.command, stage, options.recipe, ...set, '--dir', options.dir, ...out, ...workers];
}

function partTasks(
  options: StageCommandOptions,
  stage: 'facts' | 'materialize',
  count: number,
  done: (part: PartSpec) => string,
): StageTask[] {
  return Array.from({ length: count }, (_, i) => {
    const part = { index: i + 1, count };
    return {
      id: `${stage}-${partName(part)}`,
      argv: [...stageWords(options, stage), '--part', `${part.index}/${count}`],
      done: done(part),
    };
  });
}

export function stagedRunPlan(options: StageCommandOptions): StagePlan {
  const { dir } = options;
  return {
    stages: [
      { name: 'facts', tasks: partTasks(options, 'facts', options.mapParts, (part) => factsFile(dir, part)) },
      { name: 'select', tasks: [{ id: 'select', argv: stageWords(options, 'select'), done: selectionFile(dir) }] },
      {
        name: 'materialize',
        tasks: partTasks(options, 'materialize', options.materializeParts, (part) =>
          path.join(materializeDir(dir, part)),
        ),
      },
      { name: 'assemble', tasks: [{ id: 'assemble', argv: stageWords(options, 'assemble') }] },
    ],
  };
}
