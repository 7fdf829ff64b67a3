/**
 * The same records written as JSONL, JSON array, CSV, TSV and Parquet, each plain, gzip and zstd
 * (Parquet: snappy, zstd and uncompressed pages), read back to identical canonical samples, and
 * re-read by position (what materialisation does) to identical values.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/records/facts/analyze-record.js';
import type { FieldMapping } from '../../src/recipe/types.js';
import type { SampleBody } from '../../src/sample.js';
import { tempDir } from '../helpers/temp.js';
import { readBack, valuesAt } from './helpers/read-back.js';
import {
  type ChatRow,
  chatParquet,
  csvText,
  flatParquet,
  jsonArrayBytes,
  jsonlBytes,
  WRAP_SUFFIX,
  type Wrap,
  wrapBytes,
  writeBytes,
} from './helpers/write-formats.js';

const dir = tempDir('mixsmith-roundtrip-');
const WRAPS: readonly Wrap[] = ['none', 'gzip', 'zstd'];

/** Content that breaks naive readers: separators, quotes, line breaks, CJK, astral characters. */
const TRICKY = [
  'plain question',
  'comma, "quoted", and a \\ backslash',
  'line one\nline two\r\nline three',
  '高血压患者可以吃什么？请详细说明。',
  'tab\tseparated\tand emoji 🩺🧬 and 𠀀 (astral CJK)',
  '  leading and trailing spaces  ',
  '{"looks": ["like", "json"]}',
  'unicode line separator \u2028 and paragraph \u2029',
  '',
];

const QA_COLUMNS = ['id', 'question', 'answer'];
const QA_ROWS = TRICKY.map((text, i) => ({
  id: `r${i}`,
  question: text === '' ? 'q for empty answer' : text,
  answer: `${TRICKY[(i + 3) % TRICKY.length]} (${i})`,
}));
const QA_MAPPING: FieldMapping = {
  turns: [
    { role: 'user', from: 'question' },
    { role: 'assistant', from: 'answer' },
  ],
  meta: ['id'],
};
const QA_BODIES: SampleBody[] = QA_ROWS.map((r) => ({
  kind: 'chat',
  messages: [
    { role: 'user', content: r.question },
    { role: 'assistant', content: r.answer },
  ],
}));

const CHAT_ROWS: ChatRow[] = TRICKY.map((text, i) => ({
  id: i,
  messages: [
    { role: 'system', content: `system ${i}` },
    { role: 'user', content: text },
    { role: 'assistant', content: `answer to ${i}: ${TRICKY[(i + 1) % TRICKY.length]}` },
  ],
}));
const CHAT_BODIES: SampleBody[] = CHAT_ROWS.map((r) => ({ kind: 'chat', messages: r.messages.map((m) => ({ ...m })) }));

async function expectSamePositions(file: string, read: Awaited<ReturnType<typeof readBack>>): Promise<void> {
  const everyOther = read.records.filter((_, i) => i % 2 === 1);
  expect(await valuesAt(file, read.format, everyOther)).toEqual(everyOther.map((raw) => parseRecord(raw)));
}

describe('flat question/answer records round-trip through every format', () => {
  const cases: { name: string; bytes: Buffer; format: string }[] = [];
  for (const wrap of WRAPS) {
    cases.push({ name: `qa.jsonl${WRAP_SUFFIX[wrap]}`, bytes: wrapBytes(jsonlBytes(QA_ROWS), wrap), format: 'jsonl' });
    cases.push({
      name: `qa.json${WRAP_SUFFIX[wrap]}`,
      bytes: wrapBytes(jsonArrayBytes(QA_ROWS), wrap),
      format: 'json',
    });
    cases.push({
      name: `qa.csv${WRAP_SUFFIX[wrap]}`,
      bytes: wrapBytes(Buffer.from(csvText(QA_COLUMNS, QA_ROWS, { crlf: true })), wrap),
      format: 'csv',
    });
    cases.push({
      name: `qa.tsv${WRAP_SUFFIX[wrap]}`,
      bytes: wrapBytes(Buffer.from(csvText(QA_COLUMNS, QA_ROWS, { delimiter: '\t' })), wrap),
      format: 'tsv',
    });
  }
  cases.push({ name: 'qa-snappy.parquet', bytes: flatParquet(QA_COLUMNS, QA_ROWS, 'SNAPPY'), format: 'parquet' });
  cases.push({ name: 'qa-zstd.parquet', bytes: flatParquet(QA_COLUMNS, QA_ROWS, 'ZSTD'), format: 'parquet' });

  it.each(cases)('$name', async ({ name, bytes, format }) => {
    const file = writeBytes(path.join(dir, name), bytes);
    const read = await readBack(file, { schema: QA_MAPPING });
    expect(read.format).toBe(format);
    expect(read.bodies).toEqual(QA_BODIES);
    expect(read.metas).toEqual(QA_ROWS.map((r) => ({ id: r.id })));
    await expectSamePositions(file, read);
  });
});

describe('nested chat records (lists of message structs) round-trip', () => {
  const cases: { name: string; bytes: Buffer }[] = [];
  for (const wrap of WRAPS) {
    cases.push({ name: `chat.jsonl${WRAP_SUFFIX[wrap]}`, bytes: wrapBytes(jsonlBytes(CHAT_ROWS), wrap) });
    cases.push({ name: `chat.json${WRAP_SUFFIX[wrap]}`, bytes: wrapBytes(jsonArrayBytes(CHAT_ROWS), wrap) });
  }
  for (const codec of ['ZSTD', 'SNAPPY', 'UNCOMPRESSED'] as const) {
    // Row groups of 4 rows: reading and re-reading cross row-group boundaries.
    cases.push({
      name: `chat-${codec.toLowerCase()}.parquet`,
      bytes: chatParquet(CHAT_ROWS, { codec, rowGroupSize: 4 }),
    });
  }

  it.each(cases)('$name', async ({ name, bytes }) => {
    const file = writeBytes(path.join(dir, name), bytes);
    const read = await readBack(file);
    expect(read.schema).toBe('openai');
    expect(read.bodies).toEqual(CHAT_BODIES);
    await expectSamePositions(file, read);
  });

  it('Parquet origins are rows, not lines', async () => {
    const file = writeBytes(
      path.join(dir, 'rows.parquet'),
      chatParquet(CHAT_ROWS, { codec: 'SNAPPY', rowGroupSize: 4 }),
    );
    const read = await readBack(file);
    expect(read.records.map((r) => r.row)).toEqual(CHAT_ROWS.map((_, i) => i + 1));
    expect(read.records.map((r) => r.offset)).toEqual(CHAT_ROWS.map((_, i) => i));
  });
});

describe('any text survives JSONL, CSV and Parquet alike (property)', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 40 });
  it('question/answer pairs read back identically from each format', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ question: text, answer: text }), { minLength: 1, maxLength: 8 }),
        async (pairs) => {
          const rows = pairs.map((p, i) => ({ id: String(i), ...p }));
          const expected = rows.map((r) => ({
            kind: 'chat',
            messages: [
              { role: 'user', content: r.question },
              { role: 'assistant', content: r.answer },
            ],
          }));
          run++;
          const files = [
            writeBytes(path.join(dir, `p${run}.jsonl.zst`), wrapBytes(jsonlBytes(rows), 'zstd')),
            writeBytes(path.join(dir, `p${run}.csv.gz`), wrapBytes(Buffer.from(csvText(QA_COLUMNS, rows)), 'gzip')),
            writeBytes(path.join(dir, `p${run}.parquet`), flatParquet(QA_COLUMNS, rows)),
          ];
          for (const file of files) expect((await readBack(file, { schema: QA_MAPPING })).bodies).toEqual(expected);
        },
      ),
      { numRuns: 25, seed: 20261125 },
    );
  });
});
