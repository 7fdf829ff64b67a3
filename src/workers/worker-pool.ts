/**
 * A pool of worker threads for pure batch work (the scan's per-record step, the audit's record
 * facts): each batch goes to the least busy worker and comes back as a promise; callers await
 * them in their own order, so which worker finishes first never matters.
 *
 * Failure is never a hang: a worker that throws, dies or cannot start rejects every pending batch
 * with an INTERNAL error, and an aborted signal terminates the workers and rejects with
 * INTERRUPTED. `close()` must follow every pool (the workers keep the process alive until then).
 * The worker side is `serveBatches` (serve-batches.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MixsmithError } from '../errors.js';

/** More workers than this gain little: the main thread's reading and bookkeeping become the limit. */
const MAX_DEFAULT_WORKERS = 4;

/**
 * Without an explicit worker count, inputs smaller than this stay on the main thread: starting
 * workers costs tens of milliseconds (more under tsx), about what they save on 4 MB.
 */
export const MIN_POOL_BYTES = 4 << 20;

/** The default worker count: one per core, at most MAX_DEFAULT_WORKERS; none on one core. */
export function defaultWorkerCount(): number {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(cores, MAX_DEFAULT_WORKERS);
}

/**
 * Each worker's young generation, in MB. V8 lets it grow to 48 MB per thread; with two workers
 * beside the main thread that was the largest share of W2's peak memory that does not grow with
 * the output. A batch's garbage dies young either way: at 2 × 1M, W2's peak fell from ~575 to
 * ~490 MiB and W1's from ~410 to ~390 MiB, wall and CPU time unchanged (docs/benchmarks.md).
 */
export const WORKER_YOUNG_GENERATION_MB = 6;

/** Records a message to a worker should carry at least: a message costs about as much as a few dozen records. */
export const MIN_MESSAGE_RECORDS = 512;

/** Batches in flight per worker: enough that no worker waits on the main thread, few enough to bound memory. */
export const IN_FLIGHT_PER_WORKER = 3;

/** A request as it crosses, and its reply. */
export interface BatchRequest<I> {
  readonly seq: number;
  readonly input: I;
}
export type BatchReply<O> =
  | { readonly seq: number; readonly result: O }
  | { readonly seq: number; readonly failure: string };

/** What every worker is started with: the caller's data, and the TypeScript entry when running from sources. */
export interface PoolWorkerData<D> {
  readonly data: D;
  readonly entry?: string;
}

/**
 * The file to start for worker module `name` (without extension) beside `callerUrl`. Built
 * (dist/), that is the compiled .js. From TypeScript sources (tsx, vitest) Node 20 cannot start a
 * .ts worker, so a small bootstrap loads it through tsx, a development dependency that is present
 * exactly then.
 */
export function workerScript(callerUrl: string, name: string): { file: URL; entry?: string } {
  const caller = new URL(callerUrl);
  if (!caller.pathname.endsWith('.ts')) return { file: new URL(`./${name}.js`, caller) };
  return { file: new URL('./tsx-bootstrap.mjs', import.meta.url), entry: new URL(`./${name}.ts`, caller).href };
}

const live = new Map<string, number>();

/** Workers of this kind currently running in this process (tests check that none outlive a run). */
export function liveWorkers(kind: string): number {
  return live.get(kind) ?? 0;
}

export interface PoolOptions<D> {
  readonly size: number;
  readonly script: { file: URL; entry?: string };
  /** Names the workers in errors and `liveWorkers`: "scan", "audit". */
  readonly kind: string;
  readonly data?: D;
  readonly signal?: AbortSignal | undefined;
}

interface Pending<O> {
  readonly worker: number;
  readonly resolve: (result: O) => void;
  readonly reject: (error: unknown) => void;
}

export class WorkerPool<I, O, D = undefined> {
  readonly size: number;
  private readonly kind: string;
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly pending = new Map<number, Pending<O>>();
  private nextSeq = 0;
  private failure: unknown;
  private closing = false;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort = () => this.fail(new MixsmithError('INTERRUPTED', 'interrupted'));

  constructor(options: PoolOptions<D>) {
    this.size = options.size;
    this.kind = options.kind;
    this.signal = options.signal;
    const { file, entry } = options.script;
    const workerData: PoolWorkerData<D | undefined> =
      entry === undefined ? { data: options.data } : { data: options.data, entry };
    for (let i = 0; i < options.size; i++) this.workers.push(this.start(i, file, workerData));
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.signal?.aborted) this.onAbort();
  }

  private start(index: number, file: URL, workerData: PoolWorkerData<D | undefined>): Worker {
    const worker = new Worker(file, {
      workerData,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    live.set(this.kind, liveWorkers(this.kind) + 1);
    this.busy.push(0);
    worker.on('message', (reply: BatchReply<O>) => this.settle(index, reply));
    worker.on('error', (error) =>
      this.fail(new MixsmithError('INTERNAL', `${this.article()} failed: ${error.message}`, { cause: error })),
    );
    worker.on('messageerror', (error) =>
      this.fail(
        new MixsmithError('INTERNAL', `${this.article()} sent an unreadable message: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    worker.on('exit', (code) => {
      live.set(this.kind, liveWorkers(this.kind) - 1);
      if (!this.closing)
        this.fail(new MixsmithError('INTERNAL', `${this.article()} exited unexpectedly (exit code ${code})`));
    });
    return worker;
  }

  private article(): string {
    return `${/^[aeiou]/.test(this.kind) ? 'an' : 'a'} ${this.kind} worker`;
  }

  /** The result of one batch. Memory in `transfer` moves to the worker: don't touch it until this settles. */
  run(input: I, transfer: readonly ArrayBuffer[] = []): Promise<O> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = this.nextSeq++;
    let worker = 0;
    for (let i = 1; i < this.busy.length; i++) if (this.busy[i]! < this.busy[worker]!) worker = i;
    this.busy[worker]!++;
    return new Promise<O>((resolve, reject) => {
      this.pending.set(seq, { worker, resolve, reject });
      const request: BatchRequest<I> = { seq, input };
      this.workers[worker]!.postMessage(request, transfer as ArrayBuffer[]);
    });
  }

  private settle(index: number, reply: BatchReply<O>): void {
    const pending = this.pending.get(reply.seq);
    if (!pending) return;
    this.pending.delete(reply.seq);
    this.busy[index]!--;
    if ('result' in reply) pending.resolve(reply.result);
    else pending.reject(this.workerFailure(reply.failure));
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
    this.fail(new MixsmithError('INTERNAL', `the ${this.kind} worker pool was closed with batches in flight`));
    await this.terminate();
  }

  private workerFailure(stack: string): MixsmithError {
    const cause = new Error(stack.split('\n')[0]);
    cause.stack = stack;
    return new MixsmithError('INTERNAL', `${this.article()} failed: ${cause.message}`, { cause });
  }
}
