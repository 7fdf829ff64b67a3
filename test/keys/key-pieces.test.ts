/** A huge text's key in pieces (keys/key-bytes.ts `appendInPieces`): the same bytes and units as whole, for both writers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendInPieces, jsonStringCut, KeyBytesWriter, type KeyTextWriter } from '../../src/keys/key-bytes.js';
import { WasmKeyBytesWriter } from '../../src/keys/key-bytes-wasm.js';

const writers: [string, KeyTextWriter][] = [
  ['js', new KeyBytesWriter()],
  ['wasm', WasmKeyBytesWriter.create()!],
];

const escaped = (text: string) => JSON.stringify(text).slice(1, -1);

function whole(writer: KeyTextWriter, contents: readonly string[]) {
  writer.reset();
  for (let i = 0; i < contents.length; i++) {
    if (i > 0) writer.appendNewline();
    const bytes = Buffer.from(contents[i]!, 'utf8');
    if (!writer.appendJsonString(bytes, 0, bytes.length)) return undefined;
  }
  return { text: Buffer.from(writer.text()).toString('utf8'), units: writer.units };
}

function inPieces(writer: KeyTextWriter, contents: readonly string[], pieceBytes: number) {
  const drained: Buffer[] = [];
  const sink = (text: Uint8Array) => drained.push(Buffer.from(text));
  writer.reset();
  for (let i = 0; i < contents.length; i++) {
    if (i > 0) writer.appendNewline();
    const bytes = Buffer.from(contents[i]!, 'utf8');
    if (!appendInPieces(writer, bytes, 0, bytes.length, sink, pieceBytes)) return undefined;
  }
  sink(writer.text());
  return { text: Buffer.concat(drained).toString('utf8'), units: writer.units };
}

const pieces = fc.constantFrom(
  'a',
  'Z',
  ' ',
  '   ',
  '\n',
  '\t',
  '"',
  '\\',
  '/',
  'É',
  'Ж',
  '中',
  'Ｆ',
  '\u00a0',
  '\u3000',
  '😀',
  '\ud800',
  'e\u0301',
);
const content = fc.oneof(
  fc.array(pieces, { maxLength: 60 }).map((p) => escaped(p.join(''))),
  fc
    .array(fc.constantFrom('\\u0041', '\\ud83d\\ude00', '\\n', ' ', 'x', '\\u00e9 '), { maxLength: 40 })
    .map((p) => p.join('')),
);

describe('a key text in pieces', () => {
  for (const [name, writer] of writers) {
    it(`${name}: the pieces drained, then the rest, are the whole text, with the same units`, () => {
      fc.assert(
        fc.property(
          fc.array(content, { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 24 }),
          (contents, size) => {
            const expected = whole(writer, contents);
            const got = inPieces(writer, contents, size);
            if (expected) expect(got, JSON.stringify(contents)).toEqual(expected);
          },
        ),
        { numRuns: 3000 },
      );
    });
  }

  it('jsonStringCut never cuts inside a character or an escape, and gives up where it cannot cut', () => {
    const src = Buffer.from('ab\\u0041中\\ud83d\\ude00xyz', 'utf8');
    const cuts = new Set<number>();
    for (let at = 1; at < src.length; at++) cuts.add(jsonStringCut(src, 0, at));
    // Only after "a" and after "b": every later place has a backslash in the 12 bytes before it.
    expect([...cuts].sort()).toEqual([1, 2]);
    const escapes = Buffer.from('\\n'.repeat(100_000));
    expect(jsonStringCut(escapes, 0, 150_000)).toBe(-1);
  });
});
