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
      'compose with `output.schema: messages` for TRL',
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

describe('layout support', () => {
  it('applies every layout to chat JSONL and Parquet, only the card to passthrough', () => {
    expect(applicableLayouts('parquet', 'messages')).toEqual(['huggingface', 'llama-factory', 'axolotl']);
    expect(applicableLayouts('jsonl.gz', 'sharegpt')).toEqual(['huggingface', 'axolotl']);
    expect(applicableLayouts('jsonl', 'passthrough')).toEqual(['huggingface']);
  });

  it('builds the files in the order asked', () => {
    expect(buildLayouts(input('{}', 'jsonl'), ['axolotl', 'huggingface']).map((l) => l.file.path)).toEqual([
      'axolotl.yaml',
      'README.md',
    ]);
  });
});
