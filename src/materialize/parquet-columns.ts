/**
 * The Parquet columns of each output schema, and how a rendered record fills them. The column
 * set depends only on the recipe (schema, provenance), never on the data, so every shard of a
 * mixture, and every point of a sweep, has the same Parquet schema: readers that concatenate
 * shards (Hugging Face `datasets`, DuckDB globs) never meet a mismatch.
 *
 * The columns are also the keys every JSON line of the schema has (render.ts writes them all), so
 * the same table gives the dataset card its `dataset_info.features`.
 *
 * Chat turns are a list of structs (`messages: list<struct<role, content, …>>`), as chat datasets
 * on the Hub store them, not a JSON string. What has no fixed shape is kept as JSON: each tool
 * definition in `tools` (its parameters are a JSON Schema of their own), and for `passthrough` the
 * original record. See docs/output.md.
 */
import type { OutputSchema } from '../recipe/types.js';
import { PROVENANCE_FIELDS } from '../recipe/resolve-output.js';

/** A column's type in our own words; `parquet-sink.ts` maps it to Parquet's schema elements, `features.ts` to `datasets` features. */
export type ColumnType =
  | { readonly kind: 'string' }
  | { readonly kind: 'int32' }
  | { readonly kind: 'json' }
  | { readonly kind: 'list'; readonly item: ColumnType }
  | { readonly kind: 'struct'; readonly fields: readonly (readonly [string, ColumnType])[] };

export type OutputRecord = Readonly<Record<string, unknown>>;

export interface ParquetColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** The column's value for one rendered record; null when absent. Every column is nullable. */
  readonly value: (record: OutputRecord) => unknown;
}

const STRING: ColumnType = { kind: 'string' };
const INT32: ColumnType = { kind: 'int32' };
const JSON_VALUE: ColumnType = { kind: 'json' };
const list = (item: ColumnType): ColumnType => ({ kind: 'list', item });
const struct = (...fields: (readonly [string, ColumnType])[]): ColumnType => ({ kind: 'struct', fields });

/** An OpenAI tool call: arguments stay the JSON string OpenAI writes. */
const TOOL_CALL = struct(
  ['id', STRING],
  ['type', STRING],
  ['function', struct(['name', STRING], ['arguments', STRING])],
);
/** A message of the messages schema: role and content, and the OpenAI keys render.ts keeps (absent is null). */
export const MESSAGE = struct(
  ['role', STRING],
  ['content', STRING],
  ['name', STRING],
  ['weight', INT32],
  ['tool_calls', list(TOOL_CALL)],
  ['tool_call_id', STRING],
);

function asNullableString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A rendered value in the shape of `type`: absent is null, a struct gets exactly its fields. */
export function columnValue(type: ColumnType, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (type.kind) {
    case 'string':
      return asNullableString(value);
    case 'int32':
      return typeof value === 'number' && Number.isInteger(value) ? value : null;
    case 'json':
      return value;
    case 'list':
      return Array.isArray(value) ? value.map((item: unknown) => columnValue(type.item, item)) : null;
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return null;
      const fields = value as Record<string, unknown>;
      return Object.fromEntries(type.fields.map(([name, fieldType]) => [name, columnValue(fieldType, fields[name])]));
    }
  }
}

const field = (name: string, type: ColumnType): ParquetColumn => ({
  name,
  type,
  value: (r) => columnValue(type, r[name]),
});

const BODY_COLUMNS: Record<OutputSchema, readonly ParquetColumn[]> = {
  messages: [field('messages', list(MESSAGE)), field('tools', list(JSON_VALUE))],
  sharegpt: [field('conversations', list(struct(['from', STRING], ['value', STRING]))), field('tools', STRING)],
  alpaca: [
    field('instruction', STRING),
    field('input', STRING),
    field('output', STRING),
    field('system', STRING),
    field('history', list(list(STRING))),
  ],
  text: [field('text', STRING)],
  'prompt-completion': [
    field('prompt', list(MESSAGE)),
    field('completion', list(MESSAGE)),
    field('tools', list(JSON_VALUE)),
  ],
  passthrough: [
    {
      name: 'record',
      type: JSON_VALUE,
      value: (r) => {
        const { source: _s, group: _g, origin: _o, ...rest } = r;
        return rest;
      },
    },
  ],
};

/**
 * Columns for records rendered in `schema`: the body's, then `meta` (a JSON object as text,
 * output-meta.ts) when the recipe's mappings keep meta fields, then provenance when asked for.
 */
export function parquetColumns(schema: OutputSchema, provenance: boolean, meta = false): readonly ParquetColumn[] {
  const body =
    meta && schema !== 'passthrough' ? [...BODY_COLUMNS[schema], field('meta', STRING)] : BODY_COLUMNS[schema];
  if (!provenance) {
    if (schema !== 'passthrough') return body;
    // Without provenance a passthrough record is exactly the original record.
    return [{ name: 'record', type: JSON_VALUE, value: (r) => r }];
  }
  return [...body, ...PROVENANCE_FIELDS.map((name) => field(name, STRING))];
}
