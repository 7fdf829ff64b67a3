/**
 * The local executor: each stage's tasks as child processes on this machine, `parallel` at a
 * time, stages in order. A task whose `done` file exists is skipped; a failed task stops the run
 * after its stage's running tasks end (no new task starts), and the stage's failure is the error.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type StagePlan, type StageTask, checkStagePlan } from './stage-plan.js';
import { STDERR_TAIL_BYTES, stageFailure, type TaskOutcome } from './task-outcome.js';

export interface LocalRunOptions {
  /** Tasks of one stage running at once; default 1. */
  readonly parallel?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called as each task ends (progress). */
  readonly onTask?: ((outcome: TaskOutcome) => void) | undefined;
}

export async function runLocal(plan: StagePlan, options: LocalRunOptions = {}): Promise<TaskOutcome[]> {
  checkStagePlan(plan);
  const parallel = Math.max(1, options.parallel ?? 1);
  const outcomes: TaskOutcome[] = [];
  for (const stage of plan.stages) {
    const queue = [...stage.tasks];
    const results: TaskOutcome[] = [];
    let failed = false;
    const lane = async () => {
      for (let task = queue.shift(); task && !failed; task = queue.shift()) {
        const outcome = await runTask(task, options.signal);
        if (outcome.status === 'failed') failed = true;
        results.push(outcome);
        options.onTask?.(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, lane));
    outcomes.push(...results);
    const failures = results.filter((r) => r.status === 'failed');
    if (failures.length > 0) throw stageFailure('local executor', stage.name, failures);
  }
  return outcomes;
}

function runTask(task: StageTask, signal: AbortSignal | undefined): Promise<TaskOutcome> {
  if (task.done && existsSync(task.done)) return Promise.resolve({ id: task.id, status: 'skipped', node: 'local' });
  return new Promise((resolve) => {
    const [program, ...args] = task.argv;
    const child = spawn(program!, args, {
      cwd: task.cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let tail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const end = (exitCode: number | null) =>
      resolve(
        exitCode === 0
          ? { id: task.id, status: 'ok', exitCode, node: 'local', attempts: 1 }
          : { id: task.id, status: 'failed', exitCode, node: 'local', attempts: 1, stderrTail: tail },
      );
    child.on('error', (error) => {
      tail += `\n${error.message}`;
      end(null);
    });
    child.on('close', (code) => end(code));
  });
}
