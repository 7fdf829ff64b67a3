/**
 * Fuzzed input files, 1,000 per format (JSONL, JSON array, JSON keyed object, CSV, TSV, Parquet
 * written by mixsmith's own Parquet sink, gzip and zstd JSONL): byte flips, truncations,
 * insertions, deletions over small valid seeds. Every case goes through the readers and per-record
 * steps compose uses (inspectFile, in-process); every 50th through compose itself (in-process,
 * no workers), which must also leave no output and no staged folder when it fails; a few per
 * format through the real CLI, whose exit code must never be 1 and whose stderr never a stack.
 * Whatever the bytes: a result, or a MixsmithError with a code other than INTERNAL.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { MixsmithError } from '../../src/errors.js';
import { inspectFile } from '../../src/inspect/inspect-file.js';
import { parseRecipe } from '../../src/recipe/load.js';
import type { LoadedRecipe } from '../../src/recipe/types.js';
import { alpacaRecords } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { csvText, jsonlBytes, wrapBytes } from '../io/helpers/write-formats.js';
import { byteEdits, editBytes } from './input-arbitraries.js';
import { assertFuzz, fuzzParams } from './fuzz-run.js';

const root = path.resolve(import.meta.dirname, '../..');
const here = 'test/fuzz/inputs.test.ts';
const dir = tempDir('mixsmith-fuzz-inputs-');

const records = [
  ...alpacaRecords('fuzz', 5),
  { instruction: 'ünïcödé ✓ 𝔘 "quoted", comma', input: 'line\nbreak', output: 'tab\there' },
  alpacaRecords('fuzz', 1)[0]!,
];
const columns = ['instruction', 'input', 'output'];
const rows = records.map((r) => ({ ...r }) as Record<string, string>);

function recipeFor(file: string, format = 'auto'): string {
  return JSON.stringify({
    name: 'fuzz',
    seed: 1,
    sources: [{ name: 'src', group: 'all', path: path.basename(file), format }],
    mixture: { volume: 3, shares: { all: 1 }, shortage: 'cap' },
  });
}

function load(file: string, format = 'auto'): LoadedRecipe {
  return parseRecipe(recipeFor(file, format), path.join(dir, 'recipe.json'), dir);
}

/** A Parquet seed from mixsmith's own writer (materialize/parquet-sink): compose the JSONL seed to Parquet. */
let parquetSeed: Promise<Buffer> | undefined;
const projectParquet = () => {
  parquetSeed ??= writeProjectParquet();
  return parquetSeed;
};

async function writeProjectParquet(): Promise<Buffer> {
  const source = path.join(dir, 'parquet-seed.jsonl');
  writeFileSync(source, jsonlBytes(records));
  const loaded = parseRecipe(
    JSON.stringify({
      name: 'seed',
      seed: 1,
      sources: [{ name: 'src', group: 'all', path: 'parquet-seed.jsonl' }],
      mixture: { volume: 6, shares: { all: 1 }, shortage: 'cap' },
      output: { format: 'parquet', schema: 'passthrough' },
    }),
    path.join(dir, 'seed.json'),
    dir,
  );
  const out = path.join(dir, 'parquet-seed-out');
  await compose(loaded, { out, workers: 0 });
  const shard = readdirSync(out).find((name) => name.endsWith('.parquet'));
  if (!shard) throw new Error('the Parquet seed compose wrote no shard');
  return readFileSync(path.join(out, shard));
}

interface Seed {
  readonly format: string;
  readonly file: string;
  readonly bytes: () => Promise<Buffer> | Buffer;
  /** Records the seed holds: all of them, or the distinct ones where it comes out of compose. */
  readonly records?: number;
}

const keyed = Object.fromEntries(records.map((r, i) => [`id-${i}`, r]));
const SEEDS: readonly Seed[] = [
  { format: 'jsonl', file: 'in.jsonl', bytes: () => jsonlBytes(records) },
  { format: 'json array', file: 'in-array.json', bytes: () => Buffer.from(JSON.stringify(records, null, 1)) },
  { format: 'json keyed object', file: 'in-keyed.json', bytes: () => Buffer.from(JSON.stringify(keyed, null, 1)) },
  { format: 'csv', file: 'in.csv', bytes: () => Buffer.from(csvText(columns, rows)) },
  { format: 'tsv', file: 'in.tsv', bytes: () => Buffer.from(csvText(columns, rows, { delimiter: '\t' })) },
  { format: 'parquet', file: 'in.parquet', bytes: projectParquet, records: records.length - 1 },
  { format: 'gzip JSONL', file: 'in.jsonl.gz', bytes: () => wrapBytes(jsonlBytes(records), 'gzip') },
  { format: 'zstd JSONL', file: 'in.jsonl.zst', bytes: () => wrapBytes(jsonlBytes(records), 'zstd') },
];

/** The seed as given reads and composes: the fuzzing starts from valid files. */
async function checkSeed(seed: Seed, bytes: Buffer): Promise<void> {
  const file = path.join(dir, seed.file);
  writeFileSync(file, bytes);
  const inspection = await inspectFile({ absolutePath: file, displayPath: seed.file }, inspectOptions);
  expect(inspection.invalid.count).toBe(0);
  expect(inspection.records).toBe(seed.records ?? records.length);
}

const inspectOptions = { format: 'auto', encoding: 'auto', schema: 'auto' } as const;

/** Anything but a typed, non-INTERNAL error fails the case. */
function typed(error: unknown): MixsmithError {
  if (!(error instanceof MixsmithError))
    throw new Error(`not a MixsmithError: ${error instanceof Error ? error.stack : String(error)}`);
  expect(error.code, error.message).not.toBe('INTERNAL');
  return error;
}

const COMPOSE_EVERY = 50;

describe('fuzzed input files (1,000 per format)', () => {
  SEEDS.forEach((seed, index) => {
    it(`${seed.format}: 1,000 mutated files read to a result or a typed error; every ${COMPOSE_EVERY}th composed`, async () => {
      const seedBytes = await seed.bytes();
      await checkSeed(seed, seedBytes);
      const file = path.join(dir, seed.file);
      const loaded = load(file);
      const params = { ...fuzzParams(24_100 + index, 1000), timeout: 20_000 };
      let cases = 0;
      await assertFuzz(
        fc.asyncProperty(byteEdits, async (edits) => {
          const bytes = editBytes(seedBytes, edits);
          writeFileSync(file, bytes);
          await inspectFile({ absolutePath: file, displayPath: seed.file }, inspectOptions).catch(typed);
          if (cases++ % COMPOSE_EVERY !== 0) return;
          const out = path.join(dir, `out-${index}`);
          const composed = await compose(loaded, { out, workers: 0 }).then(
            () => true,
            (error: unknown) => {
              typed(error);
              return false;
            },
          );
          if (!composed) {
            expect(existsSync(out), 'a failed compose left its output folder').toBe(false);
            expect(readdirSync(dir).filter((name) => name.startsWith(`.out-${index}.partial`))).toEqual([]);
          }
          rmSync(out, { recursive: true, force: true });
        }),
        params,
        here,
      );
      expect(cases).toBe(params.numRuns);
    }, 180_000);
  });
});

interface Spawned {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** The CLI in a child process; killed (signal SIGKILL) if it runs longer than `limitMs`. */
function runBin(args: readonly string[], limitMs = 60_000): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/** Byte edits at fixed offsets of the Parquet seed (1,240 bytes from the sink as of this test). */
function patched(seedBytes: Buffer, edits: readonly { at: number; bytes: string | number[] }[]): Buffer {
  const bytes = Buffer.from(seedBytes);
  for (const edit of edits) {
    const replacement = typeof edit.bytes === 'string' ? Buffer.from(edit.bytes, 'latin1') : Buffer.from(edit.bytes);
    replacement.copy(bytes, edit.at);
  }
  return bytes;
}

describe('damaged Parquet files the fuzzing found (named regressions, through the real CLI)', () => {
  const cases: { name: string; bytes: (seed: Buffer) => Buffer; message: RegExp }[] = [
    {
      // A column chunk's path names no schema column, and an earlier chunk's data is damaged:
      // hyparquet had started reading that chunk when the path lookup threw, and its rejection went
      // unobserved (exit 1, a stack trace, after the right error had been printed).
      name: 'column chunk path not in the schema, earlier chunk damaged',
      bytes: (seed) =>
        patched(seed, [
          { at: seed.lastIndexOf('origin'), bytes: 'origiX' },
          { at: 40, bytes: [0xff, 0xff, 0xff, 0xff] },
        ]),
      message:
        /the Parquet metadata is inconsistent: row group 1 has a column chunk "origiX" that the schema does not hold once/,
    },
    {
      // A page header with its compressed size damaged away: hyparquet's page loop re-read the
      // chunk from its start forever (a hang at 100% CPU). Parquet case 893 of seed 24105.
      name: 'page header without a compressed size',
      bytes: (seed) =>
        editBytes(seed, [
          { kind: 'bit', at: 246888535, fromEnd: false, bit: 5 },
          { kind: 'bit', at: 769020500, fromEnd: true, bit: 4 },
          { kind: 'bit', at: 1042117569, fromEnd: false, bit: 0 },
          { kind: 'insert', at: 604895642, fromEnd: true, bytes: Uint8Array.of(16) },
        ]),
      message: /the page header at byte \d+ of its chunk/,
    },
    {
      // A data page (v2) whose definition-level length is larger than the page: hyparquet's level
      // decoder spun forever. Parquet case 981 of seed 24105.
      name: 'page levels longer than the page',
      bytes: (seed) =>
        editBytes(seed, [
          { kind: 'bit', at: 1205609009, fromEnd: true, bit: 6 },
          { kind: 'flip', at: 1707165947, fromEnd: false, value: 234 },
        ]),
      message: /level lengths .* do not fit/,
    },
    {
      // A column chunk's offset damaged away: hyparquet read the file at NaN, a rejection nobody
      // awaited (exit 1). Parquet case 335 of seed 24105.
      name: 'column chunk without an offset',
      bytes: (seed) => editBytes(seed, [{ kind: 'bit', at: 180525142, fromEnd: false, bit: 5 }]),
      message: /outside the file/,
    },
  ];
  it.each(cases.map((named, i) => ({ ...named, i })))(
    '$name: exit 4, INPUT_FORMAT, no stack, no output',
    async (named) => {
      const seedBytes = await projectParquet();
      // The offsets above are into this seed; a change to the Parquet sink needs them found again.
      expect(seedBytes.length).toBe(1240);
      const file = path.join(dir, `named-${named.i}.parquet`);
      writeFileSync(file, named.bytes(seedBytes));
      const recipe = path.join(dir, `named-${named.i}.json`);
      writeFileSync(recipe, recipeFor(file));
      const out = path.join(dir, `named-out-${named.i}`);
      const result = await runBin(['compose', recipe, '--out', out, '--workers', '0'], 30_000);
      expect(result.signal, `killed after 30 s (a hang)\n${result.stderr}`).toBeNull();
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toContain('error[INPUT_FORMAT]');
      expect(result.stderr).toMatch(named.message);
      expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(existsSync(out)).toBe(false);
    },
    60_000,
  );
});

describe('fuzzed input files through the real CLI', () => {
  it('2 mutated files per format: compose never exits 1, never prints a stack trace', async () => {
    const runs: { label: string; args: string[] }[] = [];
    for (const [index, seed] of SEEDS.entries()) {
      const seedBytes = await seed.bytes();
      const samples = fc.sample(byteEdits, { seed: 24_200 + index, numRuns: 2 });
      samples.forEach((edits, n) => {
        const name = `cli-${index}-${n}-${seed.file}`;
        const file = path.join(dir, name);
        writeFileSync(file, editBytes(seedBytes, edits));
        const recipe = path.join(dir, `cli-${index}-${n}.json`);
        writeFileSync(recipe, recipeFor(file));
        runs.push({
          label: `${seed.format} #${n} ${JSON.stringify(edits)}`,
          args: ['compose', recipe, '--out', path.join(dir, `cli-out-${index}-${n}`), '--workers', '0'],
        });
      });
    }
    // Two at a time: the machine has two cores.
    const results: Spawned[] = [];
    for (let i = 0; i < runs.length; i += 2)
      results.push(...(await Promise.all(runs.slice(i, i + 2).map((run) => runBin(run.args)))));
    results.forEach((result, i) => {
      const label = `${runs[i]!.label}\n${result.stderr}`;
      expect(result.signal, label).toBeNull();
      expect(result.code, label).not.toBe(1);
      expect(result.stderr, label).not.toContain('INTERNAL');
      expect(result.stderr, label).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    });
  }, 240_000);
});
