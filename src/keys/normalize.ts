/**
 * The normalisation behind the content key. It must give the same string on every machine:
 * `toLowerCase` (not `toLocaleLowerCase`) is locale-independent, and NFKC is fixed by Unicode.
 * Changing what this function returns changes every selection: it is versioned in
 * docs/determinism.md. Two shortcuts make it about twice as fast as the plain definition and
 * return exactly the same string (test/select/normalize.test.ts checks both against it):
 *
 * - NFKC (most of the cost) is skipped for text made only of characters NFKC leaves alone
 *   whatever surrounds them: ASCII and C1 controls, the precomposed Latin letters U+00C0–U+0131,
 *   en and em dash, the ideographic full stop and the CJK unified ideographs (each checked over
 *   the BMP, in context, by the test; `nfkcMayChange`). Combining marks, fullwidth forms, ligatures and odd spaces
 *   fall outside the set and take the full path.
 * - White space: only runs that are not already a single ' ' are rewritten, so the common single
 *   spaces cost nothing.
 */
import { nfkcMayChange } from '../text/normalize.js';

/** Every maximal run of JS white space (`\s`) except a lone ' ', which `/\s+/g → ' '` keeps as it is. */
const WHITESPACE_TO_REWRITE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]\s*| \s+/g;

/** NFKC, lower-case without locale, white space runs collapsed to one space, trimmed. */
export function normalizeForKey(text: string): string {
  const composed = nfkcMayChange(text) ? text.normalize('NFKC') : text;
  return composed.toLowerCase().replace(WHITESPACE_TO_REWRITE, ' ').trim();
}

/** The definition the shortcuts must agree with (docs/determinism.md); for tests and docs. */
export function normalizeForKeyPlain(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
