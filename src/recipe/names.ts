/**
 * Every name a recipe (or a command line) may use for a format, preset, schema, layout or policy,
 * declared once. The TypeScript unions, the CLI's choices and the JSON Schema's enums derive from
 * these lists (test/recipe/names.test.ts holds the schema to them), so adding a name is one edit.
 */

/** Input formats a source may state (`auto` aside); records/read/formats.ts has one reader each. */
export const INPUT_FORMATS = ['jsonl', 'json', 'json-object', 'parquet', 'csv', 'tsv', 'arrow'] as const;
export type RecordFormat = (typeof INPUT_FORMATS)[number];
export type InputFormat = 'auto' | RecordFormat;

/** Record shapes people publish, each mapped to the canonical sample (records/map/presets.ts). */
export const PRESET_NAMES = ['alpaca', 'sharegpt', 'openai', 'dolly', 'prompt-completion', 'text'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Shapes an output record can take (materialize/render.ts). */
export const OUTPUT_SCHEMAS = ['messages', 'sharegpt', 'alpaca', 'text', 'passthrough', 'prompt-completion'] as const;
export type OutputSchema = (typeof OUTPUT_SCHEMAS)[number];

/** Shard formats (materialize/output-sinks.ts). */
export const OUTPUT_FORMATS = ['jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet', 'arrow'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Trainer layouts written beside the shards (manifest/layouts/). */
export const LAYOUT_NAMES = ['huggingface', 'llama-factory', 'axolotl', 'trl'] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];

export const SHORTAGE_POLICIES = ['error', 'cap', 'repeat', 'redistribute'] as const;
export type ShortagePolicy = (typeof SHORTAGE_POLICIES)[number];

export const ERROR_POLICIES = ['fail', 'skip'] as const;
export type ErrorPolicy = (typeof ERROR_POLICIES)[number];

/** Built-in token counters; a tokenizer.json path is the other choice (recipe/types.ts TokenizerSpec). */
export const TOKENIZER_NAMES = ['chars', 'o200k_base', 'cl100k_base'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

/** `openai` writes what OpenAI fine-tuning accepts: messages JSONL, provenance in sidecars. */
export const OUTPUT_TARGETS = ['generic', 'openai'] as const;
export type OutputTarget = (typeof OUTPUT_TARGETS)[number];
