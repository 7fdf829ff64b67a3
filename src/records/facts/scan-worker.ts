/**
 * A scan worker: batches of records in, their outcomes out (compose/record-outcome.ts). It keeps
 * no state but the current file's compiled mapper and filters, so any batch may go to any worker.
 */
import { analyzeInput, type CompiledContext, compileContext } from './record-outcome.js';
import type { AnalyzedInput, ScanRequest } from './scan-pool.js';
import { serveBatches } from '../../workers/serve-batches.js';

let compiled: CompiledContext | undefined;

serveBatches<ScanRequest, AnalyzedInput>(({ context, input }) => {
  if (compiled?.context.file !== context.file) compiled = compileContext(context);
  const outcome = analyzeInput(input, compiled);
  // A lines batch's block goes back with the outcome: the scan may still decode its records.
  const bytes = input.kind === 'lines' ? input.bytes : undefined;
  const transfer = [
    outcome.digests.buffer,
    outcome.keyed.buffer,
    outcome.chars.buffer,
    ...(bytes ? [bytes.buffer] : []),
  ] as ArrayBuffer[];
  return { result: bytes ? { outcome, bytes } : { outcome }, transfer };
});
