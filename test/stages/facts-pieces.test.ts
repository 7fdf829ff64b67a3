/**
 * How facts parts cut the inputs (stages/facts-pieces.ts) and where a piece of a JSONL file
 * begins (records/read/line-start.ts): over every part count, each byte of a splittable file (each
 * row of a Parquet file, in whole row groups) is in exactly one piece and the pieces run in order;
 * every other file is read whole by exactly one part; a piece starts on the line a whole-file read numbers the same.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineStartAt } from '../../src/records/read/line-start.js';
import { type FileSpan, newlineSafe, piecesOfPart } from '../../src/stages/facts-pieces.js';
import { tempDir } from '../helpers/temp.js';

describe('piecesOfPart', () => {
  const cases: FileSpan[][] = [
    [{ bytes: 1000, splittable: true }],
    [
      { bytes: 10, splittable: false },
      { bytes: 5000, splittable: true },
      { bytes: 0, splittable: true },
      { bytes: 300, splittable: false },
      { bytes: 7, splittable: true },
    ],
    [
      { bytes: 0, splittable: false },
      { bytes: 0, splittable: true },
    ],
    [
      { bytes: 900, splittable: true },
      { bytes: 4000, splittable: false, groups: [2048, 2048, 2048, 2048, 1808] },
      { bytes: 50, splittable: false, groups: [10] },
      { bytes: 3000, splittable: false, groups: [100, 0, 2900] },
    ],
  ];
  it.each(cases.map((c, i) => [i, c] as const))(
    'case %i: every byte once, every whole file once, in order',
    (_, spans) => {
      for (let count = 1; count <= 9; count++) {
        const pieces = Array.from({ length: count }, (_, i) => piecesOfPart(spans, { index: i + 1, count })).flat();
        // In scan order across parts: files ascending, a file's pieces ascending.
        for (let i = 1; i < pieces.length; i++) {
          const [a, b] = [pieces[i - 1]!, pieces[i]!];
          expect(a.file < b.file || (a.file === b.file && a.to === b.from)).toBe(true);
        }
        spans.forEach((span, file) => {
          const mine = pieces.filter((p) => p.file === file);
          expect(mine.length).toBeGreaterThanOrEqual(1);
          const rows = span.groups?.reduce((a, b) => a + b, 0) ?? 0;
          const cut = span.bytes > 0 && (span.splittable || ((span.groups?.length ?? 0) > 1 && rows > 0));
          if (!cut)
            expect(mine).toEqual([{ file, from: 0, to: span.bytes, total: span.bytes, unit: 'bytes', whole: true }]);
          expect(mine[0]!.from).toBe(0);
          expect(mine.at(-1)!.to).toBe(mine[0]!.total);
          expect(mine.every((p) => p.total === mine[0]!.total && p.unit === mine[0]!.unit)).toBe(true);
          if (span.groups && cut) {
            // Whole row groups only: every piece starts on a group's first row.
            const starts = span.groups.map((_, g) => span.groups!.slice(0, g).reduce((a, b) => a + b, 0));
            for (const p of mine) expect(starts).toContain(p.from);
          }
          if (mine.length > 1) expect(mine.every((p) => !p.whole)).toBe(true);
        });
      }
    },
  );

  it('cuts one large file into equal byte ranges', () => {
    const parts = [1, 2, 3, 4].map((index) => piecesOfPart([{ bytes: 4000, splittable: true }], { index, count: 4 }));
    expect(parts.map((p) => p.map(({ from, to }) => [from, to]))).toEqual([
      [[0, 1000]],
      [[1000, 2000]],
      [[2000, 3000]],
      [[3000, 4000]],
    ]);
  });

  it('never cuts a file whose newline bytes may be half a character', () => {
    expect(newlineSafe('utf-8')).toBe(true);
    expect(newlineSafe('gb18030')).toBe(true);
    expect(newlineSafe('latin1')).toBe(true);
    for (const e of ['utf-16le', 'UTF-16', 'utf16be', 'utf-32', 'ucs-2']) expect(newlineSafe(e)).toBe(false);
  });
});

describe('lineStartAt', () => {
  const dir = tempDir();
  it('finds the first line starting at or after a byte, numbered as a whole-file read numbers it', async () => {
    const text = '\ufeff{"a":1}\r\n\n{"b":2}\n   \n{"c":3}\n{"d":4}';
    const file = path.join(dir, 'a.jsonl');
    writeFileSync(file, text);
    const bytes = Buffer.from(text);
    // The reference: every line start and its number, from the bytes.
    const starts: [number, number][] = [[0, 1]];
    bytes.forEach((b, i) => {
      if (b === 10) starts.push([i + 1, starts.length + 1]);
    });
    for (let from = 0; from <= bytes.length; from++) {
      const expected = starts.find(([s]) => s >= from) ?? [bytes.length, starts.length + 1];
      const got = await lineStartAt(file, from);
      if (expected[0] === bytes.length) expect(got.start).toBe(bytes.length);
      else expect([got.start, got.line], `from ${from}`).toEqual(expected);
    }
  });

  it('counts lines across read chunks (a file of several MiB)', async () => {
    const file = path.join(dir, 'big.jsonl');
    const line = `${JSON.stringify({ text: 'x'.repeat(1000) })}\n`;
    writeFileSync(file, line.repeat(5000));
    const from = 3_000_000;
    const n = Math.ceil(from / line.length);
    expect(await lineStartAt(file, from)).toEqual({ start: n * line.length, line: n + 1 });
  });
});
