/**
 * The Ray executor: the stage plan handed to a small Python driver (python/ray_driver.py, since
 * Ray's API is Python) that runs each task as a Ray task on whichever node Ray picks. Ray comes
 * from a Python environment the caller names (`python`; the CLI reads `MIXSMITH_RAY_PYTHON`);
 * scripts/python-env.sh builds the project's `.venv` with the pinned `ray`. Nothing here depends on
 * what the tasks compute: the bytes are the tasks' own (the same plan runs locally, see run-local).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MixsmithError } from '../errors.js';
import { checkStagePlan, type StagePlan } from './stage-plan.js';
import { STDERR_TAIL_BYTES, stageFailure, type TaskOutcome } from './task-outcome.js';

export interface RayRunOptions {
  /** The cluster's address, `HOST:PORT` of the head node's GCS (as `ray start --head` prints it). */
  readonly address: string;
  /** A Python with `ray` installed. */
  readonly python: string;
  readonly cpusPerTask?: number | undefined;
  /** Times a task killed by a signal (its node died) is run again. */
  readonly retries?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onTask?: ((outcome: TaskOutcome) => void) | undefined;
  /** The driver's environment (the CLI passes its own; Ray's usage reporting is always turned off). */
  readonly env: NodeJS.ProcessEnv;
  /** Run the driver through this command prefix (tests: `ip netns exec NS`). */
  readonly prefix?: readonly string[] | undefined;
}

/** The driver shipped beside the package's code (`src/` or `dist/` alike). */
export const RAY_DRIVER = fileURLToPath(new URL('../../python/ray_driver.py', import.meta.url));

/** Exit statuses of the driver (see its docstring). */
const STAGE_FAILED = 3;
const UNREACHABLE = 2;

export async function runRay(plan: StagePlan, options: RayRunOptions): Promise<TaskOutcome[]> {
  checkStagePlan(plan);
  const python = options.python;
  const dir = mkdtempSync(path.join(tmpdir(), 'mixsmith-ray-'));
  const planFile = path.join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  try {
    const args = [
      RAY_DRIVER,
      '--address',
      options.address,
      '--plan',
      planFile,
      '--cpus-per-task',
      String(options.cpusPerTask ?? 1),
      '--retries',
      String(options.retries ?? 2),
    ];
    const outcomes: TaskOutcome[] = [];
    const stages: { stage: string; ok: boolean }[] = [];
    const { code, stderr } = await runDriver([...(options.prefix ?? []), python, ...args], options, (line) => {
      const event = JSON.parse(line) as TaskOutcome | { stage: string; ok: boolean };
      if ('stage' in event) stages.push(event);
      else {
        outcomes.push(event);
        options.onTask?.(event);
      }
    });
    if (code === 0) return outcomes;
    const failedStage = stages.find((s) => !s.ok);
    if (code === STAGE_FAILED && failedStage) {
      throw stageFailure(
        'ray executor',
        failedStage.stage,
        outcomes.filter((o) => o.status === 'failed'),
      );
    }
    const reason = /No module named '?ray'?/.test(stderr)
      ? `${python} has no ray module`
      : code === UNREACHABLE
        ? `the Ray cluster at ${options.address} could not be reached`
        : `the Ray driver ended with exit ${code}`;
    throw new MixsmithError('EXECUTOR_UNAVAILABLE', `ray executor: ${reason}: ${lastLines(stderr)}`, {
      hint: 'start the cluster (ray start --head), give its address, and a Python with ray installed (scripts/python-env.sh builds .venv with the pinned ray; MIXSMITH_RAY_PYTHON=.venv/bin/python)',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ') || '(no output)';
}

function runDriver(
  argv: readonly string[],
  options: RayRunOptions,
  onLine: (line: string) => void,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [program, ...args] = argv;
    const child = spawn(program!, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...options.env, RAY_USAGE_STATS_ENABLED: '0' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) onLine(line);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    child.on('error', (error) => {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new MixsmithError(
          'EXECUTOR_UNAVAILABLE',
          `ray executor: cannot start ${program}: ${missing ? 'no such program' : error.message}`,
          { hint: 'name a Python with ray installed (MIXSMITH_RAY_PYTHON, or scripts/python-env.sh for .venv)' },
        ),
      );
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
