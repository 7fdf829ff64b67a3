/**
 * Limits while reading, reader by reader, in-process (the memory side is read-limits.test.ts):
 * each reader stops a record past max_record_bytes at its place with INPUT_LIMIT, reads a record
 * of exactly the limit, and a value nested deeper than max_depth is an INPUT_LIMIT record error.
 */
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../../src/errors.js';
import { nestsDeeperThan, type ReadLimits } from '../../../src/io/read-limits.js';
import { parseRecord } from '../../../src/records/facts/analyze-record.js';
import { RecordError } from '../../../src/records/map/record-error.js';
import { csvRecordBytes } from '../../../src/records/read/csv-splitter.js';
import { jsonArrayRecords } from '../../../src/records/read/json-array-records.js';
import { jsonObjectRecords } from '../../../src/records/read/json-object-records.js';
import { lineBatches } from '../../../src/records/read/line-batches.js';

const limits: ReadLimits = { maxRecordBytes: 4096, maxDepth: 64 };

async function* chunked(text: string, size = 1000): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield Buffer.from(bytes.subarray(at, at + size));
}

async function drain(records: AsyncIterable<unknown>): Promise<number> {
  let batches = 0;
  for await (const _ of records) batches++;
  return batches;
}

async function failure(promise: Promise<unknown>): Promise<MixsmithError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MixsmithError) return error;
    throw error;
  }
  throw new Error('expected a MixsmithError');
}

const line = (bytes: number) => `{"text": "${'a'.repeat(bytes - 12)}"}`;

describe('max_record_bytes in every reader', () => {
  it('JSONL: a line of exactly the limit is read, a longer one is INPUT_LIMIT at its line', async () => {
    expect(line(4096)).toHaveLength(4096);
    expect(await drain(lineBatches(chunked(`${line(100)}\n${line(4096)}\n`), { limits, displayPath: 'a.jsonl' }))).toBe(
      1,
    );
    for (const chunk of [1000, 1 << 20]) {
      const text = `${line(100)}\n${line(100)}\n${line(4097)}\n`;
      const error = await failure(drain(lineBatches(chunked(text, chunk), { limits, displayPath: 'a.jsonl' })));
      expect(error.code).toBe('INPUT_LIMIT');
      expect(error.where).toEqual({ file: 'a.jsonl', line: 3 });
      expect(error.message).toContain('max_record_bytes (4096 bytes');
      expect(error.hint).toContain('max_record_bytes');
    }
  });

  it('JSONL: an endless line without a newline fails once past the limit, not at its end', async () => {
    let sent = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        sent += 1000;
        yield Buffer.alloc(1000, 0x61);
      }
    }
    const error = await failure(drain(lineBatches(endless(), { limits, displayPath: 'z.jsonl' })));
    expect(error.code).toBe('INPUT_LIMIT');
    expect(error.where).toEqual({ file: 'z.jsonl', line: 1 });
    expect(sent).toBeLessThanOrEqual(4096 + 1000);
  });

  it('JSON arrays: an element past the limit is INPUT_LIMIT at its element', async () => {
    const array = (last: number) => `[${line(100)}, ${line(100)},\n ${line(last)}]`;
    expect(await drain(jsonArrayRecords(chunked(array(4096)), 'a.json', limits))).toBeGreaterThan(0);
    for (const chunk of [1000, 1 << 20]) {
      const error = await failure(drain(jsonArrayRecords(chunked(array(4097), chunk), 'a.json', limits)));
      expect(error.code).toBe('INPUT_LIMIT');
      expect(error.where).toEqual({ file: 'a.json', element: 3 });
    }
  });

  it('JSON arrays: an element over many chunks is joined once, whole and in order', async () => {
    const big = `{"text": "${'x'.repeat(200_000)}${'y'.repeat(100)}"}`;
    const records = [];
    for await (const batch of jsonArrayRecords(chunked(`[${big}, {"text": "b"}]`, 777), 'a.json'))
      records.push(...batch);
    expect(records.map((r) => r.text)).toEqual([big, '{"text": "b"}']);
  });

  it('keyed JSON objects: a value past the limit is INPUT_LIMIT', async () => {
    const object = `{"a": ${line(100)}, "b": ${line(9000)}}`;
    const error = await failure(drain(jsonObjectRecords(chunked(object), 'o.json', limits)));
    expect(error.code).toBe('INPUT_LIMIT');
  });

  it('CSV: a row past the limit is INPUT_LIMIT; inside an unclosed quote it stays INPUT_CSV', async () => {
    const row = (bytes: number) => `x,${'b'.repeat(bytes - 2)}`;
    expect(await drain(csvRecordBytes(chunked(`q,a\n${row(4096)}\nc,d\n`), 44, 'a.csv', limits))).toBeGreaterThan(0);
    for (const chunk of [1000, 1 << 20]) {
      const long = await failure(
        drain(csvRecordBytes(chunked(`q,a\nc,d\n${row(4097)}\n`, chunk), 44, 'a.csv', limits)),
      );
      expect(long.code).toBe('INPUT_LIMIT');
      expect(long.where).toEqual({ file: 'a.csv', line: 3 });
    }
    const quoted = await failure(drain(csvRecordBytes(chunked(`q,a\nc,"${'d'.repeat(6000)}\n`), 44, 'a.csv', limits)));
    expect(quoted.code).toBe('INPUT_CSV');
    expect(quoted.message).toContain('max_record_bytes');
  });

  it('CSV: a row over many chunks (with CRLF split between chunks) is joined once, whole', async () => {
    const value = 'v'.repeat(5000);
    const rows = [];
    for await (const batch of csvRecordBytes(chunked(`q,a\r\n1,${value}\r\n2,z\r\n`, 1001), 44, 'a.csv'))
      rows.push(...batch);
    expect(rows.map((r) => r.bytes.toString())).toEqual(['q,a', `1,${value}`, '2,z']);
  });
});

describe('max_depth', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('counts {} and [] as one level and stops at the limit', () => {
    expect(nestsDeeperThan(JSON.parse(nested(64)), 64)).toBe(false);
    expect(nestsDeeperThan(JSON.parse(nested(65)), 64)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it('a record nested 100,000 deep is an INPUT_LIMIT record error, not a stack overflow', () => {
    const text = `{"a": ${nested(100_000)}}`;
    let error: unknown;
    try {
      parseRecord({ text }, { maxDepth: 512 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).code).toBe('INPUT_LIMIT');
    expect((error as RecordError).message).toContain('max_depth (512 levels)');
    expect(parseRecord({ text: `{"a": ${nested(511)}}` }, { maxDepth: 512 })).toBeDefined();
  });
});
