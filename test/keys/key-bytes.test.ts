import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyBytesWriter } from '../../src/keys/key-bytes.js';
import { keyCharTable, MAPPED, OTHER, SAME, SPACE } from '../../src/keys/key-char-table.js';
import { normalizeForKeyPlain } from '../../src/keys/normalize.js';

/** A string's JSON content (between the quotes), with some characters written as \uXXXX or \/. */
function jsonContent(text: string, escapeEvery: number): string {
  let out = '';
  let i = 0;
  for (const char of text) {
    const plain = JSON.stringify(char).slice(1, -1);
    if (escapeEvery > 0 && i++ % escapeEvery === 0) {
      if (char === '/') out += '\\/';
      else for (let k = 0; k < char.length; k++) out += `\\u${char.charCodeAt(k).toString(16).padStart(4, '0')}`;
    } else out += plain;
  }
  return out;
}

/** What the writer gives for `parts` (joined by '\n'), or undefined when it declines. */
function written(parts: readonly string[], escapeEvery = 0): { bytes: Buffer; units: number } | undefined {
  const writer = new KeyBytesWriter();
  writer.reset();
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) writer.appendNewline();
    const content = Buffer.from(jsonContent(parts[p]!, escapeEvery), 'utf8');
    if (!writer.appendJsonString(content, 0, content.length)) return undefined;
  }
  return { bytes: Buffer.from(writer.text()), units: writer.units };
}

function covered(text: string): boolean {
  const { kinds } = keyCharTable();
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code > 0xffff ? code < 0x1f300 || code > 0x1faff : kinds[code] === OTHER) return false;
  }
  return true;
}

/** The writer must give the plain definition's bytes whenever it answers, and answer for covered text. */
function agrees(parts: readonly string[], escapeEvery = 0): void {
  const text = parts.join('\n');
  const result = written(parts, escapeEvery);
  if (covered(text)) expect(result, JSON.stringify(text)).toBeDefined();
  if (result) {
    expect(result.bytes.toString('utf8'), JSON.stringify(text)).toBe(normalizeForKeyPlain(text));
    expect(result.units).toBe(text.length);
  }
}

const kindSample = (kind: number, every: number) => {
  const { kinds } = keyCharTable();
  const chars: string[] = [];
  for (let code = 0x80; code < 0x10000; code++)
    if (kinds[code] === kind && code % every === 0) chars.push(String.fromCharCode(code));
  return chars;
};

describe('KeyBytesWriter', () => {
  const pieces = fc.constantFrom(
    'A',
    'b',
    'Z',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r\n',
    '"',
    '\\',
    '/',
    '\u0008',
    '\u000c',
    '\u0001',
    '\u007f',
    'É',
    'ß',
    'İ',
    'Σ',
    'σ',
    'Ж',
    '中',
    '，',
    '。',
    '：',
    'Ｆ',
    '²',
    '½',
    '\u00a0',
    '\u3000',
    '\u2003',
    '\u2028',
    '\ufeff',
    '\u0085',
    'e\u0301',
    '\u0301',
    'ﬁ',
    'ｶﾞ',
    '가',
    '\u1100\u1161',
    '😀',
    '🇫🇷',
    '\u{20000}',
    '…',
    '℃',
    '¨',
  );

  it('gives the UTF-8 of normalizeForKeyPlain, and the text length, for generated texts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(pieces, { maxLength: 20 }).map((p) => p.join('')),
          { minLength: 1, maxLength: 4 },
        ),
        fc.nat(4),
        (parts, every) => agrees(parts, every),
      ),
      { numRuns: 4000 },
    );
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 3 }), fc.nat(3), (parts, every) =>
        agrees(parts, every),
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees on every covered character and every kind, alone and among others', () => {
    const { kinds } = keyCharTable();
    for (let code = 0; code < 0x10000; code++) {
      if (kinds[code] === OTHER) continue;
      const char = String.fromCharCode(code);
      agrees([char]);
      agrees([`A ${char}b`, `${char}${char} `], 3);
    }
    for (const char of ['😀', '🧪', '\u{1faff}']) agrees([`x${char}Y`], 2);
    expect(kindSample(SAME, 97).length + kindSample(SPACE, 1).length + kindSample(MAPPED, 7).length).toBeGreaterThan(
      500,
    );
  });

  it('declines what JSON forbids or the table does not cover', () => {
    const declines = (content: string) => {
      const bytes = Buffer.from(content, 'utf8');
      const writer = new KeyBytesWriter();
      expect(writer.appendJsonString(bytes, 0, bytes.length), content).toBe(false);
    };
    declines('a\u0001b'); // a raw control character
    declines('a\\x41'); // not an escape
    declines('\\u12g4');
    declines('\\ud800'); // a lone surrogate
    declines('\\udc00\\ud800');
    declines('e\u0301'); // a combining mark
    declines('Σ');
    declines('\u{20000}');
    declines('ｶ');
  });

  it('collapses white space across parts and trims the ends', () => {
    expect(written(['  Hello\\tWorld ', '', '\u3000ＯＫ\u00a0'])?.bytes.toString()).toBe('hello\\tworld ok');
    expect(written(['   ', '\u3000'])?.bytes.length).toBe(0);
  });
});
