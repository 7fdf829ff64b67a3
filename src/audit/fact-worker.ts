/**
 * An audit worker: batches of record texts in, their facts out (`record-facts.ts`). It keeps no
 * state but its `FactComputer` (its own copy of the eval n-gram index), so any batch may go to
 * any worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FactReply, FactRequest, FactWorkerData } from './fact-pool.js';
import { FactComputer, transferablesOf } from './record-facts.js';

const port = parentPort;
if (!port) throw new Error('fact-worker.js runs as a worker thread (see fact-pool.ts)');

// Requests wait in the port until the listener below is attached, after the tokenizer loads.
const computer = await FactComputer.create((workerData as FactWorkerData).settings);

port.on('message', ({ seq, input }: FactRequest) => {
  let reply: FactReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const batch = computer.compute(input);
    reply = { seq, batch };
    transfer = transferablesOf(batch);
  } catch (error) {
    reply = { seq, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply, transfer);
});
