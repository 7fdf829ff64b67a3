/**
 * Text and record builders. Written for speed (tens of thousands of records a second): records
 * are made of sentences drawn from a bank that is generated word by word once per (flavour,
 * language), so a record costs one draw per sentence, not per word. The bank is large enough
 * that two records rarely share a sentence, and sharing one sentence out of dozens is far from
 * a near duplicate; planted near duplicates are made separately (variants.mjs).
 */
import { Rng } from './rng.mjs';
import { CJK, INSTRUCTIONS, LONG_INSTRUCTIONS, SYSTEM_PROMPTS, WORDS } from './vocab.mjs';

const ENDINGS = [
  ['.', 0.86],
  ['?', 0.08],
  ['!', 0.03],
  [':', 0.03],
];
const CJK_ENDINGS = [
  ['。', 0.88],
  ['？', 0.08],
  ['！', 0.04],
];
const BANK_SIZE = { en: 1 << 18, zh: 1 << 16 };

function capitalize(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function englishSentence(rng, words, zipf, length) {
  const parts = new Array(length);
  for (let i = 0; i < length; i++) {
    // One draw per word: 16 bits pick the word, 8 bits a number (2 %), 8 bits a comma (7 %).
    const bits = rng.u32();
    let word = ((bits >>> 16) & 0xff) < 5 ? String(1 + (bits % 500)) : words[zipf[bits & 0xffff]];
    if (i === 0) word = capitalize(word);
    parts[i] = i < length - 1 && bits >>> 24 < 18 ? `${word},` : word;
  }
  // join() gives a flat string: the bank holds no rope nodes for the GC to trace.
  return parts.join(' ') + rng.weighted(ENDINGS);
}

function chineseSentence(rng, flavour, tokens) {
  const chars = CJK.chars;
  let sentence = '';
  for (let i = 0; i < tokens; i++) {
    if (flavour === 'domain' && rng.chance(0.15)) sentence += rng.pick(CJK.medical);
    else if (rng.chance(0.02)) sentence += rng.pick(CJK.ascii);
    else {
      sentence += chars[rng.zipf(chars.length)];
      if (rng.chance(0.5)) sentence += chars[rng.zipf(chars.length)];
    }
    if (i < tokens - 1 && rng.chance(0.12)) sentence += rng.chance(0.85) ? '，' : '：';
  }
  if (rng.chance(0.03)) sentence += `（${rng.pick(CJK.ascii)}）`;
  return sentence + rng.weighted(CJK_ENDINGS);
}

const BANKS = new Map();

/** Sentences and their sizes (words, or characters for Chinese), built on first use. */
function bankFor(flavour, lang) {
  const name = `${flavour}:${lang}`;
  let bank = BANKS.get(name);
  if (bank) return bank;
  const rng = new Rng('bank', name);
  const size = BANK_SIZE[lang];
  const sentences = new Array(size);
  const sizes = new Uint16Array(size);
  const words = WORDS[flavour];
  const zipf = Rng.zipfTable(words.length);
  for (let i = 0; i < size; i++) {
    if (lang === 'en') {
      const length = 5 + rng.int(18);
      sentences[i] = englishSentence(rng, words, zipf, length);
      sizes[i] = length;
    } else {
      sentences[i] = [chineseSentence(rng, flavour, 4 + rng.int(14))].join('');
      sizes[i] = sentences[i].length;
    }
  }
  bank = { sentences, sizes, size };
  BANKS.set(name, bank);
  return bank;
}

/**
 * Prose of about `amount` words (English) or characters (Chinese): sentences from the bank in
 * paragraphs of 3–6, sometimes as a bullet list.
 */
function bankText(rng, flavour, lang, amount) {
  const bank = bankFor(flavour, lang);
  const bullets = lang === 'en' && rng.chance(0.12);
  const space = lang === 'en' ? ' ' : '';
  const parts = [];
  let written = 0;
  let inParagraph = 0;
  for (;;) {
    const i = rng.int(bank.size);
    parts.push(bullets && rng.chance(0.5) ? `- ${bank.sentences[i]}` : bank.sentences[i]);
    written += bank.sizes[i];
    if (written >= amount) break;
    if (++inParagraph >= 3 + rng.int(4)) {
      parts.push(bullets ? '\n' : '\n\n');
      inParagraph = 0;
    } else parts.push(space);
  }
  // One flat string per field: records kept for later duplication hold no rope nodes.
  return parts.join('');
}

export function proseText(rng, flavour, lang, words) {
  const n = Math.max(1, Math.round(words));
  return bankText(rng, flavour, lang, lang === 'zh' ? Math.round(n * 1.6) : n);
}

/**
 * A fresh record's content, schema-independent: { system, instruction, input, output, more }.
 * `more` holds extra [user, assistant] turns for the chat schemas.
 */
export function freshContent(rng, { flavour, schema, zhRate, long }) {
  const lang = rng.chance(zhRate) ? 'zh' : 'en';
  const template = rng.pick(INSTRUCTIONS[flavour][lang]).replace('{age}', String(18 + rng.int(70)));
  const instructionWords = Math.max(3, rng.lognormal(14, 0.6));
  let body = proseText(rng, flavour, lang, instructionWords);
  if (lang === 'en' && !/[.?:]$/.test(template)) body = body.charAt(0).toLowerCase() + body.slice(1);
  let instruction = template + (lang === 'zh' ? '' : ' ') + body;
  let input = '';
  let output;
  if (long) {
    // 20 KB to 200 KB of document, log-uniform: the long-context tail.
    const bytes = Math.exp(Math.log(20000) + rng.next() * Math.log(10));
    instruction = `${rng.pick(LONG_INSTRUCTIONS[lang])}${lang === 'zh' ? '' : ' '}${proseText(rng, flavour, lang, instructionWords / 2)}`;
    input = proseText(rng, flavour, lang, lang === 'zh' ? bytes / 4.8 : bytes / 6.2);
    output = proseText(rng, flavour, lang, rng.lognormal(180, 0.5));
  } else {
    if (rng.chance(flavour === 'domain' ? 0.5 : 0.4)) input = proseText(rng, flavour, lang, rng.lognormal(45, 0.9));
    if (flavour === 'domain' && rng.chance(0.08)) {
      output =
        rng.pick(['A', 'B', 'C', 'D', 'E']) +
        (rng.chance(0.5) ? '' : `. ${proseText(rng, flavour, lang, 3 + rng.int(10))}`);
    } else output = proseText(rng, flavour, lang, rng.lognormal(110, 0.9));
  }
  const content = { system: '', instruction, input, output, more: [], lang };
  if (schema !== 'alpaca') {
    if (rng.chance(0.3)) content.system = rng.pick(SYSTEM_PROMPTS[flavour]);
    const extraTurns = rng.chance(0.2) ? 1 + rng.int(2) : 0;
    for (let t = 0; t < extraTurns; t++) {
      content.more.push([
        proseText(rng, flavour, lang, rng.lognormal(12, 0.6)),
        proseText(rng, flavour, lang, rng.lognormal(80, 0.9)),
      ]);
    }
  }
  return content;
}

/** Content in one of the three published record shapes, id first. */
export function toRecord(schema, id, content) {
  if (schema === 'alpaca')
    return { id, instruction: content.instruction, input: content.input, output: content.output };
  const user = content.input ? `${content.instruction}\n\n${content.input}` : content.instruction;
  const turns = [[user, content.output], ...content.more];
  if (schema === 'openai') {
    const messages = content.system ? [{ role: 'system', content: content.system }] : [];
    for (const [u, a] of turns) messages.push({ role: 'user', content: u }, { role: 'assistant', content: a });
    return { id, messages };
  }
  if (schema === 'sharegpt') {
    const conversations = content.system ? [{ from: 'system', value: content.system }] : [];
    for (const [u, a] of turns) conversations.push({ from: 'human', value: u }, { from: 'gpt', value: a });
    return { id, conversations };
  }
  throw new Error(`unknown schema "${schema}" (alpaca, sharegpt or openai)`);
}

/** The same record under a new id with every text field passed through `edit`. */
export function mapText(record, id, edit) {
  if (record.messages)
    return { id, messages: record.messages.map((m) => ({ role: m.role, content: edit(m.content) })) };
  if (record.conversations)
    return { id, conversations: record.conversations.map((m) => ({ from: m.from, value: edit(m.value) })) };
  return { id, instruction: edit(record.instruction), input: edit(record.input), output: edit(record.output) };
}
