import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CountHistogram } from '../../src/inspect/count-histogram.js';
import { inspectFile } from '../../src/inspect/inspect-file.js';
import { parseSchemaOption } from '../../src/inspect/schema-option.js';
import { MixsmithError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { chatParquet, csvText, jsonlBytes, wrapBytes, writeBytes } from '../io/helpers/write-formats.js';

const dir = tempDir('mixsmith-inspect-');

const alpaca = (i: number) => ({ instruction: `question ${i}`, input: '', output: `answer ${'x'.repeat(i)}` });

describe('CountHistogram', () => {
  it('gives nearest-rank percentiles', () => {
    const h = new CountHistogram();
    for (let v = 1; v <= 100; v++) h.add(v);
    expect(h.summary()).toEqual({ count: 100, min: 1, p10: 10, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
    expect(new CountHistogram().summary()).toBeUndefined();
  });
});

describe('inspectFile', () => {
  // 10 distinct records, 2 exact copies, 1 copy that differs only in case/white space, 1 bad line.
  const records = [
    ...Array.from({ length: 10 }, (_, i) => alpaca(i)),
    alpaca(3),
    alpaca(4),
    { instruction: 'QUESTION  5', input: '', output: 'answer xxxxx' },
  ];
  const text = `${jsonlBytes(records).toString()}{"instruction": "broken"\n`;
  const file = writeBytes(path.join(dir, 'data.json.zst'), wrapBytes(Buffer.from(text), 'zstd'));

  it('reports detection, counts, duplicates, invalid rows and lengths', async () => {
    const report = await inspectFile(
      { absolutePath: file, displayPath: 'data.json.zst' },
      { format: 'auto', encoding: 'auto', schema: 'auto' },
    );
    expect(report).toMatchObject({
      file: 'data.json.zst',
      format: 'jsonl',
      compression: 'zstd',
      encoding: { name: 'utf-8', how: 'detected' },
      schema: { name: 'alpaca', how: 'detected' },
      records: 14,
      valid: 13,
      invalid: { count: 1, byCode: { INPUT_JSON: 1 } },
      duplicates: { exact: 2, normalized: 3 },
      empty: 0,
    });
    expect(report.invalid.first[0]).toMatchObject({ where: 'data.json.zst:14', code: 'INPUT_JSON' });
    expect(report.lengths.turns).toMatchObject({ min: 2, max: 2 });
    // "question 0\nanswer " is 18 characters, plus i x's.
    expect(report.lengths.chars).toMatchObject({ min: 18, max: 27, count: 13 });
    expect(report.examples).toHaveLength(3);
    expect(report.examples[0]).toEqual({
      origin: 'data.json.zst:1',
      body: {
        kind: 'chat',
        messages: [
          { role: 'user', content: 'question 0' },
          { role: 'assistant', content: 'answer ' },
        ],
      },
      meta: {},
    });
  });

  it('guesses GB18030 for a CSV that is not UTF-8, and maps it with a template', async () => {
    const gb = Buffer.from('7469746c652c61736b2c616e737765720ab8dfd1aad1b92cc4dabfc62cb5cdd1ced2fbcab30a', 'hex'); // title,ask,answer / 高血压,内科,低盐饮食
    const csv = writeBytes(path.join(dir, 'gb.csv'), gb);
    const schema = parseSchemaOption(
      '{"turns":[{"role":"user","template":"{title}: {ask}"},{"role":"assistant","from":"answer"}]}',
    );
    const report = await inspectFile(
      { absolutePath: csv, displayPath: 'gb.csv' },
      { format: 'auto', encoding: 'auto', schema },
    );
    expect(report.encoding).toEqual({ name: 'gb18030', how: 'detected' });
    expect(report.schema).toEqual({ name: 'mapping', how: 'declared' });
    expect(report.examples[0]!.body).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: '高血压: 内科' },
        { role: 'assistant', content: '低盐饮食' },
      ],
    });
  });

  it('shows raw records when no preset fits, naming the keys it saw', async () => {
    const qa = writeBytes(path.join(dir, 'qa.txt'), jsonlBytes([{ 问: 'q', 答: 'a' }]));
    const report = await inspectFile(
      { absolutePath: qa, displayPath: 'qa.txt' },
      { format: 'auto', encoding: 'auto', schema: 'auto' },
    );
    expect(report.schema.name).toBeNull();
    expect(report.schema.problem).toMatch(/keys: 问, 答/);
    expect(report.examples).toEqual([{ origin: 'qa.txt:1', raw: { 问: 'q', 答: 'a' } }]);
    // Nothing was mapped, so there is no count after normalising (it used to say 0).
    expect(report.duplicates).toEqual({ exact: 0, normalized: null });
    const run = await runCli(['inspect', qa]);
    expect(run.stderr).toContain('duplicates: 0 exact, – after normalising (no record could be mapped)');
  });

  it('counts characters of the sample text, turns joined by a newline (docs/formats.md)', async () => {
    const pc = writeBytes(path.join(dir, 'pc.jsonl'), jsonlBytes([{ prompt: 'abc', completion: 'de' }]));
    const report = await inspectFile(
      { absolutePath: pc, displayPath: 'pc.jsonl' },
      { format: 'auto', encoding: 'auto', schema: 'auto' },
    );
    // 3 + 2 characters and the newline between the turns; min_chars would see 5.
    expect(report.lengths.chars).toMatchObject({ min: 6, max: 6 });
  });

  it('locates Parquet rows as file#row=N', async () => {
    const pq = writeBytes(
      path.join(dir, 'chat.parquet'),
      chatParquet([{ id: 1, messages: [{ role: 'user', content: 'hi' }] }], { codec: 'ZSTD' }),
    );
    const report = await inspectFile(
      { absolutePath: pq, displayPath: 'chat.parquet' },
      { format: 'auto', encoding: 'auto', schema: 'auto' },
    );
    expect(report).toMatchObject({
      format: 'parquet',
      encoding: { name: 'utf-8', how: 'fixed' },
      schema: { name: 'openai' },
      records: 1,
    });
    expect(report.examples[0]!.origin).toBe('chat.parquet#row=1');
  });
});

describe('parseSchemaOption', () => {
  it('accepts presets, auto and mappings; refuses anything else as USAGE', () => {
    expect(parseSchemaOption('sharegpt')).toBe('sharegpt');
    expect(parseSchemaOption('{"text":"body"}')).toEqual({ text: 'body' });
    for (const bad of ['sharegtp', '{"turns":[{"role":"bot","from":"a"}]}', '{nope']) {
      expect(() => parseSchemaOption(bad)).toThrow(MixsmithError);
    }
  });
});

describe('mixsmith inspect', () => {
  const csv = writeBytes(
    path.join(dir, 'rows.csv'),
    Buffer.from(
      csvText(
        ['prompt', 'completion'],
        [
          { prompt: 'p1', completion: 'c1' },
          { prompt: 'p2', completion: 'c2' },
        ],
      ),
    ),
  );

  it('prints JSON with --json', async () => {
    const run = await runCli(['inspect', csv, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      ok: boolean;
      files: { format: string; schema: { name: string }; records: number }[];
    };
    expect(out.ok).toBe(true);
    expect(out.files.map((f) => [f.format, f.schema.name, f.records])).toEqual([['csv', 'prompt-completion', 2]]);
  });

  it('prints a readable block on stderr', async () => {
    const run = await runCli(['inspect', csv, '--examples', '1']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('format: csv   encoding: utf-8 (detected)   schema: prompt-completion (detected)');
    expect(run.stderr).toContain('records: 2   valid: 2   invalid: 0');
    expect(run.stderr).toContain('user: p1');
  });

  it('fails with the input error code and no stack for a file it cannot read', async () => {
    const xml = writeBytes(path.join(dir, 'doc.xml'), Buffer.from('<?xml version="1.0"?><a/>'));
    const run = await runCli(['inspect', xml]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/error\[INPUT_FORMAT\]/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports every file of a folder with one bad file, the bad one with its error, and exits with the worst code', async () => {
    const folder = path.join(dir, 'mixed');
    mkdirSync(folder);
    writeBytes(path.join(folder, 'a.jsonl'), jsonlBytes([alpaca(1), alpaca(2)]));
    writeBytes(path.join(folder, 'b.json'), Buffer.from('{"version": "1",\n "data": [\n'));
    writeBytes(
      path.join(folder, 'c.csv'),
      Buffer.from(csvText(['prompt', 'completion'], [{ prompt: 'p1', completion: 'c1' }])),
    );
    const json = await runCli(['inspect', folder, path.join(dir, 'nothing-*.jsonl'), '--json']);
    expect(json.code).toBe(4);
    const out = JSON.parse(json.stdout) as {
      ok: boolean;
      files: { file: string; records?: number; error?: { code: string; message: string } }[];
    };
    expect(out.ok).toBe(false);
    expect(out.files.map((f) => [path.basename(f.file), f.records ?? f.error!.code])).toEqual([
      ['a.jsonl', 2],
      ['b.json', 'INPUT_FORMAT'],
      ['c.csv', 1],
      ['nothing-*.jsonl', 'INPUT_NOT_FOUND'],
    ]);
    const human = await runCli(['inspect', folder]);
    expect(human.code).toBe(4);
    expect(human.stderr).toContain('records: 2   valid: 2');
    expect(human.stderr).toContain('records: 1   valid: 1');
    expect(human.stderr).toMatch(/b\.json {2}not read\n.*error\[INPUT_FORMAT\]/);
    expect(human.stderr).toMatch(/2 of 3 files inspected; not read: .*b\.json \(INPUT_FORMAT\)/);
  });

  it('names a path that matches nothing', async () => {
    const run = await runCli(['inspect', path.join(dir, 'nothing-*.jsonl')]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/error\[INPUT_NOT_FOUND\].*matches no file/);
  });
});
