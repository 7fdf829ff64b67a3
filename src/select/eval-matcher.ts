/**
 * The decontamination matcher behind `decontaminate:`: the recipe's eval items in the n-gram
 * index of src/decontam, with the recipe's n-gram sizes and threshold over the defaults.
 */
import { DEFAULT_DECONTAM_SETTINGS } from '../decontam/defaults.js';
import { EvalIndex } from '../decontam/eval-index.js';
import type { DecontaminateSpec } from '../recipe/types.js';
import type { EvalItem } from './eval-sets.js';
import type { EvalMatcher } from './filter-candidates.js';

export function buildEvalMatcher(items: readonly EvalItem[], spec: DecontaminateSpec): EvalMatcher {
  const index = new EvalIndex({
    ...DEFAULT_DECONTAM_SETTINGS,
    ...(spec.ngram !== null ? { wordN: spec.ngram } : {}),
    ...(spec.char_ngram !== null ? { charN: spec.char_ngram } : {}),
    ...(spec.threshold !== null ? { threshold: spec.threshold } : {}),
  });
  for (const item of items) index.add(item);
  return { match: (text) => index.match(text) };
}
