/**
 * The normalisation behind the content key. It must give the same string on every machine:
 * `toLowerCase` (not `toLocaleLowerCase`) is locale-independent, and NFKC is fixed by Unicode.
 * Changing this function changes every selection: it is versioned in docs/determinism.md.
 */

const WHITESPACE_RUN = /\s+/g;

/** NFKC, lower-case without locale, white space runs collapsed to one space, trimmed. */
export function normalizeForKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(WHITESPACE_RUN, ' ').trim();
}
