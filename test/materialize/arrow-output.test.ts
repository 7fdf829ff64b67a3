/**
 * `output.format: arrow` (issue #19): a save_to_disk folder of Arrow IPC stream shards. Checked
 * here without Python: the layout (`dataset_dict.json`, `<split>/data-0000N-of-0000M.arrow`,
 * `state.json`, `dataset_info.json`), rows equal to the JSONL output of the same recipe and seed
 * for every schema, sharding by the recipe's settings, byte-identical runs whatever the worker
 * count, manifest entries the audit verifies (and a tampered file it catches), and the layouts
 * that do not apply refused. test/consumers/arrow-output.test.ts loads the same folders with
 * `datasets.load_from_disk`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RecordBatchReader } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowRecords } from '../../src/records/read/arrow-records.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/python.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-arrow-out-');
const QUICKSTART = path.join(REPO_ROOT, 'recipes', 'quickstart.yaml');
const SCHEMAS = ['messages', 'sharegpt', 'alpaca', 'passthrough'] as const;

interface ManifestFile {
  readonly path: string;
  readonly split: string;
  readonly rows: number;
  readonly sha256: string;
  readonly sidecars?: readonly { kind: string; path: string; bytes: number; sha256: string }[];
}

async function compose(out: string, set: readonly string[], workers = 2): Promise<ManifestFile[]> {
  const args = ['compose', QUICKSTART, '--out', out, '--workers', String(workers)];
  for (const value of set) args.push('--set', value);
  const run = await runCli(args);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: ManifestFile[] }).files;
}

/** A null-valued key equals an absent one: the Arrow table has every column for every row. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, dropNulls(v)]),
    );
  return value;
}

async function arrowRows(out: string, file: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const batch of arrowRecords(path.join(out, file), { displayPath: file }))
    rows.push(...batch.map((r) => r.value as Record<string, unknown>));
  return rows;
}

const jsonlRows = (out: string, file: string) =>
  readFileSync(path.join(out, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Every file under `folder`, relative, with its sha256. */
function digests(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(folder, relative)).sort()) {
      const child = relative ? `${relative}/${name}` : name;
      if (statSync(path.join(folder, child)).isDirectory()) walk(child);
      else
        out[child] = createHash('sha256')
          .update(readFileSync(path.join(folder, child)))
          .digest('hex');
    }
  };
  walk('');
  return out;
}

interface Composed {
  readonly jsonlOut: string;
  readonly arrowOut: string;
  readonly jsonlFiles: readonly ManifestFile[];
  readonly arrowFiles: readonly ManifestFile[];
}
const composedBySchema = new Map<string, Promise<Composed>>();

/** The quickstart in JSONL and in Arrow, 64 rows a shard, once per schema. */
function composed(schema: (typeof SCHEMAS)[number]): Promise<Composed> {
  let done = composedBySchema.get(schema);
  if (!done) {
    const set = [`output.schema=${schema}`, 'output.max_rows_per_shard=64'];
    const jsonlOut = path.join(dir, `jsonl-${schema}`);
    const arrowOut = path.join(dir, `arrow-${schema}`);
    done = (async () => ({
      jsonlOut,
      arrowOut,
      jsonlFiles: await compose(jsonlOut, set),
      arrowFiles: await compose(arrowOut, [...set, 'output.format=arrow']),
    }))();
    composedBySchema.set(schema, done);
  }
  return done;
}

describe('output.format: arrow', () => {
  it.each(SCHEMAS)(
    'schema %s: the rows of the JSONL output, split for split, in save_to_disk shards of max_rows_per_shard',
    async (schema) => {
      const { jsonlOut, arrowOut, jsonlFiles, arrowFiles } = await composed(schema);
      expect(arrowFiles.map((f) => [f.split, f.rows])).toEqual(jsonlFiles.map((f) => [f.split, f.rows]));
      expect(arrowFiles.map((f) => f.path)).toEqual([
        'train/data-00000-of-00005.arrow',
        'train/data-00001-of-00005.arrow',
        'train/data-00002-of-00005.arrow',
        'train/data-00003-of-00005.arrow',
        'train/data-00004-of-00005.arrow',
        'validation/data-00000-of-00001.arrow',
      ]);
      for (const [i, file] of arrowFiles.entries()) {
        const expected = jsonlRows(jsonlOut, jsonlFiles[i]!.path);
        let actual = await arrowRows(arrowOut, file.path);
        // Passthrough keeps each record whole, as JSON, in `record` (provenance beside it).
        if (schema === 'passthrough')
          actual = actual.map(({ record, ...rest }) => ({ ...(record as object), ...rest }));
        expect(actual.map(dropNulls)).toEqual(expected.map(dropNulls));
      }
    },
  );

  it('writes the save_to_disk files and lists every file in the manifest with its sha256', async () => {
    const { arrowOut: out, arrowFiles: files } = await composed('messages');
    expect(JSON.parse(readFileSync(path.join(out, 'dataset_dict.json'), 'utf8'))).toEqual({
      splits: ['train', 'validation'],
    });
    const state = JSON.parse(readFileSync(path.join(out, 'train', 'state.json'), 'utf8'));
    expect(state._data_files).toEqual([0, 1, 2, 3, 4].map((i) => ({ filename: `data-0000${i}-of-00005.arrow` })));
    expect(state._split).toBe('train');
    expect(state._fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const info = JSON.parse(readFileSync(path.join(out, 'train', 'dataset_info.json'), 'utf8'));
    expect(Object.keys(info.features)).toEqual(['messages', 'tools', 'source', 'group', 'origin']);
    expect(info.features.tools).toEqual({ feature: { _type: 'Json' }, _type: 'List' });
    const listed = files.flatMap((f) => [f, ...(f.sidecars ?? [])]);
    for (const extra of ['train/state.json', 'train/dataset_info.json', 'validation/state.json', 'dataset_dict.json']) {
      const entry = listed.find((f) => f.path === extra);
      expect(entry, extra).toBeDefined();
      expect(entry!.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(path.join(out, extra)))
          .digest('hex'),
      );
    }
    // Each shard is an IPC stream whose schema carries the features `datasets` reads back.
    const reader = RecordBatchReader.from(readFileSync(path.join(out, files[0]!.path))).open();
    expect(reader.isStream()).toBe(true);
    expect(JSON.parse(reader.schema.metadata.get('huggingface')!).info.features).toEqual(info.features);
  });

  it('is byte-identical from run to run and for any worker count; another seed changes the fingerprint', async () => {
    const set = ['output.format=arrow', 'output.max_rows_per_shard=50'];
    const a = path.join(dir, 'det-a');
    const b = path.join(dir, 'det-b');
    const c = path.join(dir, 'det-c');
    await compose(a, set, 0);
    await compose(b, set, 2);
    await compose(c, [...set, 'seed=7'], 2);
    const da = digests(a);
    const db = digests(b);
    delete da['manifest.json'];
    delete db['manifest.json'];
    expect(db).toEqual(da);
    const stateOf = (folder: string) => JSON.parse(readFileSync(path.join(folder, 'train', 'state.json'), 'utf8'));
    expect(stateOf(c)._fingerprint).not.toBe(stateOf(a)._fingerprint);
  });

  it('the audit verifies every file, reads the rows, and catches a changed state.json', async () => {
    const { arrowOut: out } = await composed('messages');
    const clean = await runCli(['audit', out]);
    const text = clean.stdout + clean.stderr;
    expect(clean.code, text).toBe(0);
    expect(text).toContain('split train: 300 rows');
    expect(text).toMatch(/manifest ok, (\d+) of \1 files verified/);

    const state = path.join(out, 'validation', 'state.json');
    const original = readFileSync(state);
    writeFileSync(state, original.toString('utf8').replace('"_split": "validation"', '"_split": "train"'));
    const tampered = await runCli(['audit', out]);
    writeFileSync(state, original);
    expect(tampered.code).toBe(6);
    expect(tampered.stdout + tampered.stderr).toContain('validation/state.json');
  });

  it.each(['llama-factory', 'axolotl'])(
    'refuses the %s layout for a save_to_disk folder, saying why',
    async (layout) => {
      const run = await runCli([
        'compose',
        QUICKSTART,
        '--out',
        path.join(dir, `refused-${layout}`),
        '--set',
        'output.format=arrow',
        '--set',
        `output.layouts=[${layout}]`,
      ]);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('error[RECIPE_CONFLICT]');
      expect(run.stderr).toContain(`${layout} is not written for a save_to_disk folder`);
    },
  );
});
