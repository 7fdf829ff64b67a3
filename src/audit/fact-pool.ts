/**
 * Worker threads for the pure half of an audit (`record-facts.ts`): batches of record texts in,
 * their facts out. Each batch goes to the least busy worker and comes back as a promise; the
 * caller awaits them in reading order (`record-feed.ts`), so which worker finishes first never
 * matters and any worker count gives the same report.
 *
 * Failure is never a hang: a worker that throws, dies or cannot start rejects every pending batch
 * with an INTERNAL error, and an aborted signal terminates the workers and rejects with
 * INTERRUPTED. `close()` must follow every pool (the workers keep the process alive until then).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MixsmithError } from '../errors.js';
import type { FactBatch, FactInput, FactSettings } from './record-facts.js';

/** A request to a fact worker and its reply. */
export interface FactRequest {
  readonly seq: number;
  readonly input: FactInput;
}
export type FactReply = { readonly seq: number; readonly batch: FactBatch } | { readonly seq: number; readonly failure: string };

/** What a worker is started with. */
export interface FactWorkerData {
  readonly settings: FactSettings;
  /** The TypeScript entry, when running from sources (see `workerEntry`). */
  readonly entry?: string;
}

/** More workers than this gain little: this thread's reading and counting become the limit. */
const MAX_DEFAULT_WORKERS = 4;

/** Below this many bytes of files a subject is audited on this thread: starting workers costs about what they save. */
export const MIN_POOL_BYTES = 4 << 20;

/** The default worker count: one per core, at most `MAX_DEFAULT_WORKERS`; none on one core. */
export function defaultFactWorkers(): number {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(cores, MAX_DEFAULT_WORKERS);
}

/**
 * The worker's entry file. Built (dist/), the compiled worker sits beside this file. From
 * TypeScript sources (tsx, vitest), Node 20 cannot start a .ts worker, so a small bootstrap loads
 * it through tsx, a development dependency that is present exactly then.
 */
function workerEntry(): { file: URL; entry?: string } {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith('.ts')) return { file: new URL('./fact-worker.js', here) };
  return { file: new URL('./fact-worker-bootstrap.mjs', here), entry: new URL('./fact-worker.ts', here).href };
}

interface Pending {
  readonly worker: number;
  readonly resolve: (batch: FactBatch) => void;
  readonly reject: (error: unknown) => void;
}

let live = 0;

/** Fact workers currently running in this process (tests check that none outlive an audit). */
export function liveFactWorkers(): number {
  return live;
}

export class FactPool {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextSeq = 0;
  private failure: unknown;
  private closing = false;
  private readonly onAbort = () => this.fail(new MixsmithError('INTERRUPTED', 'interrupted'));

  constructor(
    readonly size: number,
    settings: FactSettings,
    private readonly signal?: AbortSignal | undefined,
  ) {
    const { file, entry } = workerEntry();
    const workerData: FactWorkerData = entry === undefined ? { settings } : { settings, entry };
    for (let i = 0; i < size; i++) this.workers.push(this.start(i, file, workerData));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.onAbort();
  }

  private start(index: number, file: URL, workerData: FactWorkerData): Worker {
    const worker = new Worker(file, { workerData });
    live++;
    this.busy.push(0);
    worker.on('message', (reply: FactReply) => this.settle(index, reply));
    worker.on('error', (error) => this.fail(new MixsmithError('INTERNAL', `an audit worker failed: ${error.message}`, { cause: error })));
    worker.on('messageerror', (error) => this.fail(new MixsmithError('INTERNAL', `an audit worker sent an unreadable message: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      live--;
      if (!this.closing) this.fail(new MixsmithError('INTERNAL', `an audit worker exited unexpectedly (exit code ${code})`));
    });
    return worker;
  }

  /** The facts of one batch. */
  compute(input: FactInput): Promise<FactBatch> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = this.nextSeq++;
    let worker = 0;
    for (let i = 1; i < this.busy.length; i++) if (this.busy[i]! < this.busy[worker]!) worker = i;
    this.busy[worker]!++;
    return new Promise<FactBatch>((resolve, reject) => {
      this.pending.set(seq, { worker, resolve, reject });
      const request: FactRequest = { seq, input };
      this.workers[worker]!.postMessage(request);
    });
  }

  private settle(index: number, reply: FactReply): void {
    const pending = this.pending.get(reply.seq);
    if (!pending) return;
    this.pending.delete(reply.seq);
    this.busy[index]!--;
    if ('batch' in reply) pending.resolve(reply.batch);
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
    this.fail(new MixsmithError('INTERNAL', 'the audit worker pool was closed with batches in flight'));
    await this.terminate();
  }
}

function workerFailure(stack: string): MixsmithError {
  const cause = new Error(stack.split('\n')[0]);
  cause.stack = stack;
  return new MixsmithError('INTERNAL', `an audit worker failed: ${cause.message}`, { cause });
}
