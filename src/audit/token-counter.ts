/**
 * Token counts for the audit, through the tokenizers compose uses (`tokens/token-counter.ts`), so
 * an audit counts exactly what a token-budgeted recipe counted. The default is the labelled
 * character estimate: a real tokenizer runs at about 1 M tokens/s here, slower than the rest of
 * the audit of a 200,000-record mixture together; name one when a `tokens.p95<=8192` rule must
 * hold for real.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { createTokenCounter, type TokenizerSpec } from '../tokens/token-counter.js';

/** Built-in names `--tokenizer` accepts; a path to a Hugging Face tokenizer.json works too. */
export const TOKENIZERS = ['chars', 'o200k_base', 'cl100k_base'] as const;

export interface TokenCounter {
  /** As given: a built-in name or a tokenizer.json path. */
  readonly name: string;
  /** What a report prints next to token figures. */
  readonly label: string;
  /** True when counts are estimated, not produced by a tokenizer. */
  readonly estimate: boolean;
  count(text: string): number;
  /** Release the tokenizer's memory (WASM). */
  close(): void;
}

function specOf(name: string, cwd: string): TokenizerSpec {
  if ((TOKENIZERS as readonly string[]).includes(name)) return name as (typeof TOKENIZERS)[number];
  if (name.endsWith('.json') && existsSync(path.resolve(cwd, name))) return { path: name };
  throw new MixsmithError('USAGE', `unknown tokenizer "${name}"`, { hint: `choose one of: ${TOKENIZERS.join(', ')}, or give the path of a tokenizer.json` });
}

/** A counter by name (relative tokenizer.json paths from `cwd`); throws USAGE for an unknown name. */
export async function tokenCounter(name: string, cwd = '.'): Promise<TokenCounter> {
  const inner = await createTokenCounter(specOf(name, cwd), cwd);
  return {
    name,
    label: inner.estimated ? `≈ tokens (${inner.method}; --tokenizer o200k_base counts them)` : `tokens (${inner.method})`,
    estimate: inner.estimated,
    count: (text) => inner.count(text),
    close: () => inner.free(),
  };
}
