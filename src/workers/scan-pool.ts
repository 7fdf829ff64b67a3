/**
 * Worker threads for the pure half of the scan (parse, map, filter, normalise, hash). Each batch
 * goes to the least busy worker and comes back as a promise; the caller awaits them in its own
 * order (compose/analyzed-batches.ts), so which worker finishes first never matters.
 *
 * Failure is never a hang: a worker that throws, dies or cannot start rejects every pending batch
 * with an INTERNAL error, and an aborted signal terminates the workers and rejects with
 * INTERRUPTED. `close()` must follow every pool (the workers keep the process alive until then).
 */
import { Worker } from 'node:worker_threads';
import { MixsmithError } from '../errors.js';
import { type BatchInput, type BatchOutcome, type RecordContext, transferOf } from '../compose/record-outcome.js';
import type { WorkerReply, WorkerRequest } from './scan-worker-messages.js';

/** A batch's outcome, with a lines batch's bytes handed back. */
export interface AnalyzedInput {
  readonly outcome: BatchOutcome;
  readonly bytes?: Uint8Array | undefined;
}

interface Pending {
  readonly worker: number;
  readonly resolve: (analyzed: AnalyzedInput) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The worker's entry file. Built (dist/), the compiled worker sits beside this file. Running from
 * TypeScript sources (tsx, vitest), Node 20 cannot load a .ts worker by itself, so a small
 * bootstrap loads it through tsx, a development dependency that is present exactly then.
 */
function workerEntry(): { file: URL; workerData?: { entry: string } } {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith('.ts')) return { file: new URL('./scan-worker.js', here) };
  return { file: new URL('./tsx-bootstrap.mjs', here), workerData: { entry: new URL('./scan-worker.ts', here).href } };
}

let live = 0;

/** Scan workers currently running in this process (tests check that none outlive a run). */
export function liveScanWorkers(): number {
  return live;
}

export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextSeq = 0;
  private failure: unknown;
  private closing = false;
  private readonly onAbort = () => this.fail(new MixsmithError('INTERRUPTED', 'interrupted'));

  constructor(
    readonly size: number,
    private readonly signal?: AbortSignal | undefined,
  ) {
    const entry = workerEntry();
    for (let i = 0; i < size; i++) this.workers.push(this.start(i, entry));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.onAbort();
  }

  private start(index: number, entry: ReturnType<typeof workerEntry>): Worker {
    const worker = new Worker(entry.file, entry.workerData ? { workerData: entry.workerData } : {});
    live++;
    this.busy.push(0);
    worker.on('message', (reply: WorkerReply) => this.settle(index, reply));
    worker.on('error', (error) => this.fail(new MixsmithError('INTERNAL', `a scan worker failed: ${error.message}`, { cause: error })));
    worker.on('messageerror', (error) => this.fail(new MixsmithError('INTERNAL', `a scan worker sent an unreadable message: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      live--;
      if (!this.closing) this.fail(new MixsmithError('INTERNAL', `a scan worker exited unexpectedly (exit code ${code})`));
    });
    return worker;
  }

  /** The outcomes of one batch of a file's records. The input's memory is transferred: don't touch it until this settles. */
  analyze(context: RecordContext, input: BatchInput): Promise<AnalyzedInput> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = this.nextSeq++;
    let worker = 0;
    for (let i = 1; i < this.busy.length; i++) if (this.busy[i]! < this.busy[worker]!) worker = i;
    this.busy[worker]!++;
    return new Promise<AnalyzedInput>((resolve, reject) => {
      this.pending.set(seq, { worker, resolve, reject });
      const request: WorkerRequest = { seq, context, input };
      this.workers[worker]!.postMessage(request, transferOf(input));
    });
  }

  private settle(index: number, reply: WorkerReply): void {
    const pending = this.pending.get(reply.seq);
    if (!pending) return;
    this.pending.delete(reply.seq);
    this.busy[index]!--;
    if ('outcome' in reply) pending.resolve({ outcome: reply.outcome, bytes: reply.bytes });
    else pending.reject(workerFailure(reply.failure));
  }

  /** Reject everything pending (and later calls) with `error`, and stop the workers. */
  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    void this.terminate();
  }

  private async terminate(): Promise<void> {
    this.closing = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** Stop every worker; pending batches are rejected. Safe to call more than once. */
  async close(): Promise<void> {
    this.fail(new MixsmithError('INTERNAL', 'the scan pool was closed with batches in flight'));
    await this.terminate();
  }
}

function workerFailure(stack: string): MixsmithError {
  const cause = new Error(stack.split('\n')[0]);
  cause.stack = stack;
  return new MixsmithError('INTERNAL', `a scan worker failed: ${cause.message}`, { cause });
}
