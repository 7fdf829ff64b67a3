/**
 * The normalisation behind the content key. It must give the same string on every machine:
 * `toLowerCase` (not `toLocaleLowerCase`) is locale-independent, and NFKC is fixed by Unicode.
 * Changing this function changes every selection: it is versioned in docs/determinism.md.
 *
 * NFKC is most of the scan's per-record cost and leaves ASCII unchanged, so ASCII-only text skips
 * it (the result is identical; test/select/normalize.test.ts checks it against the plain form).
 */

const WHITESPACE_RUN = /\s+/g;
const NON_ASCII = /[\u0080-\uffff]/;

/** NFKC, lower-case without locale, white space runs collapsed to one space, trimmed. */
export function normalizeForKey(text: string): string {
  const composed = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  return composed.toLowerCase().replace(WHITESPACE_RUN, ' ').trim();
}
