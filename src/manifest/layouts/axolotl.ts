/**
 * An axolotl `datasets:` / `test_datasets:` snippet (`axolotl.yaml`) to paste into a training
 * config. Chat schemas use `type: chat_template` with our field names; alpaca and text use
 * axolotl's own `alpaca` and `completion` types.
 *
 * Files are listed by name under `path: .` (this folder): axolotl hands `data_files` to
 * `datasets.load_dataset`, which puts every listed file in one split named `train`, so the
 * validation entry also says `split: train`.
 */
import { stringify } from 'yaml';
import type { OutputSchema } from '../../recipe/types.js';
import { filesBySplit, type LayoutInput, type LayoutText, mixtureName, outputOf } from './layout-input.js';

type Entry = Record<string, unknown>;

const TYPES: Record<Exclude<OutputSchema, 'passthrough'>, Entry> = {
  messages: { type: 'chat_template', field_messages: 'messages', message_property_mappings: { role: 'role', content: 'content' } },
  sharegpt: {
    type: 'chat_template',
    field_messages: 'conversations',
    message_property_mappings: { role: 'from', content: 'value' },
    roles: { user: ['human'], assistant: ['gpt'], system: ['system'] },
  },
  alpaca: { type: 'alpaca' },
  text: { type: 'completion', field: 'text' },
};

/** `axolotl.yaml` for the folder. */
export function axolotlSnippet(input: LayoutInput): LayoutText {
  const output = outputOf(input);
  if (output.schema === 'passthrough') throw new Error('axolotl has no type for passthrough output (layout-support refuses it)');
  const dsType = output.format === 'parquet' ? 'parquet' : 'json';
  const entries = new Map(
    filesBySplit(input).map(({ split, files }) => [split, [{ path: '.', ds_type: dsType, data_files: files.map((f) => f.path), split: 'train', ...TYPES[output.schema as Exclude<OutputSchema, 'passthrough'>] }]]),
  );
  const body: Entry = { datasets: entries.get('train') ?? [] };
  if (entries.has('validation')) body.test_datasets = entries.get('validation');
  const header = [
    `# axolotl datasets for the mixture ${mixtureName(input)} (recipe sha256 ${input.recipe.sha256}), written by mixsmith.`,
    '# Merge these keys into your axolotl config. `path: .` is this folder: replace it with the',
    "# folder's path as seen from where you start training (e.g. out/quickstart).",
  ];
  if (output.schema === 'sharegpt') header.push('# The system prompt stays in the `system` field, which chat_template does not read.');
  return { path: 'axolotl.yaml', text: `${header.join('\n')}\n${stringify(body, { aliasDuplicateObjects: false })}` };
}
