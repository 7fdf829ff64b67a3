/**
 * The recipe's `output` section with defaults filled in and the settings that cannot go together
 * refused, all at once. The JSON Schema has already checked each value on its own; what is left
 * are combinations (a template without text output, Parquet options for JSONL, the OpenAI target
 * with another format, a layout its trainer cannot load).
 */
import { type Diagnostic, MixsmithError } from '../errors.js';
import { applicableLayouts, layoutConflict } from './layout-support.js';
import { didYouMean } from './did-you-mean.js';
import type { SampleBody } from '../sample.js';
import type {
  LayoutName,
  OutputFormat,
  OutputSchema,
  OutputSpec,
  OutputTarget,
  OutputTemplate,
  ParquetOptions,
} from './types.js';
import { BUILT_IN_TEMPLATE_NAMES, resolveTemplate } from './chat-templates.js';

type Raw = Record<string, unknown>;

/** Defaults for Parquet: ~10k rows per row group (a few tens of MB of chat text), zstd. */
export const PARQUET_DEFAULTS: ParquetOptions = {
  compression: 'zstd',
  max_rows_per_row_group: 10_000,
  max_bytes_per_row_group: 64 * 1024 * 1024,
};

/** A problem of `output` and the key it concerns, so that recipe/load.ts can point at that key's line. */
export interface OutputProblem {
  readonly key: string;
  readonly diagnostic: Diagnostic;
}

const conflict = (key: string, message: string, hint: string): OutputProblem => ({
  key,
  diagnostic: { code: 'RECIPE_CONFLICT', message, hint },
});

function templateProblem(template: OutputTemplate): Diagnostic | undefined {
  if (resolveTemplate(template)) return undefined;
  const names = BUILT_IN_TEMPLATE_NAMES.join(', ');
  if (typeof template === 'string') {
    const guess = didYouMean(template, BUILT_IN_TEMPLATE_NAMES);
    return {
      code: 'RECIPE_SCHEMA',
      message: `output.template "${template}" is neither a built-in template (${names}) nor a pattern with {content}${guess ? ` — did you mean "${guess}"?` : ''}`,
      hint: 'write a built-in name, or a per-message pattern such as "<|{role}|>\\n{content}</s>\\n"',
    };
  }
  return {
    code: 'RECIPE_SCHEMA',
    message: 'output.template.message needs a {content} placeholder',
    hint: 'e.g. message: "<|{role}|>\\n{content}</s>\\n"',
  };
}

function targetProblems(raw: Raw): OutputProblem[] {
  const problems: OutputProblem[] = [];
  if (raw.format !== undefined && raw.format !== 'jsonl') {
    problems.push(
      conflict(
        'format',
        `output.target openai writes plain JSONL, the only file type OpenAI fine-tuning accepts; output.format is ${String(raw.format)}`,
        'remove output.format, or drop output.target',
      ),
    );
  }
  if (raw.schema !== undefined && raw.schema !== 'messages') {
    problems.push(
      conflict(
        'schema',
        `output.target openai writes the messages schema; output.schema is ${String(raw.schema)}`,
        'remove output.schema, or drop output.target',
      ),
    );
  }
  // A fine-tuning job takes one training file and one validation file.
  for (const key of ['max_rows_per_shard', 'max_bytes_per_shard'] as const) {
    if (raw[key] !== undefined) {
      problems.push(
        conflict(
          key,
          `output.target openai writes one file per split (a fine-tuning job takes one training file); output.${key} would split them`,
          `remove output.${key}, or drop output.target`,
        ),
      );
    }
  }
  return problems;
}

function resolveLayouts(
  raw: Raw,
  format: OutputFormat,
  schema: OutputSchema,
  target: OutputTarget,
  problems: OutputProblem[],
): LayoutName[] {
  const asked = raw.layouts as LayoutName[] | undefined;
  // The OpenAI target is for OpenAI's API: trainer layouts only when asked for. The card stays:
  // without it, load_dataset(DIR) would read the provenance sidecars as data.
  if (asked === undefined) return target === 'openai' ? ['huggingface'] : applicableLayouts(format, schema);
  for (const layout of asked) {
    const reason = layoutConflict(layout, format, schema);
    if (reason)
      problems.push(
        conflict(
          'layouts',
          `output.layouts asks for ${layout}, but ${reason}`,
          `remove ${layout} from output.layouts, or change output.format / output.schema`,
        ),
      );
  }
  // axolotl.yaml and trl.yaml name the folder and a split; datasets finds the split's files through the card.
  for (const layout of ['axolotl', 'trl'] as const) {
    if (asked.includes(layout) && !asked.includes('huggingface')) {
      problems.push(
        conflict(
          'layouts',
          `output.layouts asks for ${layout} without huggingface: ${layout === 'trl' ? 'TRL' : 'axolotl'} loads the folder through its dataset card (README.md)`,
          'add huggingface to output.layouts',
        ),
      );
    }
  }
  return [...asked];
}

/** Every conflict of `output` (which has passed the recipe schema), each with its key. */
export function outputProblems(raw: Raw): OutputProblem[] {
  return checkOutput(raw).problems;
}

function checkOutput(raw: Raw): { problems: OutputProblem[]; layouts: LayoutName[] } {
  const problems: OutputProblem[] = [];
  const target = (raw.target as OutputTarget | undefined) ?? 'generic';
  if (target === 'openai') problems.push(...targetProblems(raw));
  const format = (raw.format as OutputFormat | undefined) ?? 'jsonl';
  const schema = (raw.schema as OutputSchema | undefined) ?? 'messages';
  const template = (raw.template as OutputTemplate | undefined) ?? null;
  if (template !== null) {
    const problem = templateProblem(template);
    if (problem) problems.push({ key: 'template', diagnostic: problem });
    if (schema !== 'text')
      problems.push(
        conflict(
          'template',
          `output.template applies to output.schema text; output.schema is ${schema}`,
          'remove output.template, or set output.schema: text',
        ),
      );
  }
  if (raw.parquet !== undefined && format !== 'parquet') {
    problems.push(
      conflict(
        'parquet',
        `output.parquet applies to output.format parquet; output.format is ${format}`,
        'remove output.parquet, or set output.format: parquet',
      ),
    );
  }
  const layouts = resolveLayouts(raw, format, schema, target, problems);
  return { problems, layouts };
}

/** `raw` has passed the recipe schema; throws every conflict at once. */
export function resolveOutput(raw: Raw): OutputSpec {
  const { problems, layouts } = checkOutput(raw);
  if (problems.length > 0) throw MixsmithError.fromDiagnostics(problems.map((p) => p.diagnostic));
  const format = (raw.format as OutputFormat | undefined) ?? 'jsonl';
  const schema = (raw.schema as OutputSchema | undefined) ?? 'messages';
  const target = (raw.target as OutputTarget | undefined) ?? 'generic';
  const template = (raw.template as OutputTemplate | undefined) ?? null;
  const parquet = (raw.parquet as Partial<ParquetOptions> | undefined) ?? {};
  return {
    format,
    schema,
    target,
    template,
    layouts,
    max_rows_per_shard: (raw.max_rows_per_shard as number | undefined) ?? null,
    max_bytes_per_shard: (raw.max_bytes_per_shard as number | undefined) ?? null,
    provenance: (raw.provenance as boolean | undefined) ?? true,
    parquet: { ...PARQUET_DEFAULTS, ...parquet },
  };
}

/** The fields provenance adds to every record. */
export const PROVENANCE_FIELDS = ['source', 'group', 'origin'] as const;

/** Why a body of this kind cannot be written in `schema`, or undefined when it can (the scan checks it at a source's first record). */
export function bodyConflict(kind: SampleBody['kind'], schema: OutputSchema): string | undefined {
  if (schema === 'passthrough') return undefined;
  if (schema === 'text' && kind === 'chat')
    return 'holds chat turns, but output.schema text without output.template needs plain-text sources';
  if (schema !== 'text' && kind === 'text') return `holds plain text, which output.schema ${schema} cannot express`;
  return undefined;
}
