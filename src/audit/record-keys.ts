/**
 * The content keys the audit compares records by, computed once per record:
 * - `key`: mixsmith's content key (md5 of the normalised text), the one compose dedups on;
 * - `verbatim`: md5 of the text as written, so "byte-identical" and "same after normalising
 *   case and white space" can be told apart (a dataset README may count either);
 * - `prompt`: the key of the user turns alone, for eval overlap where only the question leaked.
 */
import { type SampleBody, sampleText } from '../sample.js';
import { contentKey } from '../keys/hashing.js';
import { normalizeForKey } from '../keys/normalize.js';
import { type Fingerprint, fingerprint } from './fingerprint-map.js';
import { promptOf } from './record-body.js';

export interface RecordKeys {
  readonly text: string;
  /** True when the text is empty after normalisation: such records have no key. */
  readonly empty: boolean;
  readonly key: Fingerprint;
  readonly verbatim: Fingerprint;
  /** Undefined without a user turn, or when prompts are not needed. */
  readonly prompt: Fingerprint | undefined;
}

export function recordKeys(body: SampleBody, withPrompt: boolean): RecordKeys {
  const text = sampleText(body);
  const normalized = normalizeForKey(text);
  const prompt = withPrompt ? promptOf(body) : undefined;
  const normalizedPrompt = prompt === undefined ? '' : normalizeForKey(prompt);
  return {
    text,
    empty: normalized === '',
    key: fingerprint(contentKey(normalized)),
    verbatim: fingerprint(contentKey(text)),
    prompt: normalizedPrompt === '' ? undefined : fingerprint(contentKey(normalizedPrompt)),
  };
}

const SNIPPET_CHARS = 160;
const SNIPPET_SCAN_CHARS = SNIPPET_CHARS * 8;

/** The first characters of a text, white space collapsed, for examples in reports. */
export function snippet(text: string): string {
  // Collapse white space in a bounded prefix only: a snippet is taken of every eval item, and a
  // long text's tail would be scanned for nothing.
  const cut = text.length > SNIPPET_SCAN_CHARS;
  const flat = (cut ? text.slice(0, SNIPPET_SCAN_CHARS) : text).replace(/\s+/g, ' ').trim();
  return flat.length <= SNIPPET_CHARS && !cut ? flat : `${flat.slice(0, SNIPPET_CHARS - 1)}…`;
}
