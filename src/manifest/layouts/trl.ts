/**
 * TRL settings (`trl.yaml`) for `trl sft --config trl.yaml`: the folder as `dataset_name`, its
 * split names (TRL's scripts evaluate on `test` unless told `dataset_test_split`; ours is
 * `validation`), and the text field for `schema: text`. TRL's sft script loads the folder with
 * `datasets.load_dataset(dataset_name)`, which reads the card (huggingface layout) for the
 * split's files and features.
 *
 * SFTTrainer reads `messages` as conversational language modelling, `prompt-completion` as
 * conversational prompt/completion (loss on the completion only, its default) and `text` as
 * plain language modelling. ShareGPT and Alpaca have no TRL form (recipe/layout-support.ts
 * refuses them with the schema to write instead).
 *
 * The command line for one sweep point is built here too (`trlCommand`), so a single folder and a
 * sweep point say the same thing.
 */
import { stringify } from 'yaml';
import { filesBySplit, type LayoutInput, type LayoutText, mixtureName, outputOf } from './layout-input.js';

/** `ScriptArguments` and `SFTConfig` keys for this folder, loaded from `dataset` (a path) when given. */
export function trlArguments(input: LayoutInput, dataset?: string): Record<string, string> {
  const { schema } = outputOf(input);
  if (schema !== 'messages' && schema !== 'prompt-completion' && schema !== 'text')
    throw new Error(`trl has no form for ${schema} output (layout-support refuses it)`);
  const args: Record<string, string> = dataset === undefined ? {} : { dataset_name: dataset };
  args.dataset_train_split = 'train';
  // TRL's sft script passes the test split only when evaluation is on (eval_strategy != "no").
  if (filesBySplit(input).some((s) => s.split === 'validation'))
    Object.assign(args, { dataset_test_split: 'validation', eval_strategy: 'epoch' });
  if (schema === 'text') args.dataset_text_field = 'text';
  return args;
}

/** `trl.yaml` for the folder. */
export function trlConfig(input: LayoutInput): LayoutText {
  const header = [
    `# TRL SFT settings for the mixture ${mixtureName(input)} (recipe sha256 ${input.recipe.sha256}), written by mixsmith.`,
    '#   trl sft --config FOLDER/trl.yaml --dataset_name FOLDER --model_name_or_path MODEL --output_dir OUT',
    "# FOLDER is this folder's path as seen from where you start training (e.g. out/quickstart); the file",
    '# cannot name it without depending on --out, and `.` does not work (datasets 5 finds no name for the',
    "# card's config). TRL loads it with datasets.load_dataset, which reads each split's shards from README.md.",
  ];
  return { path: 'trl.yaml', text: `${header.join('\n')}\n${stringify(trlArguments(input))}` };
}

const shellWord = (word: string) => (/^[\w./=:-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** One `trl sft` command line training on `dataset` (a path), the model from $MODEL, into `outputDir`. */
export function trlCommand(input: LayoutInput, dataset: string, outputDir: string): string {
  const args = Object.entries(trlArguments(input, dataset)).map(([key, value]) => `--${key} ${shellWord(value)}`);
  return [
    'trl sft',
    ...args,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    '--model_name_or_path "${MODEL:?set MODEL to a model name or path}"',
    `--output_dir ${shellWord(outputDir)}`,
  ].join(' \\\n  ');
}
