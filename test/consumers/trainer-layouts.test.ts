/**
 * Every schema × format output of two real mixtures loads unchanged in the trainers' own loading
 * code (#19): `recipes/medical-general.yaml` (Alpaca and ShareGPT sources, multi-turn history) and
 * a tool-call mix (LLaMA-Factory's glaive_toolcall_zh_demo.json beside an Alpaca file).
 *
 * - `datasets.load_dataset(DIR)`: every split, row for row the JSONL output of the same schema
 *   (shards small enough that an optional key first shows up in a later shard);
 * - LLaMA-Factory, ported (py/llamafactory_convert.py): every dataset_info.json entry loaded and
 *   converted: no KeyError, no record dropped, the turns the shard holds;
 * - axolotl, ported (py/axolotl_load.py): every axolotl.yaml entry, path replaced as its header
 *   says, loaded from another working directory; the turns the chat template sees, rendered with
 *   the Qwen2.5 template: no null or empty system turn, nothing the template fails on.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { MixsmithError } from '../../src/errors.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { describePython, lastJsonLine, pythonEnv, REPO_ROOT, runPython } from '../helpers/python.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const FORMATS = ['jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet'] as const;
type Format = (typeof FORMATS)[number];
type Schema = 'messages' | 'sharegpt' | 'alpaca' | 'text' | 'passthrough' | 'prompt-completion';
/** Composing every output of a case, then one Python run of every check over them. */
const TIMEOUT = 600_000;

interface Output {
  readonly schema: Schema;
  readonly formats: readonly Format[];
  readonly set: readonly string[];
}
interface Mix {
  readonly name: string;
  readonly recipe: () => string;
  readonly set: readonly string[];
  readonly outputs: readonly Output[];
  /** Per seed: does the key below first appear in a later train shard (checked, not assumed). */
  readonly seeds: readonly { readonly seed: number; readonly laterShard: boolean }[];
  /** The optional value whose first appearance the shard size pushes past the first shard. */
  readonly optional: {
    readonly schema: Schema;
    readonly present: (record: Record<string, unknown>) => boolean;
    readonly what: string;
  };
}

const root = pythonEnv().ok && hasRealData ? tempDir('mixsmith-trainers-') : '';

function toolMixRecipe(): string {
  const file = path.join(root, 'tool-mix.yaml');
  writeFileSync(
    file,
    [
      'name: tool-mix',
      'seed: 1',
      'sources:',
      '  - name: glaive-toolcall',
      '    group: tools',
      `    path: ${JSON.stringify(realFile('llama-factory-demo', 'glaive_toolcall_zh_demo.json'))}`,
      '    schema: sharegpt',
      '  - name: alpaca-en',
      '    group: general',
      `    path: ${JSON.stringify(realFile('llama-factory-demo', 'alpaca_en_demo.json'))}`,
      '    schema: alpaca',
      'mixture:',
      '  volume: 300',
      '  shares: { tools: 0.15, general: 0.85 }',
      'split:',
      '  validation: 30',
      'output:',
      '  max_rows_per_shard: 8',
      '',
    ].join('\n'),
  );
  return file;
}

const MIXES: readonly Mix[] = [
  {
    name: 'medical-general',
    recipe: () => path.join(REPO_ROOT, 'recipes', 'medical-general.yaml'),
    // 1000 of the recipe's 4000 keeps the run short; 25 rows a shard makes 40 train shards.
    set: ['mixture.volume=1000', 'output.max_rows_per_shard=25'],
    outputs: [
      { schema: 'messages', formats: FORMATS, set: [] },
      { schema: 'sharegpt', formats: FORMATS, set: [] },
      { schema: 'alpaca', formats: FORMATS, set: [] },
      { schema: 'text', formats: FORMATS, set: ['output.template=chatml'] },
      { schema: 'passthrough', formats: ['parquet'], set: [] },
      // TRL's form (its own preparation: trl-prepare.test.ts); LLaMA-Factory and axolotl have none.
      { schema: 'prompt-completion', formats: FORMATS, set: [] },
    ],
    seeds: [
      { seed: 20251125, laterShard: true },
      { seed: 11, laterShard: true },
      { seed: 7, laterShard: false },
    ],
    optional: {
      schema: 'alpaca',
      what: 'a non-empty history',
      present: (r) => Array.isArray(r.history) && r.history.length > 0,
    },
  },
  {
    name: 'tool-mix',
    recipe: toolMixRecipe,
    set: [],
    outputs: [
      // LLaMA-Factory cannot read OpenAI tool calls (see below): the card and axolotl only.
      { schema: 'messages', formats: FORMATS, set: ['output.layouts=[huggingface, axolotl]'] },
      { schema: 'sharegpt', formats: FORMATS, set: [] },
      { schema: 'text', formats: ['jsonl', 'parquet'], set: ['output.template=chatml'] },
      { schema: 'passthrough', formats: ['parquet'], set: [] },
    ],
    seeds: [
      { seed: 2, laterShard: true },
      { seed: 11, laterShard: true },
    ],
    optional: { schema: 'sharegpt', what: 'tools', present: (r) => typeof r.tools === 'string' },
  },
];

interface ConsumerError {
  readonly type: string;
  readonly message: string;
  readonly traceback?: string;
}
interface Comparison {
  readonly rows: number;
  readonly mismatch_count: number;
  readonly mismatches: readonly unknown[];
}
interface LlamaFactoryEntry {
  readonly error: ConsumerError | null;
  readonly rows: number;
  readonly dropped: number;
  readonly dropped_with_tools: number;
  readonly template_problem_rows: number;
  readonly template_problems: readonly unknown[];
  readonly mismatch_count: number;
  readonly mismatches: readonly unknown[];
  readonly roles: Readonly<Record<string, number>>;
  readonly with_tools: number;
}
interface AxolotlEntry {
  readonly error: ConsumerError | null;
  readonly rows: number;
  readonly null_content_turns: number;
  readonly empty_system_turns: number;
  readonly template_errors: number;
  readonly template_error_examples: readonly unknown[];
  readonly roles: Readonly<Record<string, number>>;
  readonly with_tools: number;
  readonly mismatch_count: number;
  readonly mismatches: readonly unknown[];
  readonly missing_fields?: number;
}
interface Report {
  readonly load: Readonly<
    Record<
      string,
      {
        readonly error: ConsumerError | null;
        readonly split_names?: readonly string[];
        readonly splits: Readonly<Record<string, Comparison>>;
      }
    >
  >;
  readonly llamafactory: Readonly<
    Record<
      string,
      {
        readonly entries: Readonly<Record<string, LlamaFactoryEntry>>;
        readonly merged_rows: Readonly<Record<string, number | ConsumerError>>;
      }
    >
  >;
  readonly axolotl: Readonly<Record<string, Readonly<Record<string, AxolotlEntry>>>>;
}
interface ManifestFile {
  readonly path: string;
  readonly split: string;
  readonly rows: number;
}
interface Run {
  readonly folders: ReadonlyMap<string, string>;
  readonly report: Report;
}

const label = (schema: Schema, format: Format) => `${schema}/${format}`;
const manifestOf = (folder: string) =>
  JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as {
    files: ManifestFile[];
    layouts: { layout: string }[];
  };
function rowsBySplit(folder: string): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const f of manifestOf(folder).files) rows[f.split] = (rows[f.split] ?? 0) + f.rows;
  return rows;
}
const describeError = (error: ConsumerError | null | undefined) =>
  error ? `${error.type}: ${error.message}\n${error.traceback ?? ''}` : null;

const py = pythonEnv();
const runs = new Map<string, Promise<Run>>();

/** Compose every output of one mix and seed, then run every check once over them. */
function caseRun(mix: Mix, seed: number): Promise<Run> {
  const key = `${mix.name}-${seed}`;
  let run = runs.get(key);
  if (!run) {
    run = (async () => {
      const recipe = mix.recipe();
      const folders = new Map<string, string>();
      for (const output of mix.outputs) {
        // The JSONL output is every output's reference, loaded or not.
        for (const format of output.formats.includes('jsonl')
          ? output.formats
          : ['jsonl' as const, ...output.formats]) {
          const folder = path.join(root, key, output.schema, format);
          const loaded = await loadRecipe(recipe, {
            set: [
              `seed=${seed}`,
              ...mix.set,
              `output.schema=${output.schema}`,
              `output.format=${format}`,
              ...output.set,
            ],
          });
          await compose(loaded, { out: folder, workers: 0 });
          folders.set(label(output.schema, format), folder);
        }
      }
      const load = mix.outputs.map((output) => ({
        reference: folders.get(label(output.schema, 'jsonl'))!,
        unwrap: output.schema === 'passthrough',
        outputs: Object.fromEntries(
          output.formats.map((format) => [label(output.schema, format), folders.get(label(output.schema, format))!]),
        ),
      }));
      const loadedFolders = mix.outputs.flatMap((output) =>
        output.formats.map((format) => folders.get(label(output.schema, format))!),
      );
      const withLayout = (layout: string) =>
        loadedFolders.filter((folder) => manifestOf(folder).layouts.some((l) => l.layout === layout));
      const cwd = path.join(root, key, 'elsewhere');
      const plan = { cwd, load, llamafactory: withLayout('llama-factory'), axolotl: withLayout('axolotl') };
      mkdirSync(cwd, { recursive: true });
      const result = await runPython(py, 'check_trainers.py', [], {
        input: JSON.stringify(plan),
        timeoutMs: TIMEOUT - 60_000,
        env: { HF_HOME: path.join(root, key, 'hf-home') },
      });
      return { folders, report: lastJsonLine<Report>(result) };
    })();
    runs.set(key, run);
  }
  return run;
}

function outputCases(mix: Mix): { schema: Schema; format: Format }[] {
  return mix.outputs.flatMap((output) => output.formats.map((format) => ({ schema: output.schema, format })));
}

describePython(py, 'trainer layouts load in datasets, LLaMA-Factory and axolotl (#19)', () => {
  if (!hasRealData) return;
  for (const mix of MIXES) {
    describe.each(mix.seeds)(`${mix.name}, seed $seed`, ({ seed, laterShard }) => {
      it.each(outputCases(mix))(
        'datasets.load_dataset(DIR) on $schema/$format: the JSONL’s splits and rows',
        async ({ schema, format }) => {
          const { folders, report } = await caseRun(mix, seed);
          const folder = folders.get(label(schema, format))!;
          const loaded = report.load[label(schema, format)]!;
          expect(describeError(loaded.error)).toBeNull();
          const expected = rowsBySplit(folder);
          expect(loaded.split_names).toEqual(Object.keys(expected).sort());
          for (const [split, rows] of Object.entries(expected)) {
            const comparison = loaded.splits[split]!;
            expect({ split, rows: comparison.rows, mismatches: comparison.mismatches }).toEqual({
              split,
              rows,
              mismatches: [],
            });
          }
        },
        TIMEOUT,
      );

      if (laterShard) {
        it(
          `${mix.optional.what} first appears in a later train shard, not the first`,
          async () => {
            const { folders } = await caseRun(mix, seed);
            const folder = folders.get(label(mix.optional.schema, 'jsonl'))!;
            const train = manifestOf(folder).files.filter((f) => f.split === 'train');
            const firstWith = train.findIndex((f) =>
              readFileSync(path.join(folder, f.path), 'utf8')
                .split('\n')
                .filter(Boolean)
                .some((line) => mix.optional.present(JSON.parse(line) as Record<string, unknown>)),
            );
            expect(firstWith).toBeGreaterThan(0);
          },
          TIMEOUT,
        );
      }

      it.each(outputCases(mix).filter((c) => c.format === 'jsonl' || c.format === 'parquet'))(
        'LLaMA-Factory on $schema/$format: every dataset_info.json entry loads and converts, no KeyError, nothing dropped, the same turns',
        async ({ schema, format }) => {
          const { folders, report } = await caseRun(mix, seed);
          const folder = folders.get(label(schema, format))!;
          const info = report.llamafactory[folder];
          if (
            schema === 'passthrough' ||
            schema === 'prompt-completion' ||
            (mix.name === 'tool-mix' && schema === 'messages')
          ) {
            expect(info).toBeUndefined();
            return;
          }
          const shards = manifestOf(folder).files;
          expect(Object.keys(info!.entries)).toHaveLength(shards.length);
          for (const [name, entry] of Object.entries(info!.entries)) {
            expect(describeError(entry.error), name).toBeNull();
            expect({
              name,
              dropped: entry.dropped,
              template: entry.template_problems,
              mismatches: entry.mismatches,
            }).toEqual({ name, dropped: 0, template: [], mismatches: [] });
          }
          expect(Object.values(info!.entries).reduce((sum, e) => sum + e.rows, 0)).toBe(
            shards.reduce((sum, f) => sum + f.rows, 0),
          );
          expect(info!.merged_rows).toEqual(rowsBySplit(folder));
          if (mix.name === 'tool-mix' && schema === 'sharegpt') {
            const roles = Object.values(info!.entries).reduce<Record<string, number>>((sum, e) => {
              for (const [role, n] of Object.entries(e.roles)) sum[role] = (sum[role] ?? 0) + n;
              return sum;
            }, {});
            expect(roles.function).toBeGreaterThan(0);
            expect(roles.observation).toBeGreaterThan(0);
            expect(Object.values(info!.entries).reduce((sum, e) => sum + e.with_tools, 0)).toBeGreaterThan(0);
          }
        },
        TIMEOUT,
      );

      it.each(outputCases(mix).filter((c) => c.schema !== 'passthrough' && c.schema !== 'prompt-completion'))(
        'axolotl on $schema/$format, from another working directory: every entry loads; the turns the template sees, no null system turn',
        async ({ schema, format }) => {
          const { folders, report } = await caseRun(mix, seed);
          const folder = folders.get(label(schema, format))!;
          const entries = report.axolotl[folder]!;
          const expected = rowsBySplit(folder);
          expect(Object.keys(entries)).toEqual(['datasets[0]', ...(expected.validation ? ['test_datasets[0]'] : [])]);
          for (const [name, entry] of Object.entries(entries)) {
            expect(describeError(entry.error), name).toBeNull();
            expect(entry.rows).toBe(name.startsWith('datasets') ? expected.train : expected.validation);
            expect({
              name,
              nulls: entry.null_content_turns,
              emptySystem: entry.empty_system_turns,
              template: entry.template_error_examples,
              mismatches: entry.mismatches,
              missing: entry.missing_fields ?? 0,
            }).toEqual({
              name,
              nulls: 0,
              emptySystem: 0,
              template: [],
              mismatches: [],
              missing: 0,
            });
          }
          if (mix.name === 'tool-mix' && (schema === 'messages' || schema === 'sharegpt')) {
            expect(entries['datasets[0]']!.with_tools).toBeGreaterThan(0);
            expect(entries['datasets[0]']!.roles.tool).toBeGreaterThan(0);
          }
        },
        TIMEOUT,
      );
    });
  }

  describe('tool calls where a trainer cannot take them', () => {
    it('alpaca: a tool-call conversation has no alpaca form (RECIPE_CONFLICT, not a silent drop of its tool turns)', async () => {
      const loaded = await loadRecipe(toolMixRecipe(), { set: ['output.schema=alpaca'] });
      const error = await compose(loaded, { out: path.join(root, 'alpaca-tools'), workers: 0 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MixsmithError);
      expect((error as MixsmithError).code).toBe('RECIPE_CONFLICT');
      expect(readdirSync(root)).not.toContain('alpaca-tools');
    });

    it('messages with the llama-factory layout: refused, naming the record and both ways out', async () => {
      const loaded = await loadRecipe(toolMixRecipe(), { set: ['output.schema=messages'] });
      const error = (await compose(loaded, { out: path.join(root, 'messages-tools'), workers: 0 }).catch(
        (e: unknown) => e,
      )) as MixsmithError;
      expect(error).toBeInstanceOf(MixsmithError);
      expect(error.code).toBe('RECIPE_CONFLICT');
      expect(error.where?.file).toMatch(/glaive_toolcall_zh_demo\.json#element=\d+$/);
      expect(error.hint).toContain('output.schema: sharegpt');
      expect(error.hint).toContain('output.layouts: [huggingface, axolotl]');
    });
  });
});
