/**
 * The worker side of `WorkerPool`: answer each batch request with `handle`'s result (and the
 * memory it hands back by transfer), or with the stack of an unexpected error (a bug: expected
 * problems are part of a result). An asynchronous `handle` still answers requests one at a time,
 * in the order they came.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchReply, BatchRequest, PoolWorkerData } from './worker-pool.js';

export interface Handled<O> {
  readonly result: O;
  readonly transfer?: readonly ArrayBuffer[];
}

/** The data the pool started this worker with. */
export function poolData<D>(): D {
  return (workerData as PoolWorkerData<D>).data;
}

function failureOf(seq: number, error: unknown): BatchReply<never> {
  return { seq, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

export function serveBatches<I, O>(handle: (input: I) => Handled<O> | Promise<Handled<O>>): void {
  const port = parentPort;
  if (!port) throw new Error('a pool worker runs as a worker thread (see src/workers/worker-pool.ts)');
  const answer = (seq: number, handled: Handled<O>) =>
    port.postMessage(
      { seq, result: handled.result } satisfies BatchReply<O>,
      (handled.transfer ?? []) as ArrayBuffer[],
    );
  /** The answer being awaited, if any: later requests wait their turn behind it. */
  let pending: Promise<void> | undefined;
  const serve = ({ seq, input }: BatchRequest<I>): Promise<void> | undefined => {
    let handled: Handled<O> | Promise<Handled<O>>;
    try {
      handled = handle(input);
    } catch (error) {
      port.postMessage(failureOf(seq, error));
      return undefined;
    }
    if (!(handled instanceof Promise)) {
      answer(seq, handled);
      return undefined;
    }
    return handled.then((done) => answer(seq, done)).catch((error: unknown) => port.postMessage(failureOf(seq, error)));
  };
  port.on('message', (request: BatchRequest<I>) => {
    const turn = pending ? pending.then(() => serve(request)) : serve(request);
    if (!turn) return;
    pending = turn;
    void turn.then(() => {
      if (pending === turn) pending = undefined;
    });
  });
}
