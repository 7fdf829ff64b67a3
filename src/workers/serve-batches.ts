/**
 * The worker side of `WorkerPool`: answer each batch request with `handle`'s result (and the
 * memory it hands back by transfer), or with the stack of an unexpected error (a bug: expected
 * problems are part of a result).
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

export function serveBatches<I, O>(handle: (input: I) => Handled<O>): void {
  const port = parentPort;
  if (!port) throw new Error('a pool worker runs as a worker thread (see src/workers/worker-pool.ts)');
  port.on('message', ({ seq, input }: BatchRequest<I>) => {
    let reply: BatchReply<O>;
    let transfer: readonly ArrayBuffer[] = [];
    try {
      const handled = handle(input);
      reply = { seq, result: handled.result };
      transfer = handled.transfer ?? [];
    } catch (error) {
      reply = { seq, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply, transfer as ArrayBuffer[]);
  });
}
