/**
 * Near duplicates left in a mixture: a train record copied into validation with one word changed
 * is a near leak (not an exact one) and `--expect leak.near=0` exits 6; one copied inside train is
 * `dup.near.train`; exact copies count as exact duplicates only; the example pair shows both
 * records (the earlier one read again from its shard) and their Jaccard similarity;
 * `--near-threshold` moves the line and `--no-near` removes the figures. The earlier side is read
 * again from Parquet, gzip and OpenAI-target shards as well.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult, NearDupPair } from '../../src/audit/report.js';
import { runCli } from '../helpers/cli.js';
import { twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { compose } from '../../src/compose/compose.js';
import { appendLine, copyOutput, readLines, reseal } from './mixtures.js';
import { oneWordChanged, proseRecords } from './prose.js';

const dir = tempDir('mixsmith-audit-near-');
let clean: string;
const TRAIN = 'train-00000-of-00003.jsonl';
const VALIDATION = 'validation-00000-of-00001.jsonl';

/** The record of a shard line with the answer's word 20 replaced, as a shard line again. */
function nearCopy(line: string): string {
  const record = JSON.parse(line) as { messages: { role: string; content: string }[] };
  const answer = record.messages[1]!.content.split(' ');
  answer[20] = answer[20] === 'zebra' ? 'okapi' : 'zebra';
  record.messages[1]!.content = answer.join(' ');
  return JSON.stringify(record);
}

/** Both snippets open just before the one changed word (past the first 160 characters); the copy's shows it. */
function expectChangedWordShown(pair: NearDupPair, copy: 'earlier' | 'later' | 'either' = 'later'): void {
  expect(pair.earlier.text.startsWith('…')).toBe(true);
  expect(pair.later.text.startsWith('…')).toBe(true);
  const shown = [pair.earlier, pair.later].map((e) => / (zebra|okapi) /.test(e.text));
  expect(shown).toEqual(
    copy === 'either' ? (shown[0] ? [true, false] : [false, true]) : [copy === 'earlier', copy === 'later'],
  );
}

async function audit(out: string, extra: readonly string[]) {
  const run = await runCli(['audit', out, ...extra, '--json']);
  return { ...run, result: run.stdout ? (JSON.parse(run.stdout) as AuditResult) : undefined };
}

beforeAll(async () => {
  writeJsonl(path.join(dir, 'med.jsonl'), proseRecords(0, 200));
  writeJsonl(path.join(dir, 'gen.jsonl'), proseRecords(10_000, 400));
  const text = twoGroupRecipe({
    medical: 'med.jsonl',
    general: 'gen.jsonl',
    volume: 300,
    validation: 30,
    extra: 'output:\n  max_rows_per_shard: 100\n',
  });
  clean = path.join(dir, 'clean');
  await compose(parseRecipe(text, 'recipe.yaml', dir), { out: clean });
});

describe('near duplicates in audit', () => {
  it('finds none in a composed output of distinct records', async () => {
    const { code, result } = await audit(clean, ['--expect', 'dup.near=0', '--expect', 'leak.near=0']);
    expect(code).toBe(0);
    const subject = result!.subjects[0]!;
    expect(subject.nearDuplicates).toMatchObject({
      status: 'checked',
      threshold: 0.8,
      fields: 'all',
      shingles: { unit: 'auto', wordSize: 5, charSize: 5 },
      bands: 20,
      rows: 6,
      stored: 330,
    });
    expect(subject.splits.map((s) => [s.name, s.nearDuplicates?.records, s.nearLeak?.records ?? null])).toEqual([
      ['train', 0, null],
      ['validation', 0, 0],
    ]);
  });

  it('finds a train record copied into validation with one word changed: leak.near, exit 6', async () => {
    const out = copyOutput(clean, path.join(dir, 'near-leak'));
    const trainLine = readLines(path.join(out, TRAIN))[5]!;
    appendLine(path.join(out, VALIDATION), nearCopy(trainLine));
    reseal(out);
    const { code, result, stderr } = await audit(out, [
      '--expect',
      'leak.validation=0',
      '--expect',
      'leak.near=0',
      '--expect',
      'dup.near=0',
    ]);
    expect(code).toBe(6);
    expect(stderr).toMatch(/error\[AUDIT_EXPECT\]: --expect leak\.near=0 does not hold: leak\.near is 1\n/);
    const subject = result!.subjects[0]!;
    expect(subject.rules.filter((r) => !r.ok).map((r) => r.figure)).toEqual(['leak.near']);
    expect(subject.figures['leak.near.validation']).toBe(1);
    const validation = subject.splits.find((s) => s.name === 'validation')!;
    expect(validation.leak!.records).toBe(0);
    expect(validation.total.nearLeaked).toBe(1);
    const pair = validation.nearLeak!.examples[0]!;
    // 71 shingles each, 5 of them changed: 66 shared of 76
    expect(pair.jaccard).toBeCloseTo(66 / 76, 6);
    expect([pair.earlier.file, pair.earlier.line, pair.later.file, pair.later.line]).toEqual([
      TRAIN,
      6,
      VALIDATION,
      31,
    ]);
    const trainRecord = JSON.parse(trainLine) as { messages: { content: string }[]; group: string; origin: string };
    expect(pair.earlier).toMatchObject({ group: trainRecord.group, origin: trainRecord.origin });
    // the changed word lies past the first 160 characters: both snippets start shortly before it
    const trainText = `${trainRecord.messages[0]!.content} ${trainRecord.messages[1]!.content}`;
    expect(trainText).toContain(pair.earlier.text.slice(1, -1));
    expectChangedWordShown(pair);
  });

  it('finds a near copy inside train: dup.near.train', async () => {
    const out = copyOutput(clean, path.join(dir, 'near-dup'));
    const line = readLines(path.join(out, TRAIN))[0]!;
    appendLine(path.join(out, 'train-00002-of-00003.jsonl'), nearCopy(line));
    reseal(out);
    const { code, result, stderr } = await audit(out, ['--expect', 'dup.near.train=0']);
    expect(code).toBe(6);
    expect(stderr).toMatch(/dup\.near\.train is 1/);
    const train = result!.subjects[0]!.splits[0]!;
    expect(train.nearDuplicates!.records).toBe(1);
    expect(train.nearDuplicates!.examples[0]!.earlier.line).toBe(1);
    expect(train.total.duplicates).toBe(0);
    // the group and source tables carry the count too
    const group = JSON.parse(line).group as string;
    expect(train.groups[group]!.nearDuplicates).toBe(1);
  });

  it('counts an exact copy as an exact duplicate only', async () => {
    const out = copyOutput(clean, path.join(dir, 'exact'));
    appendLine(path.join(out, 'train-00002-of-00003.jsonl'), readLines(path.join(out, TRAIN))[0]!);
    reseal(out);
    const { result } = await audit(out, []);
    expect([result!.subjects[0]!.figures['dup.exact'], result!.subjects[0]!.figures['dup.near']]).toEqual([1, 0]);
  });

  it('--near-threshold 0.9 lets the pair at 0.87 pass; --no-near drops the figures', async () => {
    const out = path.join(dir, 'near-leak');
    expect((await audit(out, ['--near-threshold', '0.9', '--expect', 'leak.near=0'])).code).toBe(0);
    const off = await audit(out, ['--no-near']);
    expect(off.result!.subjects[0]!.nearDuplicates).toEqual({ status: 'off' });
    expect(off.result!.subjects[0]!.splits[1]!.nearLeak).toBeNull();
    const rule = await audit(out, ['--no-near', '--expect', 'leak.near=0']);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/no figure "leak\.near"/);
  });

  it('rejects a threshold outside (0, 1] as a usage error', async () => {
    const run = await runCli(['audit', clean, '--near-threshold', '1.5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error\[USAGE\]: --near-threshold must be a Jaccard similarity in \(0, 1\], got 1\.5/);
  });
});

describe('near-duplicate examples from every shard format', () => {
  beforeAll(() => {
    const med = proseRecords(50_000, 100);
    writeJsonl(path.join(dir, 'med-near.jsonl'), [...med, ...med.slice(0, 30).map((r) => oneWordChanged(r))]);
  });

  it.each([
    ['parquet', '  format: parquet\n  max_rows_per_shard: 100\n'],
    ['jsonl.gz', '  format: jsonl.gz\n'],
    ['openai', '  target: openai\n'],
  ])('%s: pairs found, both sides shown', async (name, output) => {
    const text = twoGroupRecipe({
      medical: 'med-near.jsonl',
      general: 'gen.jsonl',
      volume: 300,
      validation: 30,
      extra: `output:\n${output}`,
    });
    const out = path.join(dir, `formats-${name}`);
    await compose(parseRecipe(text, 'recipe.yaml', dir), { out });
    const { result } = await audit(out, []);
    const pairs = result!.subjects[0]!.splits.flatMap((s) => [
      ...(s.nearDuplicates?.examples ?? []),
      ...(s.nearLeak?.examples ?? []),
    ]);
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs) {
      expect(pair.jaccard).toBeCloseTo(66 / 76, 6);
      // compose shuffles: the copy may come first
      expectChangedWordShown(pair, 'either');
      expect(pair.earlier.group).toBe('medical');
    }
  });
});
