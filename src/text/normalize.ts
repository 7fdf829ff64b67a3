/**
 * The normalisation every shingle and n-gram sees: NFKC (full-width forms, ligatures and
 * compatibility characters fold to their plain form, so "ＡＢＣ" and "ﬁ" match "abc" and "fi"),
 * then `toLowerCase` (locale-independent, unlike `toLocaleLowerCase`).
 *
 * White space and punctuation are not removed here: the tokeniser treats them as separators, so
 * "Hello, world!" and "hello world" give the same tokens. Traditional and simplified Chinese are
 * not folded into each other. NFKC is skipped where it cannot change the text (`nfkcMayChange`).
 */
export function normalizeForTokens(text: string): string {
  return (nfkcMayChange(text) ? text.normalize('NFKC') : text).toLowerCase();
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the set starts at U+0000 on purpose
const NFKC_MAY_CHANGE = /[^\x00-\x9f\u00c0-\u0131\u2013\u2014\u3002\u4e00-\u9fff]/;

/**
 * False when NFKC certainly leaves `text` unchanged, so normalising can skip it (most of its cost):
 * the text is made only of characters NFKC leaves alone whatever surrounds them (ASCII and C1
 * controls, the precomposed Latin letters U+00C0–U+0131, en and em dash, the ideographic full stop,
 * the CJK unified ideographs; each checked over the BMP, in context, by test/keys/normalize.test.ts).
 */
export function nfkcMayChange(text: string): boolean {
  return NFKC_MAY_CHANGE.test(text);
}
