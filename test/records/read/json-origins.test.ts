/**
 * Every record of a JSON array has its own origin (#20 item 2): a one-line array used to place all
 * its records at `file.json:1`. Records of JSON arrays are numbered elements, `file.json#element=N`
 * as Parquet's rows are `file#row=N`; compose writes that origin, and the audit reads a record of
 * the array again from its place (the earlier side of a near-duplicate pair).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../../src/audit/report.js';
import { compose } from '../../../src/compose/compose.js';
import { parseRecipe } from '../../../src/recipe/load.js';
import { originOf, whereOf } from '../../../src/records/read/raw-record.js';
import { readRecords } from '../../../src/records/read/read-records.js';
import { formatWhere } from '../../../src/errors.js';
import { oneWordChanged, proseRecords } from '../../audit/prose.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

const dir = tempDir('mixsmith-json-origins-');

/** 60 records on one line, the last a near copy of the 10th. */
function writeOneLineArray(file: string) {
  const records = proseRecords(0, 59);
  records.push(oneWordChanged(records[9]!));
  writeFileSync(file, JSON.stringify(records));
  return records;
}

describe('origins of JSON array records', () => {
  it('numbers the elements of a one-line array', async () => {
    const file = path.join(dir, 'numbered.json');
    writeOneLineArray(file);
    const origins: string[] = [];
    for await (const batch of readRecords(file, { format: 'json', displayPath: 'numbered.json' })) {
      for (const record of batch) origins.push(originOf('numbered.json', record));
    }
    expect(origins).toHaveLength(60);
    expect(origins[0]).toBe('numbered.json#element=1');
    expect(origins[59]).toBe('numbered.json#element=60');
    expect(new Set(origins).size).toBe(60);
    expect(formatWhere(whereOf('numbered.json', { line: 7, element: 7 }))).toBe('numbered.json:element 7');
    // JSONL, CSV and Parquet places are what they were.
    expect(originOf('a.jsonl', { line: 3 })).toBe('a.jsonl:3');
    expect(originOf('a.parquet', { line: 3, row: 3 })).toBe('a.parquet#row=3');
  });

  it('gives every composed record of a one-line array its own origin, pointing at its element', async () => {
    const records = writeOneLineArray(path.join(dir, 'qa.json'));
    const recipe = `name: origins\nseed: 3\nsources:\n  - name: qa\n    group: g\n    path: qa.json\nmixture:\n  volume: 40\n  shares: { g: 1 }\n`;
    const out = path.join(dir, 'out');
    await compose(parseRecipe(recipe, 'recipe.yaml', dir), { out });
    const lines = readFileSync(path.join(out, 'train-00000-of-00001.jsonl'), 'utf8').trim().split('\n');
    const written = lines.map((line) => JSON.parse(line) as { origin: string; messages: { content: string }[] });
    expect(written).toHaveLength(40);
    expect(new Set(written.map((r) => r.origin)).size).toBe(40);
    for (const record of written) {
      const element = /^qa\.json#element=(\d+)$/.exec(record.origin);
      expect(element).not.toBeNull();
      expect(record.messages[0]!.content).toBe(records[Number(element![1]) - 1]!.instruction);
    }
  });

  it('the audit reads an element of the array again from its place', async () => {
    const run = await runCli(['audit', path.join(dir, 'numbered.json'), '--json']);
    const result = JSON.parse(run.stdout) as AuditResult;
    const pair = result.subjects[0]!.splits.flatMap((s) => s.nearDuplicates?.examples ?? [])[0]!;
    expect([pair.earlier.line, pair.later.line]).toEqual([10, 60]);
    const tenth = proseRecords(0, 59)[9]!;
    // The earlier side is read again from the one-line array, at element 10.
    expect(pair.earlier.text).not.toContain('could not be read again');
    expect(tenth.output).toContain(
      pair.earlier.text.replace(/^…/, '').replace(/…$/, '').split(' ').slice(-8).join(' ').trim(),
    );
  });
});
