/**
 * Planted duplicates. Exact-after-normalisation variants (white space, case, Unicode
 * compatibility forms) must keep norm() equal; the generator checks that and falls back to a
 * verbatim copy when a variant would not. Near duplicates change a few words (or CJK characters)
 * of the longest field and must NOT collapse to an exact duplicate.
 */
import { textFields } from './norm.mjs';
import { mapText } from './text.mjs';
import { CJK, WORDS } from './vocab.mjs';

export const DUPLICATE_KINDS = [
  ['verbatim', 0.4],
  ['whitespace', 0.2],
  ['case', 0.15],
  ['unicode', 0.15],
  ['combined', 0.1],
];

const SPACE_RUNS = ['  ', '\t', '\n', ' \n ', '   ', '\u00a0', '\u3000', '\u2003', ' \t'];
const ZH_TO_ASCII_PUNCT = { '，': ',', '：': ':', '？': '?', '！': '!', '（': '(', '）': ')' };

function whitespaceVariant(rng) {
  return (s) => {
    if (!s) return rng.chance(0.3) ? ' ' : s;
    let out = s.replace(/ /g, (m) => (rng.chance(0.25) ? rng.pick(SPACE_RUNS) : m));
    out = out.replace(/\n\n/g, (m) => (rng.chance(0.5) ? '\n \n' : m));
    if (rng.chance(0.5)) out = rng.pick([' ', '\n', '  ', '\t']) + out;
    if (rng.chance(0.5)) out += rng.pick([' ', '\n', '\n\n', ' \u00a0']);
    return out;
  };
}

function caseVariant(rng) {
  const mode = rng.weighted([
    ['upper', 0.2],
    ['lower', 0.2],
    ['title', 0.3],
    ['random', 0.3],
  ]);
  return (s) => {
    if (mode === 'upper') return s.toUpperCase();
    if (mode === 'lower') return s.toLowerCase();
    if (mode === 'title') return s.replace(/(^|\s)(\S)/g, (_, space, first) => space + first.toUpperCase());
    return s.replace(/\S+/g, (w) => (rng.chance(0.2) ? (rng.chance(0.5) ? w.toUpperCase() : w.toLowerCase()) : w));
  };
}

function fullwidth(word) {
  let out = '';
  for (const ch of word) {
    const c = ch.codePointAt(0);
    out += c >= 0x21 && c <= 0x7e ? String.fromCodePoint(c + 0xfee0) : ch;
  }
  return out;
}

function unicodeVariant(rng) {
  const decompose = rng.chance(0.7);
  const wide = rng.chance(0.5);
  const ligatures = rng.chance(0.6);
  const asciiPunct = rng.chance(0.8);
  return (s) => {
    let out = s;
    if (ligatures) out = out.replace(/f[il]/g, (m) => (rng.chance(0.5) ? (m === 'fi' ? '\ufb01' : '\ufb02') : m));
    if (wide) out = out.replace(/[A-Za-z0-9]+/g, (w) => (rng.chance(0.15) ? fullwidth(w) : w));
    if (asciiPunct) out = out.replace(/[，：？！（）]/g, (m) => (rng.chance(0.5) ? ZH_TO_ASCII_PUNCT[m] : m));
    if (decompose) out = out.normalize('NFD');
    return out;
  };
}

export function variantEdit(rng, kind) {
  if (kind === 'whitespace') return whitespaceVariant(rng);
  if (kind === 'case') return caseVariant(rng);
  if (kind === 'unicode') return unicodeVariant(rng);
  if (kind === 'combined') {
    const a = caseVariant(rng);
    const b = unicodeVariant(rng);
    const c = whitespaceVariant(rng);
    return (s) => c(b(a(s)));
  }
  return (s) => s;
}

const LATIN_WORD = /^[A-Za-z]+$/;
const CJK_CHAR = /[\u4e00-\u9fff]/;

/**
 * Change 2–5 distinct words (or CJK characters) of the record's longest text field.
 * Returns the new record and what changed, for truth.neardups.jsonl.
 */
export function nearDuplicate(rng, record, id, flavour) {
  const fields = textFields(record);
  let longest = 0;
  for (let i = 1; i < fields.length; i++) if (fields[i].length > fields[longest].length) longest = i;
  const text = fields[longest];
  const changes = 2 + rng.int(4);
  const spaced = text.split(' ').length > text.length / 20;
  const units = spaced ? text.split(' ') : Array.from(text);
  const eligible = [];
  for (let i = 0; i < units.length; i++)
    if (spaced ? LATIN_WORD.test(units[i]) : CJK_CHAR.test(units[i])) eligible.push(i);
  const words = WORDS[flavour];
  for (let j = 0; j < changes && j < eligible.length; j++) {
    const swap = j + rng.int(eligible.length - j);
    const at = eligible[swap];
    eligible[swap] = eligible[j];
    eligible[j] = at;
    let replacement;
    do {
      replacement = spaced ? words[rng.zipf(words.length)] : CJK.chars[rng.int(CJK.chars.length)];
    } while (replacement.toLowerCase() === units[at].toLowerCase());
    units[at] = replacement;
  }
  if (eligible.length === 0) units.push(spaced ? words[rng.int(words.length)] : CJK.chars[rng.int(CJK.chars.length)]);
  const changed = units.join(spaced ? ' ' : '');
  let index = 0;
  const near = mapText(record, id, (t) => (index++ === longest ? changed : t));
  return {
    record: near,
    field: longest,
    changed: Math.min(changes, Math.max(1, eligible.length)),
    units: units.length,
  };
}
