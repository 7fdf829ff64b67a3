/**
 * How one task of a stage ended, as every executor reports it, and the error a failed stage
 * becomes. A task's stderr tail is kept so that the user sees the task's own error message
 * (mixsmith prints `error[CODE]: …` there) and not only "exit 4".
 */
import { MixsmithError } from '../errors.js';

export interface TaskOutcome {
  readonly id: string;
  /** `skipped`: its `done` file existed before the run. */
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly exitCode?: number | null | undefined;
  /** Where it ran: a host or node address (Ray), `local` otherwise. */
  readonly node?: string | undefined;
  readonly attempts?: number | undefined;
  /** The last lines the task wrote to stderr (failed tasks). */
  readonly stderrTail?: string | undefined;
}

/** Bytes of a failing task's stderr kept for the error message. */
export const STDERR_TAIL_BYTES = 4096;

export function stageFailure(executor: string, stage: string, failed: readonly TaskOutcome[]): MixsmithError {
  const first = failed[0]!;
  const others = failed.length > 1 ? ` (and ${failed.length - 1} more task${failed.length > 2 ? 's' : ''})` : '';
  const tail = first.stderrTail?.trim();
  return new MixsmithError(
    'EXECUTOR_FAILED',
    `${executor}: stage "${stage}": task ${first.id} failed with exit ${first.exitCode ?? 'signal'}${others}${
      tail ? `; its last words: ${tail.split('\n').slice(-3).join(' | ')}` : ''
    }`,
    {
      hint: 'fix the cause and run the same command again: finished tasks are skipped, the failed ones are redone',
    },
  );
}
