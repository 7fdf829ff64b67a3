/**
 * Byte-level mutations of small valid input files: byte and bit flips, truncations, insertions of
 * bytes the formats give meaning to, deletions and duplications. Positions may count from the end,
 * where Parquet keeps its footer and gzip/zstd their trailers.
 */
import fc from 'fast-check';

export type ByteEdit =
  | { kind: 'flip'; at: number; fromEnd: boolean; value: number }
  | { kind: 'bit'; at: number; fromEnd: boolean; bit: number }
  | { kind: 'truncate'; at: number; fromEnd: boolean }
  | { kind: 'insert'; at: number; fromEnd: boolean; bytes: Uint8Array }
  | { kind: 'delete'; at: number; fromEnd: boolean; length: number }
  | { kind: 'duplicate'; at: number; fromEnd: boolean; length: number };

/** Bytes with a meaning in some format: quotes, separators, brackets, bad UTF-8, magic numbers. */
const TOKENS = [
  '"',
  '\\',
  '\n',
  '\r\n',
  ',',
  '\t',
  '{',
  '}',
  '[',
  ']',
  ':',
  '""',
  '\\u',
  '\\ud800',
  '1e999',
  '-',
  '99999999999999999999999',
  'null',
  '{"a":',
  'PAR1',
].map((text) => Buffer.from(text, 'latin1'));
const RAW_TOKENS = [
  [0x00],
  [0xff],
  [0xc3],
  [0xe2, 0x80],
  [0xed, 0xa0, 0x80],
  [0xef, 0xbb, 0xbf],
  [0x1f, 0x8b, 0x08],
  [0x28, 0xb5, 0x2f, 0xfd],
  [0xff, 0xff, 0xff, 0x7f],
  [0x00, 0x00, 0x00, 0x80],
].map((bytes) => Buffer.from(bytes));

const position = { at: fc.nat(), fromEnd: fc.boolean() };

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('flip' as const), ...position, value: fc.integer({ min: 0, max: 255 }) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('bit' as const), ...position, bit: fc.integer({ min: 0, max: 7 }) }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), ...position }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      ...position,
      bytes: fc.oneof(
        fc.constantFrom(...TOKENS, ...RAW_TOKENS),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
      ) as fc.Arbitrary<Uint8Array>,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      ...position,
      length: fc.integer({ min: 1, max: 16 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      ...position,
      length: fc.integer({ min: 1, max: 64 }),
    }),
    weight: 1,
  },
);

export const byteEdits = fc.array(byteEdit, { minLength: 1, maxLength: 4 });

/** Apply the edits in order to a copy of `seed`. */
export function editBytes(seed: Uint8Array, edits: readonly ByteEdit[]): Buffer {
  let bytes = Buffer.from(seed);
  for (const edit of edits) {
    const span = bytes.length + 1;
    const offset = edit.at % span;
    const at = edit.fromEnd ? span - 1 - offset : offset;
    switch (edit.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = edit.value;
        break;
      case 'bit':
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)]! ^= 1 << edit.bit;
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at)]);
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + edit.length)]);
        break;
      case 'duplicate':
        bytes = Buffer.concat([bytes.subarray(0, at + edit.length), bytes.subarray(at)]);
        break;
    }
  }
  return Buffer.from(bytes);
}
