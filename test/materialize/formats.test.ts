/**
 * Every output format through `compose`, checked against the plain JSONL of the same recipe and
 * seed: gzip and zstd shards decompress (with the system tools) to the same bytes; every Parquet
 * shard reads back in DuckDB and hyparquet with the same rows, columns and values; the OpenAI
 * target passes the format checker and keeps provenance line by line; text output applies the
 * recipe's chat template. Manifests list every file with sizes and checksums that hold.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import type { Manifest } from '../../src/manifest/manifest.js';
import { MixsmithError } from '../../src/errors.js';
import { openAiFileProblems } from '../../src/materialize/openai-format.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { alpacaRecords, writeJsonArray, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { readWithDuckDb, readWithHyparquet } from './parquet-readers.js';

const dir = tempDir('mixsmith-formats-');

beforeAll(() => {
  writeJsonl(
    path.join(dir, 'med.jsonl'),
    alpacaRecords('med', 200).map((r, i) => (i % 4 === 0 ? { ...r, system: 'You are a careful clinician.' } : r)),
  );
  writeJsonArray(
    path.join(dir, 'gen.json'),
    Array.from({ length: 300 }, (_, i) => ({
      conversations: [
        { from: 'human', value: `general question ${i} — é 中` },
        { from: 'gpt', value: `general answer ${i}` },
        ...(i % 3 === 0
          ? [
              { from: 'human', value: `follow-up ${i}` },
              { from: 'gpt', value: `more ${i}` },
            ]
          : []),
      ],
    })),
  );
});

const recipe = (output: string, sources = '') => `name: fmt
seed: 11
sources:
  - { name: med, group: medical, path: med.jsonl, schema: alpaca }
  - { name: gen, group: general, path: gen.json, schema: sharegpt }
${sources}mixture: { volume: 240, shares: { medical: 0.4, general: 0.6 } }
split: { validation: 24 }
output:
  max_rows_per_shard: 100
${output}`;

async function run(name: string, output: string, sources = ''): Promise<{ out: string; manifest: Manifest }> {
  const loaded = parseRecipe(recipe(output, sources), 'recipe.yaml', dir);
  const out = path.join(dir, name);
  const { manifest } = await compose(loaded, { out });
  return { out, manifest };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function checkListed(out: string, manifest: Manifest): void {
  for (const f of [...manifest.files, ...manifest.files.flatMap((file) => file.sidecars ?? []), ...manifest.layouts]) {
    const file = path.join(out, f.path);
    expect(sha256(file), f.path).toBe(f.sha256);
    expect(readFileSync(file).length, f.path).toBe(f.bytes);
  }
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('output formats through compose', () => {
  let reference: { out: string; manifest: Manifest };
  beforeAll(async () => {
    reference = await run('jsonl', '');
  });

  it('plain JSONL: shards, layouts and manifest agree', () => {
    expect(reference.manifest.files.map((f) => [f.path, f.rows])).toEqual([
      ['train-00000-of-00003.jsonl', 100],
      ['train-00001-of-00003.jsonl', 100],
      ['train-00002-of-00003.jsonl', 40],
      ['validation-00000-of-00001.jsonl', 24],
    ]);
    expect(reference.manifest.layouts.map((l) => [l.layout, l.path])).toEqual([
      ['huggingface', 'README.md'],
      ['llama-factory', 'dataset_info.json'],
      ['axolotl', 'axolotl.yaml'],
    ]);
    checkListed(reference.out, reference.manifest);
  });

  for (const [format, tool] of [
    ['jsonl.gz', 'gzip'],
    ['jsonl.zst', 'zstd'],
  ] as const) {
    it(`${format}: the system ${tool} restores the plain JSONL byte for byte`, async () => {
      const { out, manifest } = await run(format, `  format: ${format}\n`);
      expect(manifest.files.map((f) => f.path)).toEqual(
        reference.manifest.files.map((f) => `${f.path}.${format.split('.')[1]}`),
      );
      expect(manifest.files.map((f) => f.rows)).toEqual(reference.manifest.files.map((f) => f.rows));
      checkListed(out, manifest);
      for (const [i, f] of manifest.files.entries()) {
        const plain = execFileSync(tool, ['-d', '-c', path.join(out, f.path)]);
        expect(plain.equals(readFileSync(path.join(reference.out, reference.manifest.files[i]!.path)))).toBe(true);
      }
    });
  }

  it('parquet: DuckDB and hyparquet read every shard with the rows, columns and values of the JSONL', async () => {
    const a = await run('parquet-a', '  format: parquet\n  parquet: { max_rows_per_row_group: 30 }\n');
    const b = await run('parquet-b', '  format: parquet\n  parquet: { max_rows_per_row_group: 30 }\n');
    expect(a.manifest.files.map((f) => f.path)).toEqual(
      reference.manifest.files.map((f) => f.path.replace('.jsonl', '.parquet')),
    );
    expect(b.manifest.files).toEqual(a.manifest.files); // byte-identical across runs
    checkListed(a.out, a.manifest);
    for (const [i, f] of a.manifest.files.entries()) {
      const expected = jsonLines(readFileSync(path.join(reference.out, reference.manifest.files[i]!.path), 'utf8')).map(
        (r) => ({
          // Every message has every struct field: what a JSON line leaves out is null.
          messages: (r.messages as Record<string, unknown>[]).map((m) => ({
            name: null,
            weight: null,
            tool_calls: null,
            tool_call_id: null,
            ...m,
          })),
          tools: r.tools,
          source: r.source,
          group: r.group,
          origin: r.origin,
        }),
      );
      const file = path.join(a.out, f.path);
      const duck = await readWithDuckDb(file);
      expect(duck.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
        'messages STRUCT("role" VARCHAR, "content" VARCHAR, "name" VARCHAR, weight INTEGER, tool_calls STRUCT(id VARCHAR, "type" VARCHAR, "function" STRUCT("name" VARCHAR, arguments VARCHAR))[], tool_call_id VARCHAR)[]',
        'tools JSON[]',
        'source VARCHAR',
        'group VARCHAR',
        'origin VARCHAR',
      ]);
      expect(duck.rows).toHaveLength(f.rows);
      expect(duck.rows).toEqual(expected);
      expect(duck.rowGroups).toBe(Math.ceil(f.rows / 30));
      expect(duck.kv['mixsmith.recipe_sha256']).toBe(a.manifest.recipe.sha256);
      expect(duck.createdBy).toBe(`mixsmith version ${a.manifest.tool.version}`);
      const hy = await readWithHyparquet(file);
      const nulled = (v: unknown): unknown =>
        v === undefined
          ? null
          : Array.isArray(v)
            ? v.map(nulled)
            : v !== null && typeof v === 'object'
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nulled(x)]))
              : v;
      expect(hy.rows.map((row) => nulled({ ...row, tools: row.tools ?? null }))).toEqual(expected);
    }
    const info = JSON.parse(readFileSync(path.join(a.out, 'dataset_info.json'), 'utf8')) as Record<
      string,
      { file_name: string }
    >;
    expect(Object.values(info).map((e) => e.file_name)).toEqual(a.manifest.files.map((f) => f.path));
  });

  it('openai: one messages JSONL file per split that passes the format checker, provenance in aligned sidecars, the card', async () => {
    // No shard limit: a fine-tuning job takes one training file.
    const loaded = parseRecipe(
      recipe('  target: openai\n').replace('  max_rows_per_shard: 100\n', ''),
      'recipe.yaml',
      dir,
    );
    const out = path.join(dir, 'openai');
    const { manifest } = await compose(loaded, { out });
    // The card lists the data files, so load_dataset(DIR) does not read the sidecars as data.
    expect(manifest.layouts.map((l) => l.path)).toEqual(['README.md']);
    checkListed(out, manifest);
    expect(readdirSync(out).sort()).toEqual([
      'README.md',
      'manifest.json',
      'removed.jsonl',
      'train-00000-of-00001.jsonl',
      'train-00000-of-00001.provenance.jsonl',
      'validation-00000-of-00001.jsonl',
      'validation-00000-of-00001.provenance.jsonl',
    ]);
    for (const split of ['train', 'validation']) {
      const f = manifest.files.find((file) => file.split === split)!;
      const text = readFileSync(path.join(out, f.path), 'utf8');
      expect(openAiFileProblems(text)).toEqual([]);
      const records = jsonLines(text);
      const sidecar = jsonLines(readFileSync(path.join(out, f.sidecars![0]!.path), 'utf8'));
      const plain = reference.manifest.files
        .filter((file) => file.split === split)
        .flatMap((file) => jsonLines(readFileSync(path.join(reference.out, file.path), 'utf8')));
      // the same records in the same order; provenance moved, not lost
      expect(records).toEqual(
        plain.map((r) => (r.tools === null ? { messages: r.messages } : { messages: r.messages, tools: r.tools })),
      );
      expect(sidecar).toEqual(
        plain.map((r, line) => ({ line: line + 1, source: r.source, group: r.group, origin: r.origin })),
      );
    }
  });

  it('openai: fewer than 10 training examples is OUTPUT_TARGET, and nothing is written', async () => {
    const loaded = parseRecipe(
      recipe('  target: openai\n')
        .replace('  max_rows_per_shard: 100\n', '')
        .replace('volume: 240', 'volume: 9')
        .replace('validation: 24', 'validation: 2'),
      'recipe.yaml',
      dir,
    );
    const error = await compose(loaded, { out: path.join(dir, 'openai-small') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('OUTPUT_TARGET');
    expect((error as MixsmithError).message).toBe(
      'output.target openai: the training file has 9 examples; OpenAI fine-tuning needs at least 10',
    );
    expect(readdirSync(dir)).not.toContain('openai-small');
  });

  it('openai: a selected record OpenAI would reject stops the run with INPUT_TARGET at its origin', async () => {
    writeJsonl(path.join(dir, 'bad.jsonl'), [{ messages: [{ role: 'user', content: 'a question nobody answers' }] }]);
    const text = `name: bad
seed: 1
sources:
  - { name: bad, group: g, path: bad.jsonl, schema: openai }
mixture: { volume: 1, shares: { g: 1 } }
output: { target: openai }
`;
    const loaded = parseRecipe(text, 'recipe.yaml', dir);
    const error = await compose(loaded, { out: path.join(dir, 'openai-bad') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('INPUT_TARGET');
    expect((error as MixsmithError).where).toEqual({ file: 'bad.jsonl:1' });
    expect(readdirSync(dir)).not.toContain('openai-bad');
  });

  it('text with a chat template: one string per conversation, chat sources accepted', async () => {
    const { out, manifest } = await run('text', '  schema: text\n  template: chatml\n');
    expect(manifest.layouts.map((l) => l.layout)).toEqual(['huggingface', 'llama-factory', 'axolotl']);
    const texts = jsonLines(readFileSync(path.join(out, manifest.files[0]!.path), 'utf8'));
    const plain = jsonLines(readFileSync(path.join(reference.out, reference.manifest.files[0]!.path), 'utf8'));
    expect(texts.map((r) => r.text)).toEqual(
      plain.map((r) =>
        (r.messages as { role: string; content: string }[])
          .map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`)
          .join(''),
      ),
    );
  });

  it('sweeps: every point folder gets its own layouts and identical Parquet columns', async () => {
    const { out } = await run('sweep', '  format: parquet\nsweep: { volume: [60, 120] }\n');
    const points = readdirSync(out)
      .filter((n) => n.startsWith('v'))
      .sort();
    expect(points).toEqual(['v120', 'v60']);
    const columns: string[][] = [];
    for (const point of points) {
      const manifest = JSON.parse(readFileSync(path.join(out, point, 'manifest.json'), 'utf8')) as Manifest;
      checkListed(path.join(out, point), manifest);
      expect(readFileSync(path.join(out, point, 'README.md'), 'utf8')).toContain(`pretty_name: fmt.${point}`);
      columns.push(
        (await readWithDuckDb(path.join(out, point, manifest.files[0]!.path))).columns.map(
          (c) => `${c.name} ${c.type}`,
        ),
      );
    }
    expect(columns[0]).toEqual(columns[1]);
  });
});
