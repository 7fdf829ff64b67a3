/**
 * LLaMA-Factory's `dataset_info.json`: one entry per shard, with the `formatting`, `columns` and
 * `tags` that map our schema onto its loaders. Use it with `dataset_dir: <this folder>` and
 * `dataset: <the train entries, comma-separated>` (`eval_dataset:` for validation).
 *
 * One entry per shard because LLaMA-Factory's `file_name` is a single file or a folder whose
 * files must all share one type, and this folder also holds the manifest and the card.
 */
import type { OutputSchema } from '../../recipe/types.js';
import { filesBySplit, type LayoutInput, type LayoutText, mixtureName, outputOf, shardBase } from './layout-input.js';

type Entry = Record<string, unknown>;

/**
 * Formatting, columns and tags per schema (passthrough has no entry: its fields are unknown).
 * Every column named here is a key of every record (render.ts), and `tags` lists all seven tags:
 * LLaMA-Factory's DatasetAttr.join sets a tag missing from a `tags` block to None, and a turn
 * whose role matches no tag drops its whole record.
 */
const MAPPINGS: Record<Exclude<OutputSchema, 'passthrough' | 'prompt-completion'>, Entry> = {
  // OpenAI-style messages, as LLaMA-Factory's data/README describes them.
  messages: {
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
  // The system prompt is the first turn (system_tag), tool calls are function_call/observation turns.
  sharegpt: {
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
  alpaca: {
    formatting: 'alpaca',
    columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system', history: 'history' },
  },
  // Plain text is LLaMA-Factory's pre-training form (stage: pt).
  text: { columns: { prompt: 'text' } },
};

/** The dataset names an entry gets, per split, in shard order. */
export function llamaFactoryNames(input: LayoutInput): { readonly split: string; readonly names: readonly string[] }[] {
  return filesBySplit(input).map(({ split, files }) => ({
    split,
    names: files.map((f) => `${mixtureName(input)}.${shardBase(f)}`),
  }));
}

/** `dataset_info.json` for the folder. */
export function llamaFactoryInfo(input: LayoutInput): LayoutText {
  const schema = outputOf(input).schema;
  if (schema === 'passthrough' || schema === 'prompt-completion')
    throw new Error(`llama-factory has no mapping for ${schema} output (layout-support refuses it)`);
  const info: Record<string, Entry> = {};
  for (const { files } of filesBySplit(input)) {
    for (const file of files)
      info[`${mixtureName(input)}.${shardBase(file)}`] = { file_name: file.path, ...MAPPINGS[schema] };
  }
  return { path: 'dataset_info.json', text: `${JSON.stringify(info, null, 2)}\n` };
}
