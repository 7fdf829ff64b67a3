/**
 * Records with `meta` (#20 item 8) load in every trainer's own loading code, as the other outputs
 * do (trainer-layouts.test.ts): `datasets.load_dataset(DIR)` row for row against the JSONL, every
 * LLaMA-Factory dataset_info.json entry converted, every axolotl.yaml entry loaded. Shards of 4 rows
 * so that meta values of one source only (an integer id, a nested subject) meet nulls across shards.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { describePython, lastJsonLine, pythonEnv, runPython } from '../helpers/python.js';
import { tempDir } from '../helpers/temp.js';

const TIMEOUT = 600_000;
const py = pythonEnv();
const root = py.ok ? tempDir('mixsmith-meta-trainers-') : '';

type Schema = 'messages' | 'sharegpt' | 'alpaca';
const SCHEMAS: readonly Schema[] = ['messages', 'sharegpt', 'alpaca'];
const FORMATS = ['jsonl', 'parquet'] as const;

interface Problem {
  readonly type: string;
  readonly message: string;
}
interface Report {
  readonly load: Record<
    string,
    { error: Problem | null; splits: Record<string, { rows: number; mismatches: unknown[] }> }
  >;
  readonly llamafactory: Record<string, { entries: Record<string, { error: Problem | null; dropped: number }> }>;
  readonly axolotl: Record<string, Record<string, { error: Problem | null; rows: number }>>;
}

function writeInputs(): string {
  const med = Array.from({ length: 24 }, (_, i) =>
    JSON.stringify({ q: `medical question ${i}`, a: `medical answer ${i}`, department: `d${i % 3}`, id: 1000 + i }),
  );
  const gen = Array.from({ length: 48 }, (_, i) =>
    JSON.stringify({ q: `general question ${i}`, a: `general answer ${i}`, subject: { name: `s${i % 2}` } }),
  );
  writeFileSync(path.join(root, 'med.jsonl'), med.join('\n'));
  writeFileSync(path.join(root, 'gen.jsonl'), gen.join('\n'));
  const turns = '[{ role: user, from: q }, { role: assistant, from: a }]';
  const recipe = path.join(root, 'meta.yaml');
  writeFileSync(
    recipe,
    `name: meta-mix
seed: 2
sources:
  - { name: med, group: medical, path: med.jsonl, schema: { turns: ${turns}, meta: [department, id] } }
  - { name: gen, group: general, path: gen.jsonl, schema: { turns: ${turns}, meta: [subject.name] } }
mixture:
  volume: 36
  shares: { medical: 0.25, general: 0.75 }
split:
  validation: 6
output:
  max_rows_per_shard: 4
  layouts: [huggingface, llama-factory, axolotl]
`,
  );
  return recipe;
}

describePython(py, 'meta loads in datasets, LLaMA-Factory and axolotl', () => {
  it(
    'every schema and format',
    async () => {
      const recipe = writeInputs();
      const folders: Record<string, string> = {};
      for (const schema of SCHEMAS)
        for (const format of FORMATS) {
          const out = path.join(root, `${schema}-${format}`);
          const loaded = await loadRecipe(recipe, { set: [`output.schema=${schema}`, `output.format=${format}`] });
          await compose(loaded, { out, workers: 0 });
          expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toContain('name: meta');
          folders[`${schema}/${format}`] = out;
        }
      const all = Object.values(folders);
      const cwd = path.join(root, 'elsewhere');
      mkdirSync(cwd, { recursive: true });
      const plan = {
        cwd,
        load: SCHEMAS.map((schema) => ({
          reference: folders[`${schema}/jsonl`],
          outputs: Object.fromEntries(FORMATS.map((f) => [`${schema}/${f}`, folders[`${schema}/${f}`]])),
        })),
        llamafactory: all,
        axolotl: all,
      };
      const run = await runPython(py, 'check_trainers.py', [], {
        input: JSON.stringify(plan),
        timeoutMs: TIMEOUT - 60_000,
        env: { HF_HOME: path.join(root, 'hf-home') },
      });
      const report = lastJsonLine<Report>(run);
      for (const [label, loaded] of Object.entries(report.load)) {
        expect({ label, error: loaded.error }).toEqual({ label, error: null });
        for (const [split, c] of Object.entries(loaded.splits))
          expect({ label, split, mismatches: c.mismatches }).toEqual({ label, split, mismatches: [] });
      }
      expect(Object.keys(report.load)).toHaveLength(SCHEMAS.length * FORMATS.length);
      for (const folder of all) {
        for (const [name, entry] of Object.entries(report.llamafactory[folder]!.entries))
          expect({ folder, name, error: entry.error, dropped: entry.dropped }).toEqual({
            folder,
            name,
            error: null,
            dropped: 0,
          });
        for (const [name, entry] of Object.entries(report.axolotl[folder]!))
          expect({ folder, name, error: entry.error }).toEqual({ folder, name, error: null });
      }
    },
    TIMEOUT,
  );
});
