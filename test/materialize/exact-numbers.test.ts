/**
 * Passthrough output keeps every number's value (issue #24 H4): numbers a double cannot hold keep
 * their text in JSONL, whatever the input's JSON shape (lines, array, keyed object) and wherever the
 * record is rendered (this thread or the render workers); Parquet refuses them, naming the record.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
const BIG = ['9007199254740993', '1e999999', '123456789012345678901234567890', '-0.30000000000000000000000001'];

/** Records with an instruction/output pair (the alpaca preset) and the big numbers in other fields. */
const texts = Array.from(
  { length: 40 },
  (_, i) =>
    `{"instruction":"question ${i}","output":"answer ${i}","n":${BIG[i % BIG.length]},"nested":{"list":[${BIG[(i + 1) % BIG.length]},1.5,${i}]},"plain":${i}}`,
);

function recipe(name: string, file: string, format = 'jsonl'): string {
  const recipePath = path.join(dir, `${name}.yaml`);
  writeFileSync(
    recipePath,
    `name: ${name}
seed: 3
sources:
  - { name: s, group: g, path: ${file}, schema: alpaca }
mixture:
  volume: 40
  shares: { g: 1 }
split:
  validation: 0
output:
  schema: passthrough
  format: ${format}
  provenance: false
`,
  );
  return recipePath;
}

function outputLines(out: string): string[] {
  const shards = readdirSync(out).filter((f) => f.startsWith('train-') && f.endsWith('.jsonl'));
  return shards.flatMap((f) => readFileSync(path.join(out, f), 'utf8').split('\n').filter(Boolean));
}

describe('passthrough numbers', () => {
  writeFileSync(path.join(dir, 'lines.jsonl'), texts.join('\n'));
  writeFileSync(path.join(dir, 'array.json'), `[${texts.join(',')}]`);
  writeFileSync(path.join(dir, 'keyed.json'), `{${texts.map((t, i) => `"k${i}":${t}`).join(',')}}`);

  const shapes = [
    { name: 'jsonl', file: 'lines.jsonl', expected: texts, workers: '0' },
    { name: 'jsonl-workers', file: 'lines.jsonl', expected: texts, workers: '2' },
    { name: 'array', file: 'array.json', expected: texts, workers: '0' },
    {
      name: 'keyed',
      file: 'keyed.json',
      expected: texts.map((t, i) => `{"$key":"k${i}",${t.slice(1)}`),
      workers: '0',
    },
  ];
  for (const shape of shapes) {
    it(`keep their text in JSONL (${shape.name})`, async () => {
      const out = path.join(dir, `${shape.name}-out`);
      const result = await runCli([
        'compose',
        recipe(shape.name, shape.file),
        '--out',
        out,
        '--workers',
        shape.workers,
      ]);
      expect(result.code).toBe(0);
      expect(outputLines(out).sort()).toEqual([...shape.expected].sort());
      const audit = await runCli(['audit', out]);
      expect(audit.code).toBe(0);
    });
  }

  it('are refused in Parquet passthrough, with the record named', async () => {
    const out = path.join(dir, 'parquet-out');
    const result = await runCli(['compose', recipe('parquet', 'lines.jsonl', 'parquet'), '--out', out]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/lines\.jsonl:\d+: error\[INPUT_NUMBER\]/);
    expect(result.stderr).toContain('hint: write output.format: jsonl');
    expect(result.stderr).not.toContain('    at ');
  });
});
