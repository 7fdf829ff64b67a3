/**
 * The decontamination matcher behind `decontaminate:`, over the n-gram index of src/decontam.
 */
import type { DecontaminateSpec } from '../recipe/types.js';
import type { EvalItem } from './eval-sets.js';
import type { EvalMatcher } from './filter-candidates.js';

export function buildEvalMatcher(items: readonly EvalItem[], spec: DecontaminateSpec): EvalMatcher {
  void items;
  void spec;
  throw new Error('decontamination index not wired yet');
}
