/**
 * `--tokenizer NAME`: which of the shared token counters (`tokens/token-counter.ts`, the ones
 * compose uses) the audit counts with, so an audit counts exactly what a token-budgeted recipe
 * counted. The default is the labelled character estimate: a real tokenizer runs at about
 * 1 M tokens/s, slower than the rest of the audit of a 200,000-record mixture together; name one
 * when a `tokens.p95<=8192` rule must hold for real.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { TOKENIZER_NAMES } from '../recipe/names.js';
import type { TokenizerSpec } from '../recipe/types.js';
import type { TokenCounter } from '../tokens/token-counter.js';

/** Built-in names `--tokenizer` accepts; a path to a Hugging Face tokenizer.json works too. */
export const TOKENIZERS = TOKENIZER_NAMES;

/**
 * The counter spec for a `--tokenizer` value (relative tokenizer.json paths from `cwd`). Checked
 * here rather than left to the loader, whose error speaks of the recipe's `mixture.tokenizer`.
 */
export function tokenizerSpec(name: string, cwd: string): TokenizerSpec {
  if ((TOKENIZERS as readonly string[]).includes(name)) return name as (typeof TOKENIZERS)[number];
  if (name.endsWith('.json') && existsSync(path.resolve(cwd, name))) return { path: name };
  throw new MixsmithError('USAGE', `unknown tokenizer "${name}"`, {
    hint: `choose one of: ${TOKENIZERS.join(', ')}, or give the path of a tokenizer.json`,
  });
}

/** What a report prints next to token figures: the method, and how to get real counts when estimated. */
export function tokenLabel(counter: TokenCounter): string {
  return counter.estimated
    ? `≈ tokens (${counter.method}; --tokenizer o200k_base counts them)`
    : `tokens (${counter.method})`;
}
