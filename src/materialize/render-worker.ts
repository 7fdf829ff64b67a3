/**
 * A render worker: batches of records read again by offset in, their output lines out
 * (compose/render-lines.ts). It keeps no state but the current file's compiled context, so any
 * batch may go to any worker.
 */
import { type CompiledRender, compileRender, renderLines, transferOfRender } from './render-lines.js';
import type { RenderRequest } from './render-pool.js';
import { serveBatches } from '../workers/serve-batches.js';

let compiled: CompiledRender | undefined;

serveBatches<RenderRequest, ReturnType<typeof renderLines>>(({ context, input }) => {
  if (compiled?.context.file !== context.file) compiled = compileRender(context);
  const result = renderLines(input, compiled);
  return { result, transfer: transferOfRender(result) };
});
