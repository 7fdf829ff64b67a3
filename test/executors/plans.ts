/** Stage plans over test/executors/stage-task.mjs, the same for every executor. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StagePlan } from '../../src/executors/stage-plan.js';

const TASK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'stage-task.mjs');

/** `parts` map tasks (mode `map`, or `die-once` for part 0), then one reduce. */
export function mapReducePlan(dir: string, parts: number, firstMode: 'map' | 'die-once' | 'fail' = 'map'): StagePlan {
  return {
    stages: [
      {
        name: 'map',
        tasks: Array.from({ length: parts }, (_, i) => ({
          id: `map-${i + 1}-of-${parts}`,
          argv: [process.execPath, TASK, i === 0 ? firstMode : 'map', String(i), dir],
          done: path.join(dir, `part-${i}.done`),
        })),
      },
      {
        name: 'reduce',
        tasks: [
          {
            id: 'reduce',
            argv: [process.execPath, TASK, 'reduce', String(parts), dir],
            done: path.join(dir, 'result.done'),
          },
        ],
      },
    ],
  };
}
