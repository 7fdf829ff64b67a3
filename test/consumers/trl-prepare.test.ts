/**
 * TRL, installed for real (#19 point 8): its own dataset preparation over mixsmith's outputs. For
 * each output, `datasets.load_dataset(DIR)` and `trl.SFTTrainer` constructed on the train and
 * validation splits, whose constructor runs SFTTrainer._prepare_dataset (ChatML conversion, EOS,
 * tokenization through the chat template, prompt/completion masks, labels), with a tokenizer loaded
 * from a tokenizer.json built on the spot and TRL's bundled chat templates (Qwen2.5, Llama-3,
 * Gemma); py/trl_prepare.py decodes every prepared row and compares it with its record.
 *
 * - medical-general (Alpaca and ShareGPT sources, multi-turn), two seeds: messages and
 *   prompt-completion as JSONL, zstd JSONL and Parquet, and text: 0 raised, every row prepared,
 *   every turn rendered, no "None", no human/gpt;
 * - a tool-call mix (glaive): messages and prompt-completion with Qwen2.5, whose template renders
 *   tool calls (TRL's llama3.jinja and gemma.jinja have no tool calls at all);
 * - sharegpt as it is, the reason the trl layout refuses it: TRL keeps human/gpt as roles, and the
 *   Qwen2.5 template drops such turns without a word (a check that fails, as it must);
 * - trl.yaml, parsed by TRL's sft parser and loaded as trl/scripts/sft.py loads it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { describePython, lastJsonLine, pythonEnv, REPO_ROOT, runPython, TRL_MODULES } from '../helpers/python.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const TIMEOUT = 900_000;
const CHAT_TEMPLATES = ['qwen2_5', 'llama3', 'gemma'] as const;

const py = pythonEnv(TRL_MODULES);
const root = py.ok && hasRealData ? tempDir('mixsmith-trl-') : '';

interface SplitReport {
  readonly rows: number;
  readonly prepared: number;
  readonly problem_rows: number;
  readonly problems: readonly unknown[];
  readonly tokens: number;
  readonly trained_tokens: number;
  readonly tool_call_turns: number;
  readonly tool_turns: number;
}
interface ConsumerError {
  readonly type: string;
  readonly message: string;
  readonly traceback?: string;
}
interface Prepared {
  readonly error: ConsumerError | null;
  readonly splits: Readonly<Record<string, SplitReport>>;
}
interface Report {
  readonly checks: Readonly<Record<string, Readonly<Record<string, Prepared>> & { error?: ConsumerError }>>;
  readonly configs: Readonly<
    Record<string, { error: ConsumerError | null; args?: Record<string, string | null>; prepared?: Prepared }>
  >;
}

interface Case {
  readonly label: string;
  readonly mix: 'medical-general' | 'tool-mix';
  readonly seed: number;
  readonly schema: 'messages' | 'prompt-completion' | 'text' | 'sharegpt';
  readonly format: 'jsonl' | 'jsonl.zst' | 'parquet';
  readonly templates: readonly string[];
  readonly set?: readonly string[];
}

const medical = (seed: number, formats: readonly Case['format'][]): Case[] => [
  ...(['messages', 'prompt-completion'] as const).flatMap((schema) =>
    formats.map((format) => ({
      label: `medical-general-${seed}/${schema}/${format}`,
      mix: 'medical-general' as const,
      seed,
      schema,
      format,
      templates: CHAT_TEMPLATES,
    })),
  ),
  {
    label: `medical-general-${seed}/text/parquet`,
    mix: 'medical-general',
    seed,
    schema: 'text',
    format: 'parquet',
    templates: ['none'],
    set: ['output.template=chatml'],
  },
];
const CASES: readonly Case[] = [
  ...medical(20251125, ['jsonl', 'jsonl.zst', 'parquet']),
  ...medical(7, ['parquet']),
  ...(['messages', 'prompt-completion'] as const).flatMap((schema) =>
    (['jsonl', 'parquet'] as const).map((format) => ({
      label: `tool-mix/${schema}/${format}`,
      mix: 'tool-mix' as const,
      seed: 2,
      schema,
      format,
      templates: ['qwen2_5'],
      set: ['output.layouts=[huggingface]'],
    })),
  ),
];
const SHAREGPT: Case = {
  label: 'medical-general/sharegpt/jsonl',
  mix: 'medical-general',
  seed: 20251125,
  schema: 'sharegpt',
  format: 'jsonl',
  templates: ['qwen2_5'],
};
/** The folder whose trl.yaml TRL's own parser reads. */
const TRL_YAML: Case = {
  label: 'medical-general/prompt-completion/trl.yaml',
  mix: 'medical-general',
  seed: 20251125,
  schema: 'prompt-completion',
  format: 'parquet',
  templates: [],
  set: ['output.layouts=[huggingface, trl]'],
};

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
      '  volume: 200',
      '  shares: { tools: 0.3, general: 0.7 }',
      'split:',
      '  validation: 20',
      'output:',
      '  max_rows_per_shard: 40',
      '',
    ].join('\n'),
  );
  return file;
}

async function composeCase(c: Case): Promise<string> {
  const recipe = c.mix === 'tool-mix' ? toolMixRecipe() : path.join(REPO_ROOT, 'recipes', 'medical-general.yaml');
  // 400 of medical-general's 4000 keeps TRL's preparation short; 100 rows a shard makes several shards.
  const size = c.mix === 'medical-general' ? ['mixture.volume=400', 'output.max_rows_per_shard=100'] : [];
  const loaded = await loadRecipe(recipe, {
    set: [`seed=${c.seed}`, ...size, `output.schema=${c.schema}`, `output.format=${c.format}`, ...(c.set ?? [])],
  });
  const out = path.join(root, ...c.label.split('/'));
  await compose(loaded, { out, workers: 0 });
  return out;
}

let report: Promise<{ report: Report; folders: Map<string, string> }> | undefined;

/** Compose every case, then one Python run (torch and TRL load once) over all of them. */
function run() {
  report ??= (async () => {
    const folders = new Map<string, string>();
    for (const c of [...CASES, SHAREGPT, TRL_YAML]) folders.set(c.label, await composeCase(c));
    const work = path.join(root, 'work');
    mkdirSync(work, { recursive: true });
    const trlFolder = folders.get(TRL_YAML.label)!;
    const plan = {
      work,
      checks: [...CASES, SHAREGPT].map((c) => ({
        label: c.label,
        folder: folders.get(c.label)!,
        templates: c.templates,
      })),
      configs: [
        {
          label: TRL_YAML.label,
          // As trl.yaml's header says: --config and --dataset_name name the folder as seen from where training starts.
          cwd: path.dirname(trlFolder),
          argv: [
            '--config',
            `${path.basename(trlFolder)}/trl.yaml`,
            '--dataset_name',
            path.basename(trlFolder),
            '--model_name_or_path',
            'MODEL',
            '--output_dir',
            path.join(work, 'out'),
          ],
          template: 'qwen2_5',
        },
      ],
    };
    const result = await runPython(py, 'trl_prepare.py', [], {
      input: JSON.stringify(plan),
      timeoutMs: TIMEOUT - 60_000,
      env: { HF_HOME: path.join(root, 'hf-home') },
    });
    return { report: lastJsonLine<Report>(result), folders };
  })();
  return report;
}

const describeError = (error: ConsumerError | null | undefined) =>
  error ? `${error.type}: ${error.message}\n${error.traceback ?? ''}` : null;

/** Every split of the folder prepared whole, with no problem row. */
function expectClean(prepared: Prepared, splits: readonly string[]) {
  expect(describeError(prepared.error)).toBeNull();
  expect(Object.keys(prepared.splits).sort()).toEqual([...splits].sort());
  for (const [split, s] of Object.entries(prepared.splits)) {
    expect({ split, prepared: s.prepared, problems: s.problems }).toEqual({ split, prepared: s.rows, problems: [] });
    expect(s.rows).toBeGreaterThan(0);
    expect(s.trained_tokens).toBeGreaterThan(0);
  }
}

describePython(py, "TRL's own dataset preparation over the outputs (#19 point 8)", () => {
  if (!hasRealData) return;

  describe.each(CASES)('$label', (c) => {
    it.each(c.templates)(
      'SFTTrainer prepares every row with the %s template: 0 raised, 0 dropped, every turn, no None/human/gpt',
      async (template) => {
        const { report: r } = await run();
        const check = r.checks[c.label]!;
        expect(describeError(check.error)).toBeNull();
        expectClean(check[template]!, ['train', 'validation']);
        const train = check[template]!.splits.train!;
        // Prompt/completion trains on the completion only; messages and text on every token.
        if (c.schema === 'prompt-completion') expect(train.trained_tokens).toBeLessThan(train.tokens);
        else expect(train.trained_tokens).toBe(train.tokens);
        // The tool-call mix reaches the template with its calls and results (each checked in the text by name).
        if (c.mix === 'tool-mix') {
          expect(train.tool_call_turns).toBeGreaterThan(0);
          expect(train.tool_turns).toBeGreaterThan(0);
        }
      },
      TIMEOUT,
    );
  });

  it(
    'sharegpt as it is: TRL keeps human/gpt as roles, and Qwen2.5 drops every such turn without a word (why the trl layout refuses sharegpt)',
    async () => {
      const { report: r } = await run();
      const train = r.checks[SHAREGPT.label]!.qwen2_5!.splits.train!;
      expect(train.prepared).toBe(train.rows);
      expect(train.problem_rows).toBe(train.rows);
      expect(JSON.stringify(train.problems)).toContain('turn 0 (human) missing');
      expect(JSON.stringify(train.problems)).toContain('turn 1 (gpt) missing');
    },
    TIMEOUT,
  );

  it(
    "trl.yaml: TRL's sft parser reads it, the splits load as trl/scripts/sft.py loads them, and SFTTrainer prepares them",
    async () => {
      const { report: r } = await run();
      const config = r.configs[TRL_YAML.label]!;
      expect(describeError(config.error)).toBeNull();
      expect(config.args).toMatchObject({ train_split: 'train', test_split: 'validation', eval_strategy: 'epoch' });
      expectClean(config.prepared!, ['train', 'validation']);
    },
    TIMEOUT,
  );
});
