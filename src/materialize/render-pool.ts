/**
 * Worker threads for the write phase's per-record step (decode, parse, map, check, render,
 * serialise): a `WorkerPool` of render-worker.ts. The caller awaits batches in its own order
 * (compose/render-in-workers.ts), so any worker count gives the same output.
 */
import type { CompiledRender, RenderContext, RenderedLines, RenderInput } from './render-lines.js';
import { compileRender, renderBatch, transferOfRender } from './render-lines.js';
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

/** Where batches are rendered: worker threads (`RenderPool`) or this thread (`InlineRenderer`). */
export interface BatchRenderer {
  readonly size: number;
  render(context: RenderContext, input: RenderInput): Promise<RenderedLines>;
  close(): Promise<void>;
}

/**
 * Batches rendered on this thread by the workers' own step (`renderBatch`): for a write phase of
 * huge records and little else, where a worker would add its own memory for nothing.
 */
export class InlineRenderer implements BatchRenderer {
  readonly size = 1;
  private compiled: CompiledRender | undefined;

  async render(context: RenderContext, input: RenderInput): Promise<RenderedLines> {
    if (this.compiled?.context !== context) this.compiled = compileRender(context);
    return renderBatch(input, this.compiled);
  }

  async close(): Promise<void> {}
}

export class RenderPool implements BatchRenderer {
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
