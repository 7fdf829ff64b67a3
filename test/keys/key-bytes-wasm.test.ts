import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyBytesWriter, type KeyTextWriter } from '../../src/keys/key-bytes.js';
import { WasmKeyBytesWriter } from '../../src/keys/key-bytes-wasm.js';
import { keyCharTable, OTHER } from '../../src/keys/key-char-table.js';

const wasm = WasmKeyBytesWriter.create()!;
const js = new KeyBytesWriter();

/** Writes JSON string contents (already escaped) as parts; undefined when the writer declines. */
function run(writer: KeyTextWriter, contents: readonly string[]): { text: string; units: number } | undefined {
  writer.reset();
  for (let i = 0; i < contents.length; i++) {
    if (i > 0) writer.appendNewline();
    const bytes = Buffer.from(contents[i]!, 'utf8');
    if (!writer.appendJsonString(bytes, 0, bytes.length)) return undefined;
  }
  return { text: Buffer.from(writer.text()).toString('utf8'), units: writer.units };
}

const escaped = (text: string) => JSON.stringify(text).slice(1, -1);

describe('WasmKeyBytesWriter', () => {
  it('runs here (Node has WebAssembly with bulk memory)', () => {
    expect(wasm).toBeDefined();
  });

  it('agrees with the JS writer wherever it answers, and answers for everyday text', () => {
    const pieces = fc.constantFrom(
      'A',
      'z',
      ' ',
      '  ',
      '\n',
      '\t',
      '\r',
      '"',
      '\\',
      '/',
      '\b',
      '\f',
      '\u0001',
      'É',
      'ß',
      'Ж',
      '中',
      '，',
      '。',
      'Ｆ',
      '²',
      '½',
      '\u00a0',
      '\u3000',
      '\u2028',
      'e\u0301',
      'Σ',
      '😀',
      '…',
      '℃',
      '가',
    );
    const content = fc.oneof(
      fc.array(pieces, { maxLength: 30 }).map((p) => escaped(p.join(''))),
      fc.string({ unit: 'binary' }).map(escaped),
      fc.constantFrom('\\u0041b', '\\/x', 'a\\qb', 'tail\\'),
    );
    fc.assert(
      fc.property(fc.array(content, { minLength: 1, maxLength: 4 }), (contents) => {
        const fast = run(wasm, contents);
        const slow = run(js, contents);
        if (fast) expect(fast).toEqual(slow);
      }),
      { numRuns: 5000 },
    );
    for (const text of [
      'Hello, World!\nLine two\t\ttabbed',
      '高血压患者，应注意饮食。',
      'ＡＢＣ ｄｅｆ\u3000½ ℃',
      'Привет, Γειά σου',
      '"quoted" \\ back/slash',
    ]) {
      expect(run(wasm, [escaped(text)]), text).toEqual(run(js, [escaped(text)]));
    }
  });

  it('takes ASCII sixteen bytes at a time exactly as the JS writer takes it one by one', () => {
    const ascii = fc.constantFrom(
      'a',
      'Q',
      'Z',
      '@',
      '[',
      '`',
      '{',
      '~',
      '0',
      ' ',
      ' ',
      '  ',
      '\n',
      '\t',
      '"',
      '\\',
      '\u007f',
      'é',
      '中',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.array(ascii, { maxLength: 80 }).map((p) => p.join('')),
          { minLength: 1, maxLength: 3 },
        ),
        (parts) => {
          const contents = parts.map(escaped);
          const fast = run(wasm, contents);
          expect(fast, JSON.stringify(parts)).toBeDefined();
          expect(fast).toEqual(run(js, contents));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees on every BMP character the table covers', () => {
    const { kinds } = keyCharTable();
    for (let code = 0x20; code < 0x10000; code++) {
      if (kinds[code] === OTHER) continue;
      const contents = [escaped(`X${String.fromCharCode(code)} y`)];
      const fast = run(wasm, contents);
      if (fast) expect(fast).toEqual(run(js, contents));
    }
  });

  it('grows for long texts', () => {
    const long = escaped('Ａb 中\n'.repeat(400_000));
    expect(run(wasm, [long, long])).toEqual(run(js, [long, long]));
  });
});
