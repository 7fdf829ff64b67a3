/** An n-gram eval index over `items` with the default settings, in shared memory (as `loadEvals` hands it on). */
import { EvalIndex, type EvalItem, type SharedEvalIndex } from '../../src/decontam/eval-index.js';

export function sharedIndexOf(items: readonly EvalItem[]): SharedEvalIndex {
  const index = new EvalIndex();
  for (const item of items) index.add(item);
  return index.toShared();
}
