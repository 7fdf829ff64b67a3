/**
 * The decontamination matcher behind `decontaminate:`: the recipe's eval items in the index of
 * src/decontam (exact layer and n-gram overlap), with the recipe's settings over the defaults.
 */
import { DEFAULT_DECONTAM_SETTINGS, type DecontamSettings } from '../decontam/defaults.js';
import { EvalIndex, type EvalItem } from '../decontam/eval-index.js';
import { MixsmithError } from '../errors.js';
import type { DecontaminateSpec } from '../recipe/types.js';
import type { EvalMatcher } from './filter-candidates.js';

/** The recipe's `decontaminate:` numbers over the documented defaults. */
export function decontamSettingsOf(spec: DecontaminateSpec): DecontamSettings {
  const d = DEFAULT_DECONTAM_SETTINGS;
  return {
    wordN: spec.ngram ?? d.wordN,
    charN: spec.char_ngram ?? d.charN,
    threshold: spec.threshold ?? d.threshold,
    minWordTokens: spec.min_words ?? Math.min(d.minWordTokens, spec.ngram ?? d.wordN),
    minCharTokens: spec.min_chars ?? Math.min(d.minCharTokens, spec.char_ngram ?? d.charN),
    exactMinWordTokens: spec.exact_min_words ?? d.exactMinWordTokens,
    exactMinCharTokens: spec.exact_min_chars ?? d.exactMinCharTokens,
    commonGramItems: spec.common_gram_items ?? d.commonGramItems,
  };
}

export function buildEvalMatcher(items: readonly EvalItem[], spec: DecontaminateSpec): EvalMatcher {
  let index: EvalIndex;
  try {
    index = new EvalIndex(decontamSettingsOf(spec));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new MixsmithError('RECIPE_CONFLICT', `decontaminate: ${error.message}`, {
      hint: 'min_words must not exceed ngram, nor min_chars char_ngram',
    });
  }
  for (const item of items) index.add(item);
  // The filled index moves to shared memory at once and this thread matches from there too, so
  // worker threads (`candidate-facts-pool.ts`) can use it without a second copy ever existing.
  const shared = index.toShared();
  const matcher = EvalIndex.fromShared(shared);
  return {
    match: (text) => matcher.match(text),
    matchTokens: (normalized, tokens, text) => matcher.matchTokens(normalized, tokens, text),
    stats: () => matcher.setStats(),
    shared: () => shared,
  };
}
