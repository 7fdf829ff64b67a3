import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../../src/errors.js';
import { parquetRecords, parquetRowsAt } from '../../../src/records/read/parquet-records.js';
import { plainValue } from '../../../src/records/read/parquet-values.js';
import type { RawRecord } from '../../../src/records/read/raw-record.js';
import { hasRealData, realFile } from '../../helpers/real-data.js';
import { tempDir } from '../../helpers/temp.js';
import { chatParquet, writeBytes } from '../../io/helpers/write-formats.js';

const dir = tempDir('mixsmith-parquet-');

async function all(file: string): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const batch of parquetRecords(file, { displayPath: path.basename(file) })) out.push(...batch);
  return out;
}

async function at(file: string, indexes: number[]): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const record of parquetRowsAt(file, indexes, { displayPath: path.basename(file) })) out.push(record);
  return out;
}

describe('plainValue', () => {
  it('turns what JSON cannot hold into JSON values', () => {
    expect(
      plainValue({
        n: 5n,
        big: 2n ** 63n - 1n,
        d: new Date(Date.UTC(2024, 0, 2)),
        b: new Uint8Array([1, 2, 255]),
        l: [1n, null],
        u: undefined,
      }),
    ).toEqual({
      n: 5,
      big: '9223372036854775807',
      d: '2024-01-02T00:00:00.000Z',
      b: 'AQL/',
      l: [1, null],
      u: null,
    });
  });
});

describe.runIf(hasRealData)('real Hugging Face Parquet exports', () => {
  it('capybara: 200 rows in one row group, messages as list<struct<content, role>>', async () => {
    const rows = await all(realFile('capybara-parquet', 'test-00000-of-00001.parquet'));
    expect(rows).toHaveLength(200);
    const first = rows[0]!.value as {
      source: string;
      messages: { role: string; content: string }[];
      num_turns: number;
    };
    expect(first.source).toBe('Dove');
    expect(first.messages[0]).toEqual({ content: 'How can I innovate today?', role: 'user' });
    expect(typeof first.num_turns).toBe('number');
    const counts = new Map<string, number>();
    for (const r of rows)
      counts.set((r.value as { source: string }).source, (counts.get((r.value as { source: string }).source) ?? 0) + 1);
    // Counts stated in capybara-parquet/SOURCE.md.
    expect(Object.fromEntries(counts)).toMatchObject({
      Dove: 52,
      Airoboros: 35,
      EverythingLM: 23,
      'Know-Logic': 15,
      GOAT: 7,
      'Verified-Camel': 2,
    });
  });

  it('ifbench: 1,387 rows over two row groups, null-typed struct fields read as null', async () => {
    const file = realFile('ifbench-parquet', 'test-00000-of-00001.parquet');
    const rows = await all(file);
    expect(rows).toHaveLength(1387);
    expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
    const first = rows[0]!.value as { key: number; kwargs: Record<string, unknown>[]; messages: { role: string }[] };
    expect(first.key).toBe(5);
    expect(first.kwargs[0]!.N).toBeNull();
    expect(first.kwargs[0]!.percentage).toBe(4);
    // A user turn, an answer, then the constrained rewrite request: an eval prompt, it ends on the user.
    expect(first.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    // Re-reading by row index across the row-group boundary (1000) returns the same rows.
    const picked = await at(file, [0, 999, 1000, 1386]);
    expect(picked.map((r) => r.row)).toEqual([1, 1000, 1001, 1387]);
    expect(picked.map((r) => r.value)).toEqual([
      rows[0]!.value,
      rows[999]!.value,
      rows[1000]!.value,
      rows[1386]!.value,
    ]);
  });
});

describe('broken Parquet', () => {
  const rows = Array.from({ length: 50 }, (_, i) => ({
    id: i,
    messages: [{ role: 'user', content: `question ${i}` }],
  }));
  const whole = writeBytes(path.join(dir, 'whole.parquet'), chatParquet(rows, { codec: 'ZSTD', rowGroupSize: 10 }));

  it('reads every row group of a whole file', async () => {
    expect((await all(whole)).map((r) => (r.value as { id: number }).id)).toEqual(rows.map((r) => r.id));
  });

  it('a file cut short is INPUT_IO with where and a hint, not a stack', async () => {
    const cut = writeBytes(path.join(dir, 'cut.parquet'), readFileSync(whole).subarray(0, 700));
    const error = await all(cut).then(
      () => undefined,
      (e: unknown) => e as MixsmithError,
    );
    expect(error).toBeInstanceOf(MixsmithError);
    expect(error?.code).toBe('INPUT_IO');
    expect(error?.where).toEqual({ file: 'cut.parquet' });
    expect(error?.message).toMatch(/footer is missing or damaged: the file was cut short/);
    expect(error?.hint).toMatch(/PAR1/);
  });
});
