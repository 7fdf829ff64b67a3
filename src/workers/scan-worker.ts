/**
 * A scan worker: batches of records in, their outcomes out (compose/record-outcome.ts). It keeps
 * no state but the current file's compiled mapper and filters, so any batch may go to any worker.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeInput, type CompiledContext, compileContext } from '../compose/record-outcome.js';
import type { WorkerReply, WorkerRequest } from './scan-worker-messages.js';

const port = parentPort;
if (!port) throw new Error('scan-worker.js runs as a worker thread (see scan-pool.ts)');

let compiled: CompiledContext | undefined;

port.on('message', ({ seq, context, input }: WorkerRequest) => {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    if (compiled?.context.file !== context.file) compiled = compileContext(context);
    const outcome = analyzeInput(input, compiled);
    const bytes = input.kind === 'lines' ? input.bytes : undefined;
    reply = bytes ? { seq, outcome, bytes } : { seq, outcome };
    transfer = [outcome.digests.buffer, outcome.keyed.buffer, outcome.chars.buffer, ...(bytes ? [bytes.buffer] : [])] as ArrayBuffer[];
  } catch (error) {
    reply = { seq, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply, transfer);
});
