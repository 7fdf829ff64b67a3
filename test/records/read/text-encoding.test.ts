import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordDecoder } from '../../../src/records/read/text-encoding.js';

describe('recordDecoder("utf-8")', () => {
  const decode = recordDecoder('utf-8');

  it('reads any valid UTF-8 as TextDecoder does, ASCII shortcut or not', () => {
    const reference = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'Z', '\u0000', '\u007f', '\t', 'é', '中', '😀', '\u0080') }),
        (text) => {
          const bytes = new TextEncoder().encode(text);
          expect(decode(bytes)).toBe(reference.decode(bytes));
        },
      ),
    );
  });

  it('refuses bytes that are not UTF-8, also after an ASCII prefix', () => {
    expect(decode(Uint8Array.from([0x61, 0x62, 0xff]))).toBeUndefined();
    expect(decode(Uint8Array.from([0xc3]))).toBeUndefined();
    expect(decode(Uint8Array.from([0x7b, 0x7d]))).toBe('{}');
  });

  it('reads a view into a larger block by its own bytes only', () => {
    const block = new TextEncoder().encode('xx{"a":"é"}yy');
    expect(decode(block.subarray(2, block.length - 2))).toBe('{"a":"é"}');
  });
});
