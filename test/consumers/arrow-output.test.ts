/**
 * `output.format: arrow` loads in Hugging Face `datasets` as it is (issue #19): for every schema
 * (messages, sharegpt, alpaca, passthrough), the quickstart and recipes/medical-general.yaml (two
 * seeds) composed as a save_to_disk folder with
 * small shards is opened with `datasets.load_from_disk(DIR)`, memory-mapped over exactly the
 * manifest's shards with no cast (each shard's Arrow schema is `features.arrow_schema`), and its
 * rows equal the JSONL output of the same recipe and seed; `load_dataset(DIR)` through the card
 * gives the same rows; the same for a tool-calling mix of the real LLaMA-Factory demo files, whose
 * messages carry `tool_calls` and `tool` turns and whose `tools` are JSON. The Python side is
 * test/consumers/py/arrow_outputs.py.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { describePython, lastJsonLine, pythonEnv, REPO_ROOT, runPython } from '../helpers/python.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const py = pythonEnv();
const QUICKSTART = path.join(REPO_ROOT, 'recipes', 'quickstart.yaml');
const SCHEMAS = ['messages', 'sharegpt', 'alpaca', 'passthrough'] as const;
const TIMEOUT = 400_000;

interface Comparison {
  readonly rows: number;
  readonly expected_rows: number;
  readonly mismatch_count: number;
  readonly mismatches: readonly { row: number; difference: string }[];
}
interface Mapped {
  readonly memory_mapped: boolean;
  readonly cache_files_are_shards: boolean;
  readonly shard_schemas_equal_features: boolean;
  readonly table_schema_equal_features: boolean;
}
interface OutputReport {
  readonly error: { message: string; traceback: string } | null;
  readonly split_names: readonly string[];
  readonly splits: Readonly<Record<string, Comparison>>;
  readonly mapped: Readonly<Record<string, Mapped>>;
  readonly load_dataset: Readonly<Record<string, Comparison>> & { error?: { message: string } };
  readonly control_mismatches: number;
}
interface Report {
  readonly outputs: Readonly<Record<string, OutputReport>>;
}

async function compose(recipe: string, out: string, set: readonly string[]): Promise<void> {
  const args = ['compose', recipe, '--out', out];
  for (const value of set) args.push('--set', value);
  const run = await runCli(args);
  expect(run.code, run.stderr).toBe(0);
}

/** A tool-calling mix from the real LLaMA-Factory demo files (glaive tool calls in ShareGPT form, Alpaca). */
function toolMix(dir: string): string {
  const file = path.join(dir, 'tool-mix.yaml');
  writeFileSync(
    file,
    [
      'name: tool-mix',
      'seed: 5',
      'sources:',
      `  - {name: glaive-toolcall, group: tools, path: ${JSON.stringify(realFile('llama-factory-demo', 'glaive_toolcall_zh_demo.json'))}, schema: sharegpt}`,
      `  - {name: alpaca-en, group: general, path: ${JSON.stringify(realFile('llama-factory-demo', 'alpaca_en_demo.json'))}, schema: alpaca}`,
      'mixture: {volume: 300, shares: {tools: 0.15, general: 0.85}}',
      'split: {validation: 30}',
      'output: {max_rows_per_shard: 16}',
    ].join('\n'),
  );
  return file;
}

/** Two sources whose mappings keep different meta fields (a string, a number, a nested name): meta meets nulls across shards. */
function metaMix(dir: string): string {
  const med = Array.from({ length: 24 }, (_, i) =>
    JSON.stringify({ q: `medical question ${i}`, a: `medical answer ${i}`, department: `d${i % 3}`, id: 1000 + i }),
  );
  const gen = Array.from({ length: 48 }, (_, i) =>
    JSON.stringify({ q: `general question ${i}`, a: `general answer ${i}`, subject: { name: `s${i % 2}` } }),
  );
  writeFileSync(path.join(dir, 'meta-med.jsonl'), med.join('\n'));
  writeFileSync(path.join(dir, 'meta-gen.jsonl'), gen.join('\n'));
  const turns = '[{ role: user, from: q }, { role: assistant, from: a }]';
  const file = path.join(dir, 'meta-mix.yaml');
  writeFileSync(
    file,
    [
      'name: meta-mix',
      'seed: 2',
      'sources:',
      `  - { name: med, group: medical, path: meta-med.jsonl, schema: { turns: ${turns}, meta: [department, id] } }`,
      `  - { name: gen, group: general, path: meta-gen.jsonl, schema: { turns: ${turns}, meta: [subject.name] } }`,
      'mixture: {volume: 36, shares: {medical: 0.25, general: 0.75}}',
      'split: {validation: 6}',
      'output: {max_rows_per_shard: 4, layouts: [huggingface]}',
    ].join('\n'),
  );
  return file;
}

interface Case {
  readonly label: string;
  readonly recipe: (dir: string) => string;
  readonly schemas: readonly string[];
  readonly set: readonly string[];
}
const CASES: readonly Case[] = [
  {
    label: 'the quickstart, every schema',
    recipe: () => QUICKSTART,
    schemas: SCHEMAS,
    // 40 rows a shard: five train shards.
    set: ['output.max_rows_per_shard=40', 'seed=11'],
  },
  ...(hasRealData
    ? [
        ...[20251125, 7].map((seed) => ({
          label: `medical-general (real Alpaca and ShareGPT sources), seed ${seed}, every schema`,
          recipe: () => path.join(REPO_ROOT, 'recipes', 'medical-general.yaml'),
          schemas: SCHEMAS,
          // Small shards: keys a record may lack (system, tools, history) first appear in a later shard.
          set: ['output.max_rows_per_shard=25', `seed=${seed}`, 'output.layouts=[huggingface]'],
        })),
        {
          label: 'a tool-calling mix of the real LLaMA-Factory demo files (tool_calls, tool turns, tools as JSON)',
          recipe: toolMix,
          schemas: ['messages', 'sharegpt', 'passthrough'],
          // LLaMA-Factory's entry cannot describe tool calls in messages: the reference JSONL writes the card only, as Arrow does.
          set: ['output.layouts=[huggingface]'],
        },
      ]
    : []),
  {
    label: 'a mix whose mappings keep meta fields (one meta column, nulls across shards)',
    recipe: metaMix,
    schemas: ['messages', 'sharegpt', 'alpaca'],
    set: [],
  },
];

describePython(py, 'Arrow output loaded by datasets.load_from_disk', () => {
  const dir = tempDir('mixsmith-arrow-load-');

  it.each(CASES)(
    '$label: memory-mapped without a cast, rows equal to the JSONL output, also through load_dataset',
    async ({ label, recipe, schemas, set: common }) => {
      const args: string[] = [];
      const base = path.join(dir, label.replace(/[^a-z0-9]+/gi, '-'));
      for (const schema of schemas) {
        const set = [`output.schema=${schema}`, ...common];
        const jsonl = `${base}-jsonl-${schema}`;
        const arrow = `${base}-arrow-${schema}`;
        await compose(recipe(dir), jsonl, set);
        await compose(recipe(dir), arrow, [...set, 'output.format=arrow']);
        args.push('--reference', `${schema}=${jsonl}`, '--output', `${schema}=${arrow}`);
      }
      const report = lastJsonLine<Report>(await runPython(py, 'arrow_outputs.py', args, { timeoutMs: TIMEOUT }));
      for (const schema of schemas) {
        const out = report.outputs[schema]!;
        expect(out.error, `${schema}: ${out.error?.traceback}`).toBeNull();
        expect(out.split_names, schema).toEqual(['train', 'validation']);
        for (const split of ['train', 'validation']) {
          const rows = out.splits[split]!;
          expect(rows.mismatches, `${schema} ${split}`).toEqual([]);
          expect(rows.rows, `${schema} ${split}`).toBe(rows.expected_rows);
          expect(rows.rows).toBeGreaterThan(0);
          expect(out.mapped[split], `${schema} ${split}`).toEqual({
            memory_mapped: true,
            cache_files_are_shards: true,
            shard_schemas_equal_features: true,
            table_schema_equal_features: true,
          });
          expect(out.load_dataset.error, `${schema} load_dataset`).toBeUndefined();
          expect(out.load_dataset[split]!.mismatches, `${schema} load_dataset ${split}`).toEqual([]);
          expect(out.load_dataset[split]!.rows).toBe(rows.expected_rows);
        }
        // The comparison can fail: a changed reference value is found.
        expect(out.control_mismatches, schema).toBe(1);
      }
    },
    TIMEOUT,
  );
});
