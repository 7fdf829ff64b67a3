/**
 * The reference normalisation every peer, the ground truth and mixsmith agree on:
 *   key(record) = norm(textFields(record).join('\n'))
 *   norm(s)     = s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
 * (the same definition as ../shared/bench/lib/common.mjs). White space is collapsed, so the
 * separator between fields does not matter as long as it is white space.
 */
import { createHash } from 'node:crypto';

// Every maximal run of white space except a lone ' ', which is already what /\s+/g → ' ' gives:
// same result, ~2.5x faster because the common single spaces are not rewritten.
const WHITESPACE_RUN = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]\s*| \s+/g;
// Characters NFKC leaves alone whatever surrounds them: ASCII and C1 controls, precomposed Latin
// letters U+00C0–U+0131 (not the ª ² µ ¼ compatibility forms just below), en and em dash, the
// ideographic full stop and the CJK unified ideographs. Text made only of these skips
// normalize(), which is ~20x slower than this test; combining marks, fullwidth forms, ligatures
// and odd spaces all fall outside the set and take the full path.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the set starts at U+0000 on purpose
const NFKC_MAYBE = /[^\x00-\x9f\u00c0-\u0131\u2013\u2014\u3002\u4e00-\u9fff]/;

export function norm(text) {
  const nfkc = NFKC_MAYBE.test(text) ? text.normalize('NFKC') : text;
  return nfkc.toLowerCase().replace(WHITESPACE_RUN, ' ').trim();
}

/** Text fields in order, per schema; ids, roles and names are not text. */
export function textFields(record) {
  if (Array.isArray(record.messages)) return record.messages.map((m) => m.content ?? '');
  if (Array.isArray(record.conversations)) return record.conversations.map((m) => m.value ?? '');
  return [record.instruction ?? '', record.input ?? '', record.output ?? ''];
}

export function keyOf(record) {
  return norm(textFields(record).join('\n'));
}

/** 16-byte md5 of a key as a latin1 string: a compact Map key. */
export function keyHash(key) {
  return createHash('md5').update(key).digest('latin1');
}
