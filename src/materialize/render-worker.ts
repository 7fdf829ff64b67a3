/**
 * A render worker: batches of records read again by offset in, their output lines out
 * (compose/render-lines.ts). It keeps no state but the current file's compiled context, so any
 * batch may go to any worker.
 */
import {
  type CompiledRender,
  compileRender,
  type RenderedLines,
  renderBatch,
  transferOfRender,
} from './render-lines.js';
import type { RenderRequest } from './render-pool.js';
import { serveBatches } from '../workers/serve-batches.js';

let compiled: CompiledRender | undefined;

const handled = (result: RenderedLines) => ({ result, transfer: transferOfRender(result) });

serveBatches<RenderRequest, RenderedLines>(({ context, input }) => {
  if (compiled?.context.file !== context.file) compiled = compileRender(context);
  const result = renderBatch(input, compiled);
  return result instanceof Promise ? result.then(handled) : handled(result);
});
