/**
 * What an executor runs: stages in order, each a set of independent tasks (command lines) that
 * may run anywhere and at once; a stage starts when every task of the one before has succeeded.
 * This is all an executor knows of mixsmith: the staged pipeline (facts parts → select →
 * materialize parts → manifest) is written as a plan by its caller, and local processes, Ray and
 * Slurm each run the same plan, so no executor can change what is computed, only where.
 *
 * A task may name a `done` file: the task's own last act is to create it (by rename, after its
 * output), so an executor skips a task whose `done` file exists. That makes a rerun after a crash
 * or a kill resume instead of redo, and a task cut off mid-write never counts as done.
 */

export interface StageTask {
  /** Unique in the plan, for logs and errors: e.g. `facts-3-of-7`. */
  readonly id: string;
  /** The command line: program first. Run without a shell, in `cwd` when given. */
  readonly argv: readonly string[];
  readonly cwd?: string | undefined;
  /** A file whose existence means the task finished (see above). */
  readonly done?: string | undefined;
}

export interface Stage {
  readonly name: string;
  readonly tasks: readonly StageTask[];
}

export interface StagePlan {
  readonly stages: readonly Stage[];
}

/** Throws a plain Error on a malformed plan: a plan is built by code, so a bad one is a bug, not a user mistake. */
export function checkStagePlan(plan: StagePlan): void {
  const ids = new Set<string>();
  for (const stage of plan.stages) {
    if (stage.tasks.length === 0) throw new Error(`stage "${stage.name}" has no task`);
    for (const task of stage.tasks) {
      if (ids.has(task.id)) throw new Error(`task id "${task.id}" appears twice`);
      ids.add(task.id);
      if (task.argv.length === 0) throw new Error(`task "${task.id}" has an empty command line`);
    }
  }
}
