/**
 * The normalisation every shingle and n-gram sees: NFKC (full-width forms, ligatures and
 * compatibility characters fold to their plain form, so "ＡＢＣ" and "ﬁ" match "abc" and "fi"),
 * then `toLowerCase` (locale-independent, unlike `toLocaleLowerCase`).
 *
 * White space and punctuation are not removed here: the tokeniser treats them as separators, so
 * "Hello, world!" and "hello world" give the same tokens. Traditional and simplified Chinese are
 * not folded into each other.
 */
export function normalizeForTokens(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
