/**
 * The local executor runs a stage plan: stages in order, tasks in parallel, a finished task
 * skipped on rerun, a failing task's own error in the message (EXECUTOR_FAILED), nothing of the
 * next stage started after a failure.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { runLocal } from '../../src/executors/run-local.js';
import { tempDir } from '../helpers/temp.js';
import { mapReducePlan } from './plans.js';

const dir = tempDir('mixsmith-exec-local-');

function fresh(name: string): string {
  const out = path.join(dir, name);
  mkdirSync(out, { recursive: true });
  return out;
}

describe('local executor', () => {
  it('runs the stages in order and skips finished tasks on a rerun', async () => {
    const out = fresh('ok');
    const first = await runLocal(mapReducePlan(out, 3), { parallel: 2 });
    expect(first.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const result = readFileSync(path.join(out, 'result.txt'), 'utf8');
    expect(result.split('\n').length).toBe(3001);
    const again = await runLocal(mapReducePlan(out, 3), { parallel: 2 });
    expect(again.map((o) => o.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
  });

  it('stops at a failed task with its own error and starts no later stage', async () => {
    const out = fresh('fail');
    const error = await runLocal(mapReducePlan(out, 2, 'fail'), { parallel: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('EXECUTOR_FAILED');
    expect((error as MixsmithError).message).toMatch(
      /stage "map": task map-1-of-2 failed with exit 4.*error\[INPUT_JSON\]: part 0: not valid JSON at data\.jsonl:7/,
    );
    expect(existsSync(path.join(out, 'result.txt'))).toBe(false);
  });
});
