/** The recipe's output section: defaults, and every combination that cannot work refused at load. */
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { parseRecipe } from '../../src/recipe/load.js';

const recipe = (output: string) => `name: t
seed: 1
sources:
  - { name: a, group: g, path: a.jsonl }
mixture: { volume: 10, shares: { g: 1 } }
${output}`;

const load = (output: string) => parseRecipe(recipe(output), 'r.yaml', '/tmp').recipe.output;

function failure(output: string): MixsmithError {
  try {
    load(output);
  } catch (error) {
    if (error instanceof MixsmithError) return error;
    throw error;
  }
  throw new Error('expected the recipe to be refused');
}

describe('output section', () => {
  it('defaults to messages JSONL with provenance and every layout', () => {
    expect(load('')).toEqual({
      format: 'jsonl',
      schema: 'messages',
      target: 'generic',
      template: null,
      layouts: ['huggingface', 'llama-factory', 'axolotl'],
      max_rows_per_shard: null,
      max_bytes_per_shard: null,
      provenance: true,
      parquet: { compression: 'zstd', max_rows_per_row_group: 10_000, max_bytes_per_row_group: 64 * 1024 * 1024 },
    });
  });

  it('keeps only the layouts that apply by default', () => {
    expect(load('output: { schema: passthrough }').layouts).toEqual(['huggingface']);
    expect(load('output: { format: jsonl.zst }').layouts).toEqual(['huggingface', 'axolotl']);
    expect(load('output: { target: openai }').layouts).toEqual(['huggingface']);
    expect(load('output: { format: parquet, parquet: { compression: snappy } }')).toMatchObject({
      layouts: ['huggingface', 'llama-factory', 'axolotl'],
      parquet: { compression: 'snappy', max_rows_per_row_group: 10_000 },
    });
  });

  it('accepts a built-in or custom chat template for text output', () => {
    expect(load('output: { schema: text, template: chatml }').template).toBe('chatml');
    expect(load('output: { schema: text, template: "<|{role}|>\\n{content}</s>" }').template).toBe(
      '<|{role}|>\n{content}</s>',
    );
    expect(
      load('output: { schema: text, template: { message: "{role}: {content}\\n", prefix: "<s>" } }').template,
    ).toEqual({ message: '{role}: {content}\n', prefix: '<s>' });
  });

  it('refuses the OpenAI target with another format or schema, naming both at once', () => {
    const error = failure('output: { target: openai, format: parquet, schema: sharegpt }');
    expect(error.code).toBe('RECIPE_CONFLICT');
    expect(error.exitCode).toBe(3);
    expect(error.diagnostics.map((d) => d.message)).toEqual([
      'output.target openai writes plain JSONL, the only file type OpenAI fine-tuning accepts; output.format is parquet',
      'output.target openai writes the messages schema; output.schema is sharegpt',
    ]);
  });

  it('refuses a template without text output, and Parquet settings without Parquet', () => {
    expect(failure('output: { template: chatml }').message).toBe(
      'output.template applies to output.schema text; output.schema is messages',
    );
    expect(failure('output: { parquet: { compression: snappy } }').message).toBe(
      'output.parquet applies to output.format parquet; output.format is jsonl',
    );
  });

  it('refuses an unknown template name with a suggestion', () => {
    const error = failure('output: { schema: text, template: chatm }');
    expect(error.code).toBe('RECIPE_SCHEMA');
    expect(error.message).toMatch(
      /neither a built-in template \(chatml, llama3, zephyr\) nor a pattern with \{content\} — did you mean "chatml"\?/,
    );
  });

  it('refuses a layout whose trainer cannot load the files', () => {
    expect(failure('output: { format: jsonl.gz, layouts: [llama-factory] }').message).toBe(
      'output.layouts asks for llama-factory, but LLaMA-Factory reads .jsonl and .parquet files, not .jsonl.gz',
    );
    expect(failure('output: { schema: passthrough, layouts: [axolotl] }').code).toBe('RECIPE_CONFLICT');
  });

  it('refuses shard limits with the OpenAI target: a fine-tuning job takes one training file', () => {
    const error = failure('output: { target: openai, max_rows_per_shard: 100, max_bytes_per_shard: 100000 }');
    expect(error.diagnostics.map((d) => d.message)).toEqual([
      'output.target openai writes one file per split (a fine-tuning job takes one training file); output.max_rows_per_shard would split them',
      'output.target openai writes one file per split (a fine-tuning job takes one training file); output.max_bytes_per_shard would split them',
    ]);
  });

  it('refuses axolotl without the card it loads the folder through', () => {
    const error = failure('output: { layouts: [llama-factory, axolotl] }');
    expect(error.code).toBe('RECIPE_CONFLICT');
    expect(error.message).toBe(
      'output.layouts asks for axolotl without huggingface: axolotl loads the folder through its dataset card (README.md)',
    );
    expect(load('output: { layouts: [axolotl, huggingface] }').layouts).toEqual(['axolotl', 'huggingface']);
  });

  it('checks values against the schema with positions (format, layouts)', () => {
    const error = failure('output:\n  format: parquett\n  layouts: [hf]\n');
    expect(error.diagnostics.map((d) => [d.code, d.where?.line])).toEqual([
      ['RECIPE_SCHEMA', 7],
      ['RECIPE_SCHEMA', 8],
    ]);
    expect(error.diagnostics[0]!.message).toMatch(
      /jsonl, jsonl\.gz, jsonl\.zst, parquet, arrow; got "parquett" — did you mean "parquet"\?/,
    );
  });
});
