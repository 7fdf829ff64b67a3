/**
 * Token counts for the audit. The default is a labelled estimate (characters / 4), because the
 * real tokenizer runs at about 0.6–1 M tokens/s here: tokenising a 200,000-record mixture would
 * take longer than the rest of the audit together. `o200k_base` (tiktoken, the GPT-4o encoding)
 * is there when a `tokens.p95<=8192` rule must hold for real. The tiktoken dependency lives in
 * this one module and is loaded only when asked for.
 */
import { MixsmithError } from '../errors.js';

export const TOKENIZERS = ['chars', 'o200k_base'] as const;
export type TokenizerName = (typeof TOKENIZERS)[number];

export interface TokenCounter {
  readonly name: TokenizerName;
  /** What a report prints next to token figures. */
  readonly label: string;
  /** True when counts are estimated, not produced by a tokenizer. */
  readonly estimate: boolean;
  count(text: string): number;
  /** Release the tokenizer's memory (WASM). */
  close(): void;
}

/** Characters per token of the estimate: the usual rule of thumb for English on BPE tokenizers. */
export const CHARS_PER_TOKEN = 4;

const charsEstimate: TokenCounter = {
  name: 'chars',
  label: `≈ tokens (characters / ${CHARS_PER_TOKEN}, an estimate; use --tokenizer o200k_base to count)`,
  estimate: true,
  count: (text) => Math.ceil(text.length / CHARS_PER_TOKEN),
  close: () => {},
};

/** A counter by name; throws USAGE for an unknown name. */
export async function tokenCounter(name: string): Promise<TokenCounter> {
  if (name === 'chars') return charsEstimate;
  if (name !== 'o200k_base') {
    throw new MixsmithError('USAGE', `unknown tokenizer "${name}"`, { hint: `choose one of: ${TOKENIZERS.join(', ')}` });
  }
  const { get_encoding } = await import('tiktoken');
  const encoding = get_encoding('o200k_base');
  return {
    name: 'o200k_base',
    label: 'tokens (o200k_base)',
    estimate: false,
    // encode_ordinary: text that happens to contain "<|endoftext|>" is counted, not rejected.
    count: (text) => encoding.encode_ordinary(text).length,
    close: () => encoding.free(),
  };
}
