/**
 * Re-reading records by offset: coalesced windows (records larger than a window, windows that end
 * between records, gaps read through or skipped), the whole-file mode that hashes every byte, and
 * its INPUT_CHANGED when the file is no longer what the scan saw.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../../src/errors.js';
import { type Extent, type ReadAtOptions, readAt, readAtBatches } from '../../../src/records/read/read-at.js';
import { coveringWindowAt, type Span, windowAt } from '../../../src/records/read/read-windows.js';
import { tempDir } from '../../helpers/temp.js';

const dir = tempDir('mixsmith-read-at-');
let files = 0;

/** A JSONL file of these records and each record's extent (1-based lines). */
function jsonlFile(records: readonly unknown[]): { file: string; extents: Extent[]; bytes: Buffer } {
  const file = path.join(dir, `f${files++}.jsonl`);
  const extents: Extent[] = [];
  let offset = 0;
  const parts = records.map((r, i) => {
    const line = Buffer.from(JSON.stringify(r), 'utf8');
    extents.push({ offset, length: line.length, line: i + 1 });
    offset += line.length + 1;
    return Buffer.concat([line, Buffer.from('\n')]);
  });
  const bytes = Buffer.concat(parts);
  writeFileSync(file, bytes);
  return { file, extents, bytes };
}

async function texts(
  file: string,
  extents: readonly Extent[],
  options: Partial<ReadAtOptions> = {},
): Promise<string[]> {
  const out: string[] = [];
  for await (const raw of readAt(file, extents, { format: 'jsonl', displayPath: 'f.jsonl', ...options }))
    out.push(raw.text);
  return out;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Records of varied sizes, some multi-byte, a few far larger than the small test windows. */
const records = Array.from({ length: 300 }, (_, i) => ({
  i,
  text: `${'記'.repeat(i % 7)}${'x'.repeat((i * 37) % 200)}${i % 50 === 0 ? 'y'.repeat(3000) : ''}`,
}));
const small = { windowBytes: 1024, maxGapBytes: 100 };

describe('read windows', () => {
  const spans: Span[] = [
    { offset: 0, length: 10 },
    { offset: 15, length: 10 },
    { offset: 200, length: 10 },
    { offset: 210, length: 500 },
    { offset: 1000, length: 10 },
  ];

  it('joins neighbours into ranges, gives far ones ranges of their own, and caps the window unless one span is larger', () => {
    const limits = { windowBytes: 100, maxGapBytes: 10 };
    expect(windowAt(spans, 0, limits)).toEqual({
      ranges: [
        { start: 0, end: 25 },
        { start: 200, end: 210 },
      ],
      first: 0,
      last: 3,
    });
    expect(windowAt(spans, 0, { windowBytes: 30, maxGapBytes: 10 })).toEqual({
      ranges: [{ start: 0, end: 25 }],
      first: 0,
      last: 2,
    });
    expect(windowAt(spans, 3, limits)).toEqual({ ranges: [{ start: 210, end: 710 }], first: 3, last: 4 });
    expect(windowAt(spans, 0, { windowBytes: 4096, maxGapBytes: 1000 })).toEqual({
      ranges: [{ start: 0, end: 1010 }],
      first: 0,
      last: 5,
    });
    expect(windowAt(spans, 0, { windowBytes: 4096, maxGapBytes: 0 })).toEqual({
      ranges: [
        { start: 0, end: 10 },
        { start: 15, end: 25 },
        { start: 200, end: 710 },
        { start: 1000, end: 1010 },
      ],
      first: 0,
      last: 5,
    });
  });

  it('windows serve every span once, in order, inside their ranges, within the size limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3000), fc.integer({ min: 1, max: 400 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 16, max: 2048 }),
        fc.nat(500),
        (raw, size, gap) => {
          const sorted: Span[] = [];
          let at = 0;
          for (const [skip, length] of raw) {
            sorted.push({ offset: at + skip, length });
            at += skip + length;
          }
          let first = 0;
          while (first < sorted.length) {
            const w = windowAt(sorted, first, { windowBytes: size, maxGapBytes: gap });
            expect(w.first).toBe(first);
            expect(w.last).toBeGreaterThan(first);
            const bytes = w.ranges.reduce((sum, r) => sum + r.end - r.start, 0);
            if (bytes > size) expect(w.last - w.first).toBe(1);
            for (let k = 1; k < w.ranges.length; k++)
              expect(w.ranges[k]!.start - w.ranges[k - 1]!.end).toBeGreaterThan(gap);
            for (let i = w.first; i < w.last; i++) {
              const s = sorted[i]!;
              expect(w.ranges.some((r) => r.start <= s.offset && s.offset + s.length <= r.end)).toBe(true);
            }
            first = w.last;
          }
        },
      ),
    );
  });

  it('covering windows are contiguous, never cut a span, and reach the end of the file', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(300), fc.integer({ min: 1, max: 400 })), { maxLength: 30 }),
        fc.integer({ min: 16, max: 512 }),
        (raw, windowBytes) => {
          // Disjoint spans in offset order, like records of a file.
          const sorted: Span[] = [];
          let at = 0;
          for (const [gap, length] of raw) {
            sorted.push({ offset: at + gap, length });
            at += gap + length;
          }
          const fileBytes = at + 7;
          let start = 0;
          let first = 0;
          while (start < fileBytes || first < sorted.length) {
            const w = coveringWindowAt(sorted, first, start, fileBytes, { windowBytes, maxGapBytes: 0 });
            expect(w.ranges).toHaveLength(1);
            const range = w.ranges[0]!;
            expect(range.start).toBe(start);
            expect(range.end > range.start || w.last > w.first).toBe(true);
            for (let i = w.first; i < w.last; i++) {
              expect(sorted[i]!.offset).toBeGreaterThanOrEqual(range.start);
              expect(sorted[i]!.offset + sorted[i]!.length).toBeLessThanOrEqual(range.end);
            }
            // a window is larger than the limit only to hold one span whole
            if (range.end - range.start > windowBytes) expect(w.last - w.first).toBe(1);
            start = range.end;
            first = w.last;
          }
          expect(start).toBe(fileBytes);
        },
      ),
    );
  });
});

describe('readAt', () => {
  it('gives every wanted record, across window edges and records larger than a window', async () => {
    const { file, extents } = jsonlFile(records);
    const wanted = extents.filter((_, i) => i % 3 !== 1 || i % 50 === 0);
    const expected = wanted.map((e) => JSON.stringify(records[e.line - 1]));
    expect(await texts(file, wanted, { windows: small })).toEqual(expected);
    expect(await texts(file, wanted, { windows: { windowBytes: 4096, maxGapBytes: 0 } })).toEqual(expected);
    expect(await texts(file, wanted)).toEqual(expected);
    // a handful of batches, not one read per record
    let batches = 0;
    for await (const _ of readAtBatches(file, wanted, { format: 'jsonl', displayPath: 'f.jsonl' })) batches++;
    expect(batches).toBe(1);
  });

  it('a sparse pick reads each record in a range of its own, many ranges to a window', async () => {
    const { file, extents } = jsonlFile(records);
    const wanted = extents.filter((_, i) => i % 9 === 4 || i === 50);
    const expected = wanted.map((e) => JSON.stringify(records[e.line - 1]));
    let batches = 0;
    for await (const _ of readAtBatches(file, wanted, {
      format: 'jsonl',
      displayPath: 'f.jsonl',
      windows: { windowBytes: 1024, maxGapBytes: 10 },
    }))
      batches++;
    expect(batches).toBeGreaterThan(1);
    expect(batches).toBeLessThan(wanted.length / 3);
    expect(await texts(file, wanted, { windows: { windowBytes: 1024, maxGapBytes: 10 } })).toEqual(expected);
  });

  it('records cut short by a file that shrank come back short, not from another range', async () => {
    const { file, extents, bytes } = jsonlFile(records.slice(0, 40));
    writeFileSync(file, bytes.subarray(0, extents[30]!.offset + 5));
    const wanted = [extents[2]!, extents[20]!, extents[30]!, extents[35]!];
    const got = await texts(file, wanted, { windows: { windowBytes: 1 << 20, maxGapBytes: 0 } });
    expect(got).toEqual([
      JSON.stringify(records[2]),
      JSON.stringify(records[20]),
      JSON.stringify(records[30]).slice(0, 5),
      '',
    ]);
  });

  it('whole-file reads give the same records and accept the file as the scan saw it', async () => {
    const { file, extents, bytes } = jsonlFile(records);
    const wanted = extents.filter((_, i) => i % 4 === 0);
    const wholeFile = { bytes: bytes.length, sha256: sha256(bytes) };
    const expected = wanted.map((e) => JSON.stringify(records[e.line - 1]));
    expect(await texts(file, wanted, { windows: small, wholeFile })).toEqual(expected);
    expect(await texts(file, wanted, { wholeFile })).toEqual(expected);
  });

  it('whole-file reads refuse a file changed where no wanted record is: INPUT_CHANGED', async () => {
    const { file, extents, bytes } = jsonlFile(records);
    const wholeFile = { bytes: bytes.length, sha256: sha256(bytes) };
    const changed = Buffer.from(bytes);
    // the same length, one byte changed inside record 2, which is not wanted
    changed[extents[1]!.offset + 8] =
      'z'.charCodeAt(0) === changed[extents[1]!.offset + 8] ? 'q'.charCodeAt(0) : 'z'.charCodeAt(0);
    writeFileSync(file, changed);
    const wanted = [extents[0]!, extents[2]!];
    const error = await texts(file, wanted, { windows: small, wholeFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixsmithError);
    expect(error).toMatchObject({ code: 'INPUT_CHANGED', where: { file: 'f.jsonl' } });
    // without the check the wanted records read as before
    expect(await texts(file, wanted, { windows: small })).toEqual([
      JSON.stringify(records[0]),
      JSON.stringify(records[2]),
    ]);
  });

  it('whole-file reads refuse a file that grew or shrank', async () => {
    const { file, extents, bytes } = jsonlFile(records.slice(0, 20));
    const wholeFile = { bytes: bytes.length, sha256: sha256(bytes) };
    writeFileSync(file, Buffer.concat([bytes, Buffer.from('{"i":999}\n')]));
    await expect(texts(file, extents.slice(0, 3), { wholeFile })).rejects.toMatchObject({ code: 'INPUT_CHANGED' });
    writeFileSync(file, bytes.subarray(0, bytes.length - 5));
    await expect(texts(file, extents.slice(0, 3), { wholeFile })).rejects.toMatchObject({ code: 'INPUT_CHANGED' });
  });

  it('whole-file reads are refused for files not read by offset', async () => {
    const { file, extents, bytes } = jsonlFile(records.slice(0, 5));
    const gz = `${file}.gz`;
    const { gzipSync } = await import('node:zlib');
    writeFileSync(gz, gzipSync(bytes));
    await expect(texts(gz, extents, { wholeFile: { bytes: 1, sha256: '' } })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });
});
