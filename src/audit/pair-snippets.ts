/**
 * Snippets for the two records of a near-duplicate pair, taken where they first differ: a pair
 * whose change lies past the first 160 characters would otherwise show two identical snippets,
 * and the reader could not see what makes the records near rather than exact duplicates.
 */
import { snippet } from './record-keys.js';

/** Characters of common text kept before the first difference, for context. */
const CONTEXT_CHARS = 40;
/** Where a plain snippet already shows the first difference (snippets are 160 characters). */
const SHOWN_CHARS = 120;

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Both snippets from the same place: the start, or a little before the first difference. */
export function pairSnippets(earlier: string, later: string): readonly [string, string] {
  const a = flat(earlier);
  const b = flat(later);
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  // Texts equal once white space is collapsed (only their spacing differs) show from the start.
  if (same <= SHOWN_CHARS || (same === a.length && same === b.length)) return [snippet(a), snippet(b)];
  // Start at a word boundary so the snippet does not open mid-word.
  const space = a.lastIndexOf(' ', same - CONTEXT_CHARS);
  const start = space < 0 ? same - CONTEXT_CHARS : space + 1;
  return [`…${snippet(a.slice(start))}`, `…${snippet(b.slice(start))}`];
}
