/**
 * Parquet shards, read back by DuckDB and by hyparquet: same rows, columns and values for every
 * output schema; messages as list<struct>; JSON columns not double-encoded; several row groups;
 * the footer names the recipe and nothing of the moment, so reruns are byte-identical.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parquetSinks } from '../../src/materialize/parquet-sink.js';
import { ShardWriter } from '../../src/materialize/shard-writer.js';
import { parquetColumns } from '../../src/materialize/parquet-columns.js';
import type { OutputSchema } from '../../src/recipe/types.js';
import { tempDir } from '../helpers/temp.js';
import { readWithDuckDb, readWithHyparquet } from './parquet-readers.js';

const root = tempDir('mixsmith-parquet-');
let folders = 0;

const provenance = (i: number) => ({
  source: `src-${i % 3}`,
  group: i % 2 ? 'medical' : 'general',
  origin: `data/f.jsonl:${i + 1}`,
});

/** A list of messages of the messages and prompt-completion schemas, as DuckDB types it. */
const MESSAGE_TYPE =
  'STRUCT("role" VARCHAR, "content" VARCHAR, "name" VARCHAR, weight INTEGER, tool_calls STRUCT(id VARCHAR, "type" VARCHAR, "function" STRUCT("name" VARCHAR, arguments VARCHAR))[], tool_call_id VARCHAR)[]';

/** Records as each schema renders them, with the columns DuckDB should show for them. */
const CASES: Record<
  OutputSchema,
  { records: (i: number) => Record<string, unknown>; columns: Record<string, string> }
> = {
  messages: {
    records: (i) => ({
      messages: [
        ...(i % 4 === 0 ? [{ role: 'system', content: 'be brief' }] : []),
        { role: 'user', content: `question ${i} — é 中 🙂` },
        i % 5 === 0
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
            }
          : { role: 'assistant', content: `answer ${i}` },
        ...(i % 5 === 0 ? [{ role: 'tool', content: '{"ok":true}', tool_call_id: `c${i}` }] : []),
        ...(i % 7 === 0
          ? [
              { role: 'user', content: 'and?', name: 'ann' },
              { role: 'assistant', content: 'so.', weight: 0 },
            ]
          : []),
      ],
      tools:
        i % 5 === 0
          ? [
              {
                type: 'function',
                function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'integer' } } } },
              },
            ]
          : null,
      ...provenance(i),
    }),
    columns: {
      messages: MESSAGE_TYPE,
      tools: 'JSON[]',
      source: 'VARCHAR',
      group: 'VARCHAR',
      origin: 'VARCHAR',
    },
  },
  sharegpt: {
    records: (i) => ({
      conversations: [
        { from: 'human', value: `q${i}` },
        { from: 'gpt', value: `a${i}` },
      ],
      tools: i % 3 === 0 ? '[{"name": "f", "parameters": {"type": "object"}}]' : null,
      ...provenance(i),
    }),
    columns: {
      conversations: 'STRUCT("from" VARCHAR, "value" VARCHAR)[]',
      tools: 'VARCHAR',
      source: 'VARCHAR',
      group: 'VARCHAR',
      origin: 'VARCHAR',
    },
  },
  alpaca: {
    records: (i) => ({
      instruction: `do ${i}`,
      input: '',
      output: `done ${i}`,
      system: i % 3 ? '' : 'be brief',
      history: i % 2 ? [[`h${i}`, `r${i}`]] : [],
      ...provenance(i),
    }),
    columns: {
      instruction: 'VARCHAR',
      input: 'VARCHAR',
      output: 'VARCHAR',
      system: 'VARCHAR',
      history: 'VARCHAR[][]',
      source: 'VARCHAR',
      group: 'VARCHAR',
      origin: 'VARCHAR',
    },
  },
  text: {
    records: (i) => ({ text: `<|im_start|>user\nq${i}<|im_end|>\n`, ...provenance(i) }),
    columns: { text: 'VARCHAR', source: 'VARCHAR', group: 'VARCHAR', origin: 'VARCHAR' },
  },
  'prompt-completion': {
    records: (i) => ({
      prompt: [
        ...(i % 4 === 0 ? [{ role: 'system', content: 'be brief' }] : []),
        { role: 'user', content: `question ${i} — é 中 🙂` },
        ...(i % 5 === 0
          ? [
              {
                role: 'assistant',
                content: null,
                tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
              },
              { role: 'tool', content: '{"ok":true}', tool_call_id: `c${i}` },
            ]
          : []),
      ],
      completion: [{ role: 'assistant', content: `answer ${i}`, ...(i % 7 === 0 ? { weight: 1 } : {}) }],
      tools: i % 5 === 0 ? [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] : null,
      ...provenance(i),
    }),
    columns: {
      prompt: MESSAGE_TYPE,
      completion: MESSAGE_TYPE,
      tools: 'JSON[]',
      source: 'VARCHAR',
      group: 'VARCHAR',
      origin: 'VARCHAR',
    },
  },
  passthrough: {
    records: (i) => ({
      id: i,
      nested: { tags: ['a', i % 2 === 0], score: i / 4 },
      ...(i % 3 ? { extra: null } : {}),
      ...provenance(i),
    }),
    columns: { record: 'JSON', source: 'VARCHAR', group: 'VARCHAR', origin: 'VARCHAR' },
  },
};

/** Every message has every struct field; what it lacks is null. */
const fullMessages = (messages: unknown) =>
  (messages as Record<string, unknown>[]).map((m) => ({
    name: null,
    weight: null,
    tool_calls: null,
    tool_call_id: null,
    ...m,
  }));

/** The row a record should become, written out by hand per schema (JSON columns as values). */
function expectedRow(schema: OutputSchema, record: Record<string, unknown>): Record<string, unknown> {
  const { source, group, origin, ...body } = record;
  const prov = { source, group, origin };
  switch (schema) {
    case 'messages':
      return { messages: fullMessages(body.messages), tools: body.tools, ...prov };
    case 'prompt-completion':
      return {
        prompt: fullMessages(body.prompt),
        completion: fullMessages(body.completion),
        tools: body.tools,
        ...prov,
      };
    case 'sharegpt':
      return { conversations: body.conversations, tools: body.tools, ...prov };
    case 'alpaca':
      return {
        instruction: body.instruction,
        input: body.input,
        output: body.output,
        system: body.system,
        history: body.history,
        ...prov,
      };
    case 'text':
      return { text: body.text, ...prov };
    case 'passthrough':
      return { record: body, ...prov };
  }
}

const JSON_COLUMNS = new Set(['record']);
/** Columns of JSON values, one per list item. */
const JSON_LIST_COLUMNS = new Set(['tools']);

async function writeShards(
  schema: OutputSchema,
  count: number,
  options: { compression?: 'zstd' | 'snappy'; maxRowsPerShard?: number } = {},
) {
  const dir = path.join(root, `${schema}-${folders++}`);
  mkdirSync(dir);
  const sinks = parquetSinks({
    columns: parquetColumns(schema, true),
    compression: options.compression ?? 'zstd',
    maxRowsPerRowGroup: 7,
    maxBytesPerRowGroup: 1 << 20,
    metadata: { 'mixsmith.recipe_sha256': 'ab'.repeat(32), 'mixsmith.version': '9.9.9' },
    createdBy: 'mixsmith version 9.9.9',
  });
  const writer = new ShardWriter(dir, 'train', sinks, { maxRows: options.maxRowsPerShard ?? null, maxBytes: null });
  const records = Array.from({ length: count }, (_, i) => CASES[schema].records(i));
  for (const r of records) await writer.writeLine(JSON.stringify(r));
  return { dir, files: await writer.finish(), records };
}

describe('Parquet shards', () => {
  for (const schema of Object.keys(CASES) as OutputSchema[]) {
    it(`${schema}: DuckDB and hyparquet read back the same rows, columns and values`, async () => {
      const { dir, files, records } = await writeShards(schema, 30);
      expect(files).toHaveLength(1);
      const file = path.join(dir, files[0]!.path);
      expect(files[0]!.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
      const expected = records.map((r) => expectedRow(schema, r));

      const duck = await readWithDuckDb(file);
      expect(Object.fromEntries(duck.columns.map((c) => [c.name, c.type]))).toEqual(CASES[schema].columns);
      expect(duck.rows).toHaveLength(30);
      expect(duck.rowGroups).toBe(5); // 30 rows in groups of 7
      expect(duck.codecs).toEqual(['ZSTD']);
      // JSON columns hold the JSON text of the value, encoded once (not a JSON string of JSON)
      const decode = (k: string, v: unknown) => {
        if (JSON_COLUMNS.has(k) && typeof v === 'string') return JSON.parse(v);
        if ((schema === 'messages' || schema === 'prompt-completion') && JSON_LIST_COLUMNS.has(k) && Array.isArray(v))
          return v.map((item) => (typeof item === 'string' ? JSON.parse(item) : item));
        return v;
      };
      const duckRows = duck.rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, decode(k, v)])),
      );
      expect(duckRows).toEqual(expected);

      const hy = await readWithHyparquet(file);
      expect(hy.rowGroups).toBe(5);
      // hyparquet gives a null list as a missing or undefined key, at any depth; compare it as null
      const nulled = (v: unknown): unknown =>
        v === undefined
          ? null
          : Array.isArray(v)
            ? v.map(nulled)
            : v !== null && typeof v === 'object'
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nulled(x)]))
              : v;
      const hyRows = hy.rows.map((row) =>
        Object.fromEntries(Object.keys(CASES[schema].columns).map((c) => [c, nulled(row[c])])),
      );
      expect(hyRows).toEqual(expected);
    });
  }

  it('names the recipe in key/value metadata and is byte-identical on a rerun (no time in the footer)', async () => {
    const a = await writeShards('messages', 40, { maxRowsPerShard: 25 });
    const b = await writeShards('messages', 40, { maxRowsPerShard: 25 });
    expect(a.files.map((f) => [f.path, f.rows])).toEqual([
      ['train-00000-of-00002.parquet', 25],
      ['train-00001-of-00002.parquet', 15],
    ]);
    expect(b.files).toEqual(a.files);
    const duck = await readWithDuckDb(path.join(a.dir, a.files[0]!.path));
    expect(duck.createdBy).toBe('mixsmith version 9.9.9');
    expect(duck.kv).toEqual({ 'mixsmith.recipe_sha256': 'ab'.repeat(32), 'mixsmith.version': '9.9.9' });
  });

  it('writes snappy when asked', async () => {
    const { dir, files } = await writeShards('text', 10, { compression: 'snappy' });
    const duck = await readWithDuckDb(path.join(dir, files[0]!.path));
    expect(duck.codecs).toEqual(['SNAPPY']);
    expect(duck.rows).toHaveLength(10);
  });

  it('writes a valid empty file for an empty split', async () => {
    const { dir, files } = await writeShards('messages', 0);
    expect(files[0]!.rows).toBe(0);
    const duck = await readWithDuckDb(path.join(dir, files[0]!.path));
    expect(duck.rows).toEqual([]);
    expect(duck.columns.map((c) => c.name)).toEqual(Object.keys(CASES.messages.columns));
  });
});
