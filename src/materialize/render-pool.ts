/**
 * Worker threads for the write phase's per-record step (decode, parse, map, check, render,
 * serialise): a `WorkerPool` of render-worker.ts. The caller awaits batches in its own order
 * (compose/render-in-workers.ts), so any worker count gives the same output.
 */
import type { RenderContext, RenderedLines, RenderInput } from './render-lines.js';
import { transferOfRender } from './render-lines.js';
import { liveWorkers, WorkerPool, workerScript } from '../workers/worker-pool.js';

/** A batch as it crosses: the file's context (workers compile it once per file) and its records. */
export interface RenderRequest {
  readonly context: RenderContext;
  readonly input: RenderInput;
}

/** Render workers currently running in this process (tests check that none outlive a run). */
export function liveRenderWorkers(): number {
  return liveWorkers('render');
}

export class RenderPool {
  private readonly pool: WorkerPool<RenderRequest, RenderedLines>;

  constructor(size: number, signal?: AbortSignal | undefined) {
    this.pool = new WorkerPool({
      size,
      kind: 'render',
      script: workerScript(import.meta.url, './render-worker'),
      signal,
    });
  }

  get size(): number {
    return this.pool.size;
  }

  /** The lines of one batch. The input's memory is transferred: don't touch it after this call. */
  render(context: RenderContext, input: RenderInput): Promise<RenderedLines> {
    return this.pool.run({ context, input }, transferOfRender(input));
  }

  /** Stop every worker; pending batches are rejected. Safe to call more than once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
