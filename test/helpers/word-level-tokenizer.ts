/** A tiny word-level tokenizer.json in Hugging Face's format: every word is one token (`[UNK]`). */
export const WORD_LEVEL_TOKENIZER = {
  version: '1.0',
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: 'Whitespace' },
  post_processor: null,
  decoder: null,
  model: { type: 'WordLevel', vocab: { '[UNK]': 0 }, unk_token: '[UNK]' },
};
