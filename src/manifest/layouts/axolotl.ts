/**
 * An axolotl `datasets:` / `test_datasets:` snippet (`axolotl.yaml`) to paste into a training
 * config. Chat schemas use `type: chat_template` with our field names; alpaca and text use
 * axolotl's own `alpaca` and `completion` types.
 *
 * Each entry is the folder itself (`path`) and a split, with no `data_files`: for a local folder
 * axolotl (utils/data/shared.py, _load_from_local_path) passes `data_files` to
 * `datasets.load_dataset` as they are, relative to the working directory and not to `path`, so
 * listed shards are found only when training starts inside the folder. Without them it calls
 * `load_dataset(path, split=…)`, which reads the folder's dataset card (file list and features):
 * the files resolve against the folder, from anywhere. The card is why axolotl needs the
 * huggingface layout (recipe/resolve-output.ts refuses axolotl without it).
 */
import { stringify } from 'yaml';
import type { OutputSchema } from '../../recipe/types.js';
import { filesBySplit, type LayoutInput, type LayoutText, mixtureName, outputOf } from './layout-input.js';

type Entry = Record<string, unknown>;

const TYPES: Record<Exclude<OutputSchema, 'passthrough' | 'prompt-completion'>, Entry> = {
  messages: {
    type: 'chat_template',
    field_messages: 'messages',
    message_property_mappings: { role: 'role', content: 'content' },
  },
  sharegpt: {
    type: 'chat_template',
    field_messages: 'conversations',
    message_property_mappings: { role: 'from', content: 'value' },
    // function_call turns are the assistant's tool calls as JSON text; tool results are tool turns.
    roles: { user: ['human'], assistant: ['gpt', 'function_call'], system: ['system'], tool: ['observation'] },
  },
  alpaca: { type: 'alpaca' },
  text: { type: 'completion', field: 'text' },
};

const HEADER_NOTES: Partial<Record<OutputSchema, string[]>> = {
  sharegpt: [
    '# Tool calls stay function_call turns (JSON text, trained as assistant text); schema messages',
    "# gives axolotl OpenAI tool_calls and tools for the model's own chat template instead.",
  ],
  alpaca: ["# axolotl's alpaca type reads instruction, input and output; system and history are not used."],
};

/** The `datasets:` (and `test_datasets:`) keys for the folder at `folder` (as seen from where training starts). */
export function axolotlDatasets(input: LayoutInput, folder: string): Entry {
  const output = outputOf(input);
  if (output.schema === 'passthrough' || output.schema === 'prompt-completion')
    throw new Error(`axolotl has no type for ${output.schema} output (layout-support refuses it)`);
  const type = TYPES[output.schema];
  const entries = new Map(filesBySplit(input).map(({ split }) => [split, [{ path: folder, split, ...type }]]));
  const body: Entry = { datasets: entries.get('train') ?? [] };
  if (entries.has('validation')) body.test_datasets = entries.get('validation');
  return body;
}

/** What the schema's entries leave out, as comment lines. */
export function axolotlNotes(input: LayoutInput): readonly string[] {
  return HEADER_NOTES[outputOf(input).schema] ?? [];
}

/** `axolotl.yaml` for the folder. */
export function axolotlSnippet(input: LayoutInput): LayoutText {
  const body = axolotlDatasets(input, '.');
  const header = [
    `# axolotl datasets for the mixture ${mixtureName(input)} (recipe sha256 ${input.recipe.sha256}), written by mixsmith.`,
    '# Merge these keys into your axolotl config. `path: .` is this folder: replace it with the',
    "# folder's path as seen from where you start training (e.g. out/quickstart). axolotl then loads",
    "# it with datasets.load_dataset(path, split=…), which finds the split's shards through README.md.",
    ...axolotlNotes(input),
  ];
  return { path: 'axolotl.yaml', text: `${header.join('\n')}\n${stringify(body, { aliasDuplicateObjects: false })}` };
}
