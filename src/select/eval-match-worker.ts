/**
 * A decontamination worker: batches of training texts in, the eval item each contains (or null)
 * out, matched with the pool's shared eval index (read in place, never copied or rebuilt).
 */
import { EvalIndex, type SharedEvalIndex } from '../decontam/eval-index.js';
import { poolData, serveBatches } from '../workers/serve-batches.js';
import type { EvalMatchBatch } from './eval-match-pool.js';

let index: EvalIndex | undefined;

serveBatches<readonly string[], EvalMatchBatch>((texts) => {
  index ??= EvalIndex.fromShared(poolData<SharedEvalIndex>());
  return { result: texts.map((text) => index!.match(text) ?? null) };
});
