/**
 * What each layout says for each output schema and format: LLaMA-Factory formatting, columns and
 * tags; axolotl types and field names; the card's notes. Built from hand-made manifests, so
 * every schema is covered without composing.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { WrittenFile } from '../../../src/materialize/shard-writer.js';
import { axolotlSnippet } from '../../../src/manifest/layouts/axolotl.js';
import { huggingfaceCard } from '../../../src/manifest/layouts/huggingface-card.js';
import type { LayoutInput } from '../../../src/manifest/layouts/layout-input.js';
import { applicableLayouts } from '../../../src/recipe/layout-support.js';
import { llamaFactoryInfo } from '../../../src/manifest/layouts/llama-factory.js';
import { buildLayouts } from '../../../src/manifest/layouts/write-layouts.js';
import { parseRecipe } from '../../../src/recipe/load.js';
import { trlConfig } from '../../../src/manifest/layouts/trl.js';
import { pointConfigs } from '../../../src/manifest/layouts/point-configs.js';
import type { Manifest } from '../../../src/manifest/manifest.js';
import type { MixsmithError } from '../../../src/errors.js';

function input(output: string, extension: string, point: LayoutInput['point'] = null): LayoutInput {
  const recipe = parseRecipe(
    `name: mix\nseed: 3\nsources: [{ name: a, group: g, path: a.jsonl }]\nmixture: { volume: 10, shares: { g: 1 } }\noutput: ${output}\n`,
    'r.yaml',
    '/tmp',
  ).recipe;
  const file = (split: string, i: number, n: number, rows: number): WrittenFile => ({
    path: `${split}-0000${i}-of-0000${n}.${extension}`,
    split,
    rows,
    bytes: 100 * rows,
    sha256: 'f'.repeat(64),
  });
  return {
    recipe: { name: 'mix', sha256: 'e'.repeat(64), resolved: recipe },
    seed: 3,
    point,
    groups: {},
    sources: {},
    splits: { train: { rows: 15 }, validation: { rows: 2 } },
    files: [file('train', 0, 2, 10), file('train', 1, 2, 5), file('validation', 0, 1, 2)],
  } as unknown as LayoutInput;
}

const info = (layoutInput: LayoutInput) =>
  JSON.parse(llamaFactoryInfo(layoutInput).text) as Record<string, Record<string, unknown>>;
const axolotl = (layoutInput: LayoutInput) =>
  parseYaml(axolotlSnippet(layoutInput).text) as {
    datasets: Record<string, unknown>[];
    test_datasets?: Record<string, unknown>[];
  };

describe('LLaMA-Factory dataset_info.json', () => {
  it('has one entry per shard, named by mixture and shard', () => {
    const entries = info(input('{}', 'jsonl'));
    expect(Object.keys(entries)).toEqual([
      'mix.train-00000-of-00002',
      'mix.train-00001-of-00002',
      'mix.validation-00000-of-00001',
    ]);
    expect(Object.values(entries).map((e) => e.file_name)).toEqual([
      'train-00000-of-00002.jsonl',
      'train-00001-of-00002.jsonl',
      'validation-00000-of-00001.jsonl',
    ]);
    expect(
      Object.keys(info(input('{}', 'jsonl', { name: 'v100', volume: 100, shares: { g: 1 }, trainDigest: '' })))[0],
    ).toBe('mix.v100.train-00000-of-00002');
  });

  it.each([
    [
      'messages',
      {
        formatting: 'sharegpt',
        columns: { messages: 'messages' },
        tags: {
          role_tag: 'role',
          content_tag: 'content',
          user_tag: 'user',
          assistant_tag: 'assistant',
          observation_tag: 'tool',
          function_tag: 'function_call',
          system_tag: 'system',
        },
      },
    ],
    [
      'sharegpt',
      {
        formatting: 'sharegpt',
        columns: { messages: 'conversations', tools: 'tools' },
        tags: {
          role_tag: 'from',
          content_tag: 'value',
          user_tag: 'human',
          assistant_tag: 'gpt',
          observation_tag: 'observation',
          function_tag: 'function_call',
          system_tag: 'system',
        },
      },
    ],
    [
      'alpaca',
      {
        formatting: 'alpaca',
        columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system', history: 'history' },
      },
    ],
    ['text', { columns: { prompt: 'text' } }],
  ])('maps %s records', (schema, mapping) => {
    const output = schema === 'text' ? '{ schema: text, template: chatml, format: parquet }' : `{ schema: ${schema} }`;
    const entry = Object.values(info(input(output, schema === 'text' ? 'parquet' : 'jsonl')))[0]!;
    const { file_name: _file, ...rest } = entry;
    expect(rest).toEqual(mapping);
  });
});

describe('axolotl.yaml', () => {
  it('names the folder and a split, never data_files (axolotl would resolve them against the working directory)', () => {
    const snippet = axolotl(input('{}', 'jsonl'));
    expect(snippet.datasets).toEqual([
      {
        path: '.',
        split: 'train',
        type: 'chat_template',
        field_messages: 'messages',
        message_property_mappings: { role: 'role', content: 'content' },
      },
    ]);
    expect(snippet.test_datasets).toEqual([{ ...snippet.datasets[0], split: 'validation' }]);
  });

  it.each([
    [
      'sharegpt',
      'jsonl',
      {
        type: 'chat_template',
        field_messages: 'conversations',
        message_property_mappings: { role: 'from', content: 'value' },
        roles: { user: ['human'], assistant: ['gpt', 'function_call'], system: ['system'], tool: ['observation'] },
      },
    ],
    ['alpaca', 'jsonl.gz', { type: 'alpaca' }],
    ['text', 'parquet', { type: 'completion', field: 'text' }],
  ])('uses the right type for %s (%s)', (schema, extension, expected) => {
    const format = extension === 'jsonl' ? '' : `, format: ${extension}`;
    const entry = axolotl(input(`{ schema: ${schema}${format} }`, extension)).datasets[0]!;
    expect(entry).toMatchObject(expected);
  });
});

describe('dataset card', () => {
  it('says where provenance lives for the OpenAI target and how Parquet stores messages', () => {
    expect(huggingfaceCard(input('{ target: openai }', 'jsonl')).text).toContain('`<shard>.provenance.jsonl`');
    expect(huggingfaceCard(input('{ format: parquet }', 'parquet')).text).toContain(
      'A message is `{role, content, name, weight, tool_calls, tool_call_id}`',
    );
  });

  it('declares the features every shard is loaded with: the Parquet columns, for JSON lines too', () => {
    const features = (output: string, extension: string) =>
      (
        parseYaml(huggingfaceCard(input(output, extension)).text.split('---')[1]!) as {
          dataset_info?: { features: { name: string }[] };
        }
      ).dataset_info?.features;
    expect(features('{ schema: alpaca }', 'jsonl')).toEqual([
      { name: 'instruction', dtype: 'string' },
      { name: 'input', dtype: 'string' },
      { name: 'output', dtype: 'string' },
      { name: 'system', dtype: 'string' },
      { name: 'history', list: { list: 'string' } },
      { name: 'source', dtype: 'string' },
      { name: 'group', dtype: 'string' },
      { name: 'origin', dtype: 'string' },
    ]);
    expect(features('{ schema: sharegpt, provenance: false }', 'jsonl.zst')).toEqual([
      {
        name: 'conversations',
        list: [
          { name: 'from', dtype: 'string' },
          { name: 'value', dtype: 'string' },
        ],
      },
      { name: 'tools', dtype: 'string' },
    ]);
    const messages = features('{ format: parquet }', 'parquet')!;
    expect(messages.map((f) => f.name)).toEqual(['messages', 'tools', 'source', 'group', 'origin']);
    expect(messages[1]).toEqual({ name: 'tools', list: 'json' });
    // The OpenAI target's lines have no provenance (it is in sidecars).
    expect(features('{ target: openai }', 'jsonl')!.map((f) => f.name)).toEqual(['messages', 'tools']);
    expect(features('{ schema: passthrough }', 'jsonl')).toBeUndefined();
    expect(features('{ schema: passthrough, format: parquet }', 'parquet')!.map((f) => f.name)).toEqual([
      'record',
      'source',
      'group',
      'origin',
    ]);
  });

  it("tells TRL users which schema it reads and that the evaluation split is `validation`, not TRL's default `test`", () => {
    expect(huggingfaceCard(input('{}', 'jsonl')).text).toContain('`--dataset_test_split validation`');
    expect(huggingfaceCard(input('{ schema: sharegpt }', 'jsonl')).text).toContain(
      'compose with `output.schema: messages` (the same conversations in OpenAI roles) for TRL',
    );
    // Alpaca's way into TRL is prompt/completion.
    expect(huggingfaceCard(input('{ schema: alpaca }', 'jsonl')).text).toContain(
      'compose with `output.schema: prompt-completion`',
    );
    expect(huggingfaceCard(input('{ schema: prompt-completion }', 'parquet')).text).toContain(
      'TRL: SFTTrainer reads `prompt-completion` as its conversational prompt-completion format',
    );
    expect(huggingfaceCard(input('{ target: openai }', 'jsonl')).text).not.toContain('TRL:');
  });

  it('tells LLaMA-Factory users which dataset names to train and evaluate on', () => {
    const text = huggingfaceCard(input('{}', 'jsonl')).text;
    expect(text).toContain(
      'dataset: mix.train-00000-of-00002,mix.train-00001-of-00002\neval_dataset: mix.validation-00000-of-00001\n',
    );
    // Without their layouts, only TRL (which needs no file of its own) is named.
    const cardOnly = huggingfaceCard(input('{ layouts: [huggingface] }', 'jsonl')).text;
    expect(cardOnly).not.toContain('LLaMA-Factory:');
    expect(cardOnly).not.toContain('axolotl:');
    expect(cardOnly).toContain('TRL: SFTTrainer reads `messages`');
  });
});

describe('trl.yaml', () => {
  const trl = (output: string) => parseYaml(trlConfig(input(output, 'parquet')).text) as Record<string, unknown>;

  it("names TRL's splits (validation is the test split, evaluated each epoch) and the text field, not the folder", () => {
    expect(trl('{ layouts: [huggingface, trl] }')).toEqual({
      dataset_train_split: 'train',
      dataset_test_split: 'validation',
      eval_strategy: 'epoch',
    });
    expect(trl('{ schema: text, template: chatml, layouts: [huggingface, trl] }')).toMatchObject({
      dataset_text_field: 'text',
    });
    expect(trl('{ schema: prompt-completion, layouts: [huggingface, trl] }')).not.toHaveProperty('dataset_text_field');
    // `.` would not load (datasets finds no name for the card's config): the header says to pass the folder.
    expect(trlConfig(input('{ layouts: [huggingface, trl] }', 'parquet')).text).toContain(
      'trl sft --config FOLDER/trl.yaml --dataset_name FOLDER',
    );
  });

  it('the card names trl.yaml when it is written', () => {
    expect(huggingfaceCard(input('{ layouts: [huggingface, trl] }', 'jsonl')).text).toContain(
      '`trl.yaml` holds the settings',
    );
  });
});

describe('per-point configs of a sweep', () => {
  const manifest = (name: string, output: string) =>
    ({ ...input(output, 'jsonl', { name, volume: 15, shares: { g: 1 }, trainDigest: 'd' }) }) as Manifest;

  it('one file per point and trainer layout, under configs/<point>/, with paths relative to the sweep folder', () => {
    const layouts = '{ layouts: [huggingface, llama-factory, axolotl, trl] }';
    const configs = pointConfigs(
      [manifest('v15', layouts), manifest('v30', layouts)],
      ['huggingface', 'llama-factory', 'axolotl', 'trl'],
    );
    expect(configs.map((c) => c.path)).toEqual([
      'configs/v15/llama-factory.yaml',
      'configs/v15/axolotl.yaml',
      'configs/v15/trl-sft.sh',
      'configs/v30/llama-factory.yaml',
      'configs/v30/axolotl.yaml',
      'configs/v30/trl-sft.sh',
    ]);
    expect(parseYaml(configs[0]!.text)).toEqual({
      dataset_dir: 'v15',
      dataset: 'mix.v15.train-00000-of-00002,mix.v15.train-00001-of-00002',
      eval_dataset: 'mix.v15.validation-00000-of-00001',
    });
    const ax = parseYaml(configs[1]!.text) as {
      datasets: { path: string; split: string }[];
      test_datasets: { path: string; split: string }[];
    };
    expect([ax.datasets[0], ax.test_datasets[0]]).toMatchObject([
      { path: 'v15', split: 'train' },
      { path: 'v15', split: 'validation' },
    ]);
    expect(configs[2]!.text).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      'trl sft \\\n  --dataset_name v15 \\\n  --dataset_train_split train \\\n  --dataset_test_split validation \\\n  --eval_strategy epoch \\\n  --model_name_or_path "${MODEL:?set MODEL to a model name or path}" \\\n  --output_dir runs/v15 \\\n  "$@"\n',
    );
  });

  it('only the layouts asked for (the card needs none: the sweep card has a config per point)', () => {
    expect(pointConfigs([manifest('v15', '{}')], ['huggingface', 'axolotl']).map((c) => c.path)).toEqual([
      'configs/v15/axolotl.yaml',
    ]);
  });

  it('a point named configs is refused', () => {
    let error: unknown;
    try {
      parseRecipe(
        'name: mix\nseed: 3\nsources: [{ name: a, group: g, path: a.jsonl }]\nmixture: { volume: 10, shares: { g: 1 } }\nsweep:\n  points:\n    - { name: configs, volume: 10 }\n',
        'r.yaml',
        '/tmp',
      );
    } catch (caught) {
      error = caught;
    }
    expect((error as MixsmithError).code).toBe('RECIPE_CONFLICT');
    expect((error as MixsmithError).message).toContain('"configs"');
  });
});

describe('layout support', () => {
  it('applies every layout to chat JSONL and Parquet, only the card to passthrough', () => {
    expect(applicableLayouts('parquet', 'messages')).toEqual(['huggingface', 'llama-factory', 'axolotl']);
    expect(applicableLayouts('jsonl.gz', 'sharegpt')).toEqual(['huggingface', 'axolotl']);
    expect(applicableLayouts('jsonl', 'passthrough')).toEqual(['huggingface']);
    // trl is written only when asked for (the default set, and so existing outputs, stay as they were).
    expect(applicableLayouts('parquet', 'prompt-completion')).toEqual(['huggingface']);
  });

  it.each([
    [
      '{ schema: sharegpt, layouts: [huggingface, trl] }',
      "TRL's chat templates do not know ShareGPT's human/gpt turns",
    ],
    ['{ schema: alpaca, layouts: [huggingface, trl] }', 'write output.schema prompt-completion'],
    [
      '{ schema: prompt-completion, layouts: [huggingface, axolotl] }',
      'axolotl has no conversational prompt/completion format',
    ],
    [
      '{ schema: prompt-completion, layouts: [huggingface, llama-factory] }',
      'LLaMA-Factory has no conversational prompt/completion format',
    ],
    ['{ layouts: [trl] }', 'TRL loads the folder through its dataset card'],
  ])('refuses %s (RECIPE_CONFLICT)', (output, message) => {
    let error: unknown;
    try {
      input(output, 'jsonl');
    } catch (caught) {
      error = caught;
    }
    expect((error as MixsmithError).code).toBe('RECIPE_CONFLICT');
    expect((error as MixsmithError).message).toContain(message);
  });

  it('builds the files in the order asked', () => {
    expect(buildLayouts(input('{}', 'jsonl'), ['axolotl', 'huggingface']).map((l) => l.file.path)).toEqual([
      'axolotl.yaml',
      'README.md',
    ]);
  });
});
