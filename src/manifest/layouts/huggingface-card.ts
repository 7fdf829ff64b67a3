/**
 * A Hugging Face dataset card (`README.md`). Its YAML header's `configs:` lists each split's
 * files by name, so `load_dataset(DIR)` finds train and validation and nothing else in the folder
 * (not the manifest, not provenance sidecars); the body is the composition from the manifest.
 */
import { stringify } from 'yaml';
import type { OutputFormat, OutputSchema } from '../../recipe/types.js';
import {
  filesBySplit,
  type LayoutInput,
  type LayoutText,
  mixtureName,
  outputMetaKeysOf,
  outputOf,
} from './layout-input.js';
import { datasetFeatures } from './features.js';
import { llamaFactoryNames } from './llama-factory.js';

const SCHEMA_WORDS: Record<OutputSchema, string> = {
  messages:
    'chat turns in the OpenAI / TRL form: `messages: [{role, content}]`, tool calls as `tool_calls` and `tool` turns, tool definitions in `tools`',
  sharegpt:
    'chat turns in the ShareGPT form: `conversations: [{from, value}]` (system / human / gpt, function_call / observation for tool calls), tool definitions in `tools` (one JSON string)',
  alpaca: 'Alpaca records: `instruction`, `input`, `output`, `system` and `history`',
  text: 'plain text in `text`',
  passthrough: 'each input record as it was, with its own fields',
  'prompt-completion':
    "TRL's conversational prompt/completion form: `prompt: [{role, content}]` (every turn before the last assistant turn) and `completion: [{role, content}]` (that turn), messages and tool calls as in the OpenAI form, tool definitions in `tools`",
};

const FORMAT_WORDS: Record<OutputFormat, string> = {
  jsonl: 'JSON lines',
  'jsonl.gz': 'gzip-compressed JSON lines',
  'jsonl.zst': 'zstd-compressed JSON lines (reading them needs the `zstandard` Python package)',
  parquet: 'Parquet',
  arrow:
    'Arrow IPC stream shards in a `save_to_disk` folder: `datasets.load_from_disk(DIR)` memory-maps them as they are (`load_dataset(DIR)` also reads them, into its cache)',
};

function header(input: LayoutInput): string {
  const configs = [
    {
      config_name: 'default',
      data_files: filesBySplit(input).map(({ split, files }) => ({ split, path: files.map((f) => f.path) })),
    },
  ];
  const features = datasetFeatures(outputOf(input), outputMetaKeysOf(input).length > 0);
  const card: Record<string, unknown> = {
    pretty_name: mixtureName(input),
    tags: ['mixsmith'],
    task_categories: ['text-generation'],
    configs,
  };
  // Every shard is cast to these, so a key that first appears in a later shard is no surprise.
  if (features) card.dataset_info = { features };
  return stringify(card, { aliasDuplicateObjects: false });
}

function recordsSection(input: LayoutInput): string[] {
  const output = outputOf(input);
  const lines = [`${FORMAT_WORDS[output.format]}; ${SCHEMA_WORDS[output.schema]}.`];
  if (datasetFeatures(output)) {
    const empty = output.schema === 'alpaca' ? ' (`system` is "" and `history` [] when there are none)' : '';
    lines.push(
      '',
      `Every record has every column; a value it does not have is null${empty}. The header's \`dataset_info.features\` declares them, so every shard loads with one schema.`,
    );
  }
  if (output.schema === 'messages' || output.schema === 'prompt-completion') {
    lines.push(
      '',
      "A message is `{role, content, name, weight, tool_calls, tool_call_id}` (OpenAI's keys; absent ones are null once loaded); each tool definition in `tools` is JSON.",
    );
  }
  const metaKeys = outputMetaKeysOf(input);
  if (metaKeys.length > 0) {
    const where = output.target === 'openai' ? ' in `<shard>.provenance.jsonl` (OpenAI allows no other keys)' : '';
    lines.push(
      '',
      `\`meta\`${where} holds the fields the mappings keep (${metaKeys.map((k) => `\`${k}\``).join(', ')}) as one JSON object in text, with every key on every record (null where absent).`,
    );
  }
  if ((output.format === 'parquet' || output.format === 'arrow') && output.schema === 'passthrough')
    lines.push('', 'Each input record is stored whole as JSON in `record`.');
  if (output.provenance && output.target === 'openai') {
    lines.push(
      '',
      'Provenance (`source`, `group`, `origin`) is beside each shard in `<shard>.provenance.jsonl`, one line per record, keyed by `line` (1-based).',
    );
  } else if (output.provenance) {
    lines.push('', 'Every record names its `source`, its `group` and its `origin` (input file and line).');
  }
  return lines;
}

/** How the other layouts in this folder are used; empty when there are none. */
function trainersSection(input: LayoutInput): string[] {
  const layouts = outputOf(input).layouts;
  const lines: string[] = [];
  if (layouts.includes('llama-factory')) {
    const names = llamaFactoryNames(input);
    const list = (split: string) => names.find((n) => n.split === split)?.names.join(',');
    lines.push(
      'LLaMA-Factory: `dataset_info.json` describes every shard. In the training config:',
      '',
      '```yaml',
      'dataset_dir: path/to/this/folder',
      `dataset: ${list('train')}`,
    );
    const validation = list('validation');
    if (validation) lines.push(`eval_dataset: ${validation}`);
    lines.push('```', '');
  }
  if (layouts.includes('axolotl'))
    lines.push('axolotl: merge `axolotl.yaml` (`datasets:` and `test_datasets:`) into the training config.', '');
  lines.push(...trlLines(input));
  return lines.length > 0 ? ['## Train with', '', ...lines] : [];
}

/**
 * TRL's SFTTrainer reads `messages` (conversational), `prompt`/`completion` and `text` (language
 * modelling); its scripts evaluate on a split named `test` unless told otherwise
 * (ScriptArguments.dataset_test_split).
 */
function trlLines(input: LayoutInput): string[] {
  const { schema, target, layouts } = outputOf(input);
  if (target === 'openai' || schema === 'passthrough') return [];
  if (schema === 'sharegpt') {
    return [
      "TRL: its chat templates do not know ShareGPT's human/gpt turns; compose with `output.schema: messages` (the same conversations in OpenAI roles) for TRL.",
      '',
    ];
  }
  if (schema === 'alpaca') {
    return [
      'TRL: its SFTTrainer reads no Alpaca fields; compose with `output.schema: prompt-completion` (instruction and history as the prompt, output as the completion) or `messages` for TRL.',
      '',
    ];
  }
  const validation = filesBySplit(input).some((s) => s.split === 'validation');
  const forms: Record<string, string> = {
    messages: 'its conversational format (the chat template is applied for you)',
    'prompt-completion': 'its conversational prompt-completion format (the loss is on the completion only)',
    text: 'its language-modelling format (`dataset_text_field: text`)',
  };
  const lines = [`TRL: SFTTrainer reads \`${schema}\` as ${forms[schema]}.`];
  if (layouts.includes('trl'))
    lines.push(
      '`trl.yaml` holds the settings: `trl sft --config path/to/this/folder/trl.yaml --dataset_name path/to/this/folder --model_name_or_path MODEL --output_dir OUT`.',
    );
  else if (validation)
    lines.push(
      "The evaluation split is `validation`; TRL's scripts look for `test` unless given `--dataset_test_split validation`.",
    );
  return [...lines, ''];
}

function compositionSection(input: LayoutInput): string[] {
  const lines = ['| group | share | quota | selected | shortfall | validation |', '|---|---:|---:|---:|---:|---:|'];
  for (const [name, g] of Object.entries(input.groups)) {
    lines.push(`| ${name} | ${g.share} | ${g.quota} | ${g.selected} | ${g.shortfall} | ${g.validation.selected} |`);
  }
  lines.push(
    '',
    '| source | group | read | duplicates | available | selected | validation |',
    '|---|---|---:|---:|---:|---:|---:|',
  );
  for (const [name, s] of Object.entries(input.sources)) {
    lines.push(
      `| ${name} | ${s.group} | ${s.read} | ${s.duplicates} | ${s.available} | ${s.selected} | ${s.validationSelected} |`,
    );
  }
  return lines;
}

function filesSection(input: LayoutInput): string[] {
  const lines = ['| split | file | rows | bytes |', '|---|---|---:|---:|'];
  for (const { split, files } of filesBySplit(input)) {
    for (const f of files) lines.push(`| ${split} | ${f.path} | ${f.rows} | ${f.bytes} |`);
  }
  return lines;
}

/** `README.md` for the folder. */
export function huggingfaceCard(input: LayoutInput): LayoutText {
  const point = input.point
    ? ` This folder is the sweep point \`${input.point.name}\` (volume ${input.point.volume}).`
    : '';
  const splits = filesBySplit(input)
    .map(({ split }) => split)
    .join(' and ');
  const text = [
    `---\n${header(input)}---`,
    '',
    `# ${mixtureName(input)}`,
    '',
    `A fine-tuning mixture composed by mixsmith from the recipe \`${input.recipe.name}\` (sha256 \`${input.recipe.sha256}\`), seed ${input.seed}.${point}`,
    'The numbers below come from `manifest.json`, which `mixsmith audit` checks against the files.',
    '',
    '## Load',
    '',
    '```python',
    'from datasets import load_dataset',
    '',
    `mixture = load_dataset("path/to/this/folder")  # ${splits}`,
    '```',
    '',
    '## Records',
    '',
    ...recordsSection(input),
    '',
    ...trainersSection(input),
    '## Composition',
    '',
    ...compositionSection(input),
    '',
    '## Files',
    '',
    ...filesSection(input),
    '',
  ].join('\n');
  return { path: 'README.md', text };
}
