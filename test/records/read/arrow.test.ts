/**
 * Arrow IPC input (issue #20 item 9): the stream format (what `datasets` writes in its cache and
 * in save_to_disk folders) and the file format, read batch by batch into the same values a JSONL
 * file of the records gives; rows numbered across record batches (`file.arrow#row=N`), re-read by
 * position; damaged files are INPUT_FORMAT (exit 4) naming the file; save_to_disk folders as
 * source paths. The files here are written by apache-arrow; test/consumers/arrow-input.test.ts
 * reads folders written by `datasets` itself.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Field, Int64, List, Schema, Struct, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../../src/errors.js';
import { arrowRecords } from '../../../src/records/read/arrow-records.js';
import { detectFormat } from '../../../src/records/read/detect-format.js';
import { expandPaths } from '../../../src/records/read/expand-paths.js';
import type { RawRecord } from '../../../src/records/read/raw-record.js';
import { readAt } from '../../../src/records/read/read-at.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

const dir = tempDir('mixsmith-arrow-');

const TURN = new Struct([new Field('from', new Utf8(), true), new Field('value', new Utf8(), true)]);
const CONVERSATIONS = new List(new Field('item', TURN, true));

interface Conversation {
  readonly id: number;
  readonly conversations: { from: string; value: string }[];
  readonly note: string | null;
}

const conversations = (from: number, count: number): Conversation[] =>
  Array.from({ length: count }, (_, i) => ({
    id: from + i,
    conversations: [
      { from: 'human', value: `Question ${from + i}: what is ${from + i} squared?` },
      { from: 'gpt', value: `It is ${(from + i) ** 2}; 你好 ${from + i}.` },
    ],
    note: (from + i) % 3 === 0 ? null : `note ${from + i}`,
  }));

/** One record batch of `rows`, with the huggingface schema metadata `datasets` puts in its cache files. */
function batchTable(rows: readonly Conversation[]): Table {
  const table = new Table({
    id: vectorFromArray(
      rows.map((r) => BigInt(r.id)),
      new Int64(),
    ),
    conversations: vectorFromArray(
      rows.map((r) => r.conversations),
      CONVERSATIONS,
    ),
    note: vectorFromArray(
      rows.map((r) => r.note),
      new Utf8(),
    ),
  });
  const metadata = new Map([['huggingface', '{"info": {"features": {}}}']]);
  return new Table(new Schema(table.schema.fields, metadata), table.batches);
}

/** Several record batches (sizes as given), as one table. */
function tableOf(sizes: readonly number[]): { table: Table; rows: Conversation[] } {
  const rows: Conversation[] = [];
  let table: Table | undefined;
  for (const size of sizes) {
    const part = conversations(rows.length, size);
    rows.push(...part);
    const next = batchTable(part);
    table = table ? table.concat(next) : next;
  }
  return { table: table!, rows };
}

function writeArrow(name: string, sizes: readonly number[], layout: 'stream' | 'file'): Conversation[] {
  const { table, rows } = tableOf(sizes);
  writeFileSync(path.join(dir, name), tableToIPC(table, layout));
  return rows;
}

async function all(file: string): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const batch of arrowRecords(path.join(dir, file), { displayPath: file })) out.push(...batch);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<MixsmithError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MixsmithError);
  return error as MixsmithError;
}

describe('Arrow IPC records', () => {
  it.each(['stream', 'file'] as const)(
    'the %s format: every row as the plain values JSON would give, numbered across record batches',
    async (layout) => {
      const expected = writeArrow(`three-batches.${layout}.arrow`, [5, 2500, 3], layout);
      const records = await all(`three-batches.${layout}.arrow`);
      expect(records.map((r) => r.value)).toEqual(expected);
      expect(records.map((r) => r.row)).toEqual(expected.map((_, i) => i + 1));
      expect(records.map((r) => r.offset)).toEqual(expected.map((_, i) => i));
    },
  );

  it.each(['stream', 'file'] as const)(
    'the %s format: a record batch with a huge cell (its buffers given back once its rows are plain) between two others',
    async (layout) => {
      const huge = 'long text, "quoted" ✓ '.repeat(1_000_000); // 22 MB of UTF-8: past the 16 MB threshold
      const parts = [conversations(0, 3), conversations(3, 2), conversations(5, 3)];
      parts[1]![1] = { ...parts[1]![1]!, note: huge };
      const table = parts.map(batchTable).reduce((a, b) => a.concat(b));
      writeFileSync(path.join(dir, `huge-cell.${layout}.arrow`), tableToIPC(table, layout));
      const records = await all(`huge-cell.${layout}.arrow`);
      expect(records.map((r) => (r.value as { id: number }).id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect((records[4]!.value as { note: string }).note === huge).toBe(true);
      expect(records.map((r) => r.value)).toEqual(parts.flat());
    },
  );

  it('hands the scan batches of at most 2048 rows, never a whole large record batch', async () => {
    writeArrow('big-batch.arrow', [5000], 'stream');
    const sizes: number[] = [];
    for await (const batch of arrowRecords(path.join(dir, 'big-batch.arrow'), { displayPath: 'big-batch.arrow' }))
      sizes.push(batch.length);
    expect(sizes).toEqual([2048, 2048, 904]);
  });

  it('re-reads rows by position (read-at), across batches, repeats included', async () => {
    const expected = writeArrow('pick.arrow', [10, 10, 10], 'stream');
    const picks = [0, 9, 10, 10, 25, 29];
    const picked: RawRecord[] = [];
    for await (const record of readAt(
      path.join(dir, 'pick.arrow'),
      picks.map((i) => ({ offset: i, length: 0, line: i + 1 })),
      { format: 'arrow', displayPath: 'pick.arrow' },
    ))
      picked.push(record);
    expect(picked.map((r) => r.value)).toEqual(picks.map((i) => expected[i]));
    expect(picked.map((r) => r.row)).toEqual(picks.map((i) => i + 1));
  });

  it('detects both layouts by their first bytes, whatever the name', async () => {
    writeArrow('cache-00001.bin', [3], 'stream');
    writeArrow('feather.dat', [3], 'file');
    expect(await detectFormat(path.join(dir, 'cache-00001.bin'), 'cache-00001.bin', 'auto')).toBe('arrow');
    expect(await detectFormat(path.join(dir, 'feather.dat'), 'feather.dat', 'auto')).toBe('arrow');
  });

  it.each([
    ['a stream cut inside a record batch', 'stream', (b: Buffer) => b.subarray(0, b.length - 200)],
    ['a file cut before its footer', 'file', (b: Buffer) => b.subarray(0, b.length - 40)],
    ['bytes that are not Arrow', 'stream', () => Buffer.from('{"not": "arrow"}\n')],
  ] as const)('%s is INPUT_FORMAT naming the file, never fewer rows', async (_, layout, damage) => {
    writeArrow('whole.arrow', [4, 4], layout);
    writeFileSync(path.join(dir, 'damaged.arrow'), damage(readFileSync(path.join(dir, 'whole.arrow'))));
    const error = await failure(all('damaged.arrow'));
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.where?.file).toBe('damaged.arrow');
    expect(error.message).toContain('not a readable Arrow IPC file');
  });
});

/** A save_to_disk split folder as `datasets` lays it out (the file names and state.json keys it writes). */
function saveToDiskSplit(folder: string, shardSizes: readonly number[]): Conversation[] {
  mkdirSync(folder, { recursive: true });
  const rows: Conversation[] = [];
  const names = shardSizes.map(
    (_, i) => `data-${String(i).padStart(5, '0')}-of-${String(shardSizes.length).padStart(5, '0')}.arrow`,
  );
  shardSizes.forEach((size, i) => {
    const part = conversations(rows.length, size);
    rows.push(...part);
    writeFileSync(path.join(folder, names[i]!), tableToIPC(batchTable(part), 'stream'));
  });
  writeFileSync(
    path.join(folder, 'state.json'),
    // Indented, as datasets writes it.
    JSON.stringify(
      { _data_files: names.map((filename) => ({ filename })), _fingerprint: 'abc', _split: null },
      null,
      2,
    ),
  );
  writeFileSync(path.join(folder, 'dataset_info.json'), JSON.stringify({ citation: '', features: {} }, null, 2));
  return rows;
}

describe('save_to_disk folders as source paths', () => {
  it('a split folder is its listed .arrow files; state.json and dataset_info.json are not records', async () => {
    saveToDiskSplit(path.join(dir, 'saved', 'train'), [3, 3]);
    const files = await expandPaths(['saved/train'], dir, 'src');
    expect(files.map((f) => f.displayPath)).toEqual([
      'saved/train/data-00000-of-00002.arrow',
      'saved/train/data-00001-of-00002.arrow',
    ]);
  });

  it('a .arrow file the state.json does not list (a stray cache file) is not read', async () => {
    saveToDiskSplit(path.join(dir, 'stray', 'train'), [2]);
    writeArrow(path.join('stray', 'train', 'cache-123.arrow'), [2], 'stream');
    const files = await expandPaths(['stray/train'], dir, 'src');
    expect(files.map((f) => f.displayPath)).toEqual(['stray/train/data-00000-of-00001.arrow']);
  });

  it('a DatasetDict folder is refused, naming the split paths to use instead', async () => {
    saveToDiskSplit(path.join(dir, 'dict', 'train'), [2]);
    saveToDiskSplit(path.join(dir, 'dict', 'test'), [2]);
    writeFileSync(path.join(dir, 'dict', 'dataset_dict.json'), JSON.stringify({ splits: ['train', 'test'] }));
    const error = await failure(expandPaths(['dict'], dir, 'src'));
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.message).toContain('DatasetDict');
    expect(error.hint).toContain('path: dict/train');
    expect(error.hint).toContain('dict/test');
  });

  it('a state.json naming a missing shard is INPUT_NOT_FOUND, not a silently shorter source', async () => {
    saveToDiskSplit(path.join(dir, 'short', 'train'), [2, 2]);
    writeFileSync(
      path.join(dir, 'short', 'train', 'state.json'),
      JSON.stringify({ _data_files: [{ filename: 'data-00000-of-00002.arrow' }, { filename: 'gone.arrow' }] }),
    );
    const error = await failure(expandPaths(['short/train'], dir, 'src'));
    expect(error.code).toBe('INPUT_NOT_FOUND');
    expect(error.message).toContain('gone.arrow');
  });
});

describe('compose and inspect over Arrow sources', () => {
  const recipe = (name: string, sourcePath: string) => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      [
        'name: arrow-in',
        'seed: 7',
        'sources:',
        `  - {name: chats, group: g, path: ${sourcePath}, schema: sharegpt}`,
        'mixture: {volume: 40, shares: {g: 1.0}, shortage: error}',
        'output: {format: jsonl, schema: sharegpt, provenance: true}',
      ].join('\n'),
    );
    return file;
  };

  it('composes a save_to_disk split: list<struct> conversations mapped, every origin a distinct #row=N', async () => {
    const rows = saveToDiskSplit(path.join(dir, 'cmp', 'train'), [30, 30]);
    const out = path.join(dir, 'cmp-out');
    const run = await runCli(['compose', recipe('cmp.yaml', 'cmp/train'), '--out', out]);
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    const lines = readFileSync(path.join(out, 'train-00000-of-00001.jsonl'), 'utf8').trim().split('\n');
    const records = lines.map(
      (l) => JSON.parse(l) as { conversations: { from: string; value: string }[]; origin: string },
    );
    expect(records).toHaveLength(40);
    expect(new Set(records.map((r) => r.origin)).size).toBe(40);
    for (const record of records) {
      const match = /^cmp\/train\/data-0000([01])-of-00002\.arrow#row=(\d+)$/.exec(record.origin);
      expect(match).not.toBeNull();
      const source = rows[Number(match![1]) * 30 + Number(match![2]) - 1]!;
      // The record at the origin is the one rendered: the origin re-reads to it.
      expect(record.conversations.map((t) => t.value)).toEqual(source.conversations.map((t) => t.value));
    }
  });

  it('a damaged Arrow source stops compose with exit 4 and the file named', async () => {
    writeArrow('good.arrow', [50], 'stream');
    const bytes = readFileSync(path.join(dir, 'good.arrow'));
    writeFileSync(path.join(dir, 'bad.arrow'), bytes.subarray(0, bytes.length - 300));
    const run = await runCli(['compose', recipe('bad.yaml', 'bad.arrow'), '--out', path.join(dir, 'bad-out')]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('bad.arrow');
    expect(run.stderr).toContain('error[INPUT_FORMAT]');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('inspect reports an Arrow file by its rows', async () => {
    writeArrow('inspect.arrow', [4, 4], 'file');
    const run = await runCli(['inspect', path.join(dir, 'inspect.arrow')]);
    expect(run.code).toBe(0);
    // The report goes to stderr (stdout is for --json).
    expect(run.stderr).toContain('format: arrow');
    expect(run.stderr).toContain('records: 8');
    expect(run.stderr).toContain('inspect.arrow#row=1');
  });
});

describe('audit over a save_to_disk folder (the folder rule every command shares)', () => {
  it('reads the split folder as its listed shards: rows counted, its JSON files not taken for data', async () => {
    saveToDiskSplit(path.join(dir, 'audited', 'train'), [7, 5]);
    const run = await runCli(['audit', path.join(dir, 'audited', 'train'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      subjects: { files: { path: string; rows: number; format: string }[] }[];
    };
    const files = report.subjects[0]!.files;
    expect(files.every((f) => f.format === 'arrow')).toBe(true);
    expect(files.map((f) => [path.basename(f.path), f.rows])).toEqual([
      ['data-00000-of-00002.arrow', 7],
      ['data-00001-of-00002.arrow', 5],
    ]);
  });
});

describe('audit --eval over a save_to_disk split folder', () => {
  it('takes the listed shards as the eval set, not its state.json or dataset_info.json', async () => {
    saveToDiskSplit(path.join(dir, 'evalset', 'test'), [6]);
    const data = path.join(dir, 'eval-train.jsonl');
    const question = conversations(0, 1)[0]!.conversations[0]!.value;
    writeFileSync(
      data,
      `${JSON.stringify({
        conversations: [
          { from: 'human', value: question },
          { from: 'gpt', value: 'x' },
        ],
      })}\n`,
    );
    const run = await runCli(['audit', data, '--eval', path.join(dir, 'evalset', 'test')]);
    const text = run.stdout + run.stderr;
    expect(run.code, text).toBe(0);
    expect(text).toContain('eval test (6 items');
    expect(text).not.toContain('state.json');
    expect(text).not.toContain('dataset_info.json');
  });
});
