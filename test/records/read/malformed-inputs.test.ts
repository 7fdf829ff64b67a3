/**
 * Malformed inputs through `mixsmith compose`: each gets its code, its `file:line` (or
 * `file:row N` for Parquet) and a hint, exit status 4, and never a stack trace. With
 * `on_error: skip` the record-level ones are counted in the manifest instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { chatParquet, csvText, jsonlBytes, wrapBytes, writeBytes } from '../../io/helpers/write-formats.js';

const dir = tempDir('mixsmith-malformed-');

const qa = (i: number) => ({ question: `question number ${i}`, answer: `answer number ${i}` });
const QA_MAPPING = {
  turns: [
    { role: 'user', from: 'question' },
    { role: 'assistant', from: 'answer' },
  ],
};

function recipe(name: string, source: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      seed: 1,
      sources: [{ name: 'src', group: 'all', ...source }],
      mixture: { volume: 5, shares: { all: 1 }, shortage: 'cap' },
    }),
  );
  return file;
}

async function composeFails(name: string, source: Record<string, unknown>): Promise<string> {
  const run = await runCli(['compose', recipe(name, source), '--out', path.join(dir, `${name}-out`)]);
  expect(run.code).toBe(4);
  expect(run.stderr).toContain('hint: ');
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).not.toContain('INTERNAL');
  return run.stderr;
}

const big = Array.from({ length: 3000 }, (_, i) => qa(i));

describe('compose refuses malformed input with code, place and hint', () => {
  it('a truncated gzip: INPUT_IO at the line after the last whole record', async () => {
    const whole = wrapBytes(jsonlBytes(big), 'gzip');
    writeBytes(path.join(dir, 'cut.jsonl.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    const stderr = await composeFails('gzip', { path: 'cut.jsonl.gz', schema: QA_MAPPING });
    expect(stderr).toMatch(
      /^cut\.jsonl\.gz:\d+: error\[INPUT_IO\]: cut\.jsonl\.gz: the gzip stream ends early \(truncated file\), after line \d+/,
    );
  });

  it('a truncated zstd file: INPUT_IO', async () => {
    const whole = wrapBytes(jsonlBytes(big), 'zstd');
    writeBytes(path.join(dir, 'cut.jsonl.zst'), whole.subarray(0, Math.floor(whole.length / 2)));
    const stderr = await composeFails('zstd', { path: 'cut.jsonl.zst', schema: QA_MAPPING });
    expect(stderr).toMatch(/error\[INPUT_IO\]: cut\.jsonl\.zst: the zstd stream ends early/);
  });

  it('a Parquet file cut short: INPUT_IO naming the missing footer', async () => {
    const whole = chatParquet([{ id: 1, messages: [{ role: 'user', content: 'hi' }] }], { codec: 'ZSTD' });
    writeBytes(path.join(dir, 'cut.parquet'), whole.subarray(0, whole.length - 20));
    const stderr = await composeFails('parquet', { path: 'cut.parquet' });
    expect(stderr).toMatch(/^cut\.parquet: error\[INPUT_IO\]: cut\.parquet: the Parquet footer is missing or damaged/);
    expect(stderr).toContain('hint: a Parquet file ends with its schema and "PAR1"');
  });

  it('a CSV quote never closed mid-file (rows merged before): INPUT_CSV at the line it opens on, even with the field count right', async () => {
    writeFileSync(
      path.join(dir, 'unbalanced.csv'),
      'question,answer\nq1,a1\n"q2 never closed,a2\nq3,a3\n"q4",a4\nq5,a5\n',
    );
    const stderr = await composeFails('unbalanced', { path: 'unbalanced.csv', schema: QA_MAPPING });
    expect(stderr).toMatch(/^unbalanced\.csv:3: error\[INPUT_CSV\]/);
  });

  it('a CSV row with the wrong number of fields: INPUT_CSV at its line', async () => {
    writeFileSync(path.join(dir, 'rows.csv'), 'question,answer\nq1,a1\n"q2, quoted",a2\nq3 has, a stray comma,a3\n');
    const stderr = await composeFails('csv', { path: 'rows.csv', schema: QA_MAPPING });
    expect(stderr).toMatch(/^rows\.csv:4: error\[INPUT_CSV\]: the row has 3 fields, the header has 2/);
  });

  it('bytes invalid in the stated encoding: INPUT_ENCODING at the line, suggesting the right one', async () => {
    // 头痛,休息 in GB18030, read with the default utf-8: 头痛 happens to be valid UTF-8 bytes, 休 is not.
    writeBytes(
      path.join(dir, 'gb.csv'),
      Buffer.concat([Buffer.from('question,answer\n'), Buffer.from('cdb7cdb42cd0ddcfa20a', 'hex')]),
    );
    const stderr = await composeFails('encoding', { path: 'gb.csv', schema: QA_MAPPING });
    expect(stderr).toMatch(
      /^gb\.csv:2: error\[INPUT_ENCODING\]: the record is not valid UTF-8 \(byte 6 of the record is 0xd0\)/,
    );
    expect(stderr).toContain('hint: these bytes read as gb18030: set encoding: gb18030');
  });

  it('a mapped field that is missing: INPUT_FIELD_MISSING with the key it probably meant', async () => {
    writeBytes(path.join(dir, 'typo.jsonl'), jsonlBytes([qa(1), { question: 'q', anwer: 'a' }]));
    const stderr = await composeFails('missing', { path: 'typo.jsonl', schema: QA_MAPPING });
    expect(stderr).toMatch(/^typo\.jsonl:2: error\[INPUT_FIELD_MISSING\]: missing field "answer" \(schema mapping\)/);
    expect(stderr).toContain('hint: did you mean "anwer"?');
  });

  it('a mapped field that is not a string, in Parquet: INPUT_FIELD_TYPE at file:row N', async () => {
    const rows = [1, 2, 3].map((id) => ({ id, messages: [{ role: 'user', content: `q${id}` }] }));
    writeBytes(path.join(dir, 'rows.parquet'), chatParquet(rows, { codec: 'SNAPPY' }));
    const stderr = await composeFails('type', {
      path: 'rows.parquet',
      schema: { turns: [{ role: 'user', from: 'messages' }] },
    });
    expect(stderr).toMatch(
      /^rows\.parquet:row 1: error\[INPUT_FIELD_TYPE\]: field "messages" must be a string, got a list/,
    );
  });
});

describe('with on_error: skip', () => {
  it('counts CSV and encoding problems by code, with their first places, and composes the rest', async () => {
    writeBytes(
      path.join(dir, 'mixed.csv'),
      Buffer.concat([
        Buffer.from(
          csvText(
            ['question', 'answer'],
            [qa(1), qa(2)].map((r) => ({ ...r })),
          ),
        ),
        Buffer.from('only one field\n'),
        Buffer.from([0xff, 0x2c, 0x61, 0x0a]),
        Buffer.from('q5,a5\n'),
      ]),
    );
    const out = path.join(dir, 'skip-out');
    const run = await runCli([
      'compose',
      recipe('skip', { path: 'mixed.csv', schema: QA_MAPPING, on_error: 'skip' }),
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      sources: {
        src: { read: number; invalid: number; invalidByCode: object; invalidExamples: string[]; available: number };
      };
    };
    expect(manifest.sources.src).toMatchObject({
      read: 5,
      invalid: 2,
      invalidByCode: { INPUT_CSV: 1, INPUT_ENCODING: 1 },
      available: 3,
    });
    expect(manifest.sources.src.invalidExamples).toEqual([
      'mixed.csv:4: INPUT_CSV: the row has 1 field, the header has 2',
      'mixed.csv:5: INPUT_ENCODING: the record is not valid UTF-8 (byte 1 of the record is 0xff)',
    ]);
  });
});
