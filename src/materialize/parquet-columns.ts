/**
 * The Parquet columns of each output schema, and how a rendered record fills them. The column
 * set depends only on the recipe (schema, provenance), never on the data, so every shard of a
 * mixture, and every point of a sweep, has the same Parquet schema: readers that concatenate
 * shards (Hugging Face `datasets`, DuckDB globs) never meet a mismatch.
 *
 * Chat turns are a list of structs (`messages: list<struct<role, content>>`), as chat datasets on
 * the Hub store them, not a JSON string. What does not fit a fixed struct is kept whole as JSON:
 * per-message extras (tool_calls, name, …) in `message_extras`, a record's `tools`, and for
 * `passthrough` the original record. See docs/output.md.
 */
import type { OutputSchema } from '../recipe/types.js';
import { PROVENANCE_FIELDS } from '../recipe/resolve-output.js';

/** A column's type in our own words; `io/parquet-sink.ts` maps it to Parquet's schema elements. */
export type ColumnType =
  | { readonly kind: 'string' }
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
const JSON_VALUE: ColumnType = { kind: 'json' };
const turns = (role: string, content: string): ColumnType => ({
  kind: 'list',
  item: { kind: 'struct', fields: [[role, STRING], [content, STRING]] },
});

const stringField = (name: string): ParquetColumn => ({ name, type: STRING, value: (r) => asNullableString(r[name]) });

function asNullableString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

type Turn = Readonly<Record<string, unknown>>;

function turnList(value: unknown, role: string, content: string): { [key: string]: string | null }[] | null {
  if (!Array.isArray(value)) return null;
  return (value as Turn[]).map((turn) => ({ [role]: asNullableString(turn[role]), [content]: asNullableString(turn[content]) }));
}

/** Per message, the keys besides role and content; null when no message has any. */
function messageExtras(value: unknown): (Turn | null)[] | null {
  if (!Array.isArray(value)) return null;
  let any = false;
  const extras = (value as Turn[]).map((turn) => {
    const { role: _role, content: _content, ...rest } = turn;
    if (Object.keys(rest).length === 0) return null;
    any = true;
    return rest;
  });
  return any ? extras : null;
}

function historyPairs(value: unknown): (string | null)[][] | null {
  if (!Array.isArray(value)) return null;
  return (value as unknown[]).map((pair) => (Array.isArray(pair) ? pair.map(asNullableString) : [asNullableString(pair)]));
}

const BODY_COLUMNS: Record<OutputSchema, readonly ParquetColumn[]> = {
  messages: [
    { name: 'messages', type: turns('role', 'content'), value: (r) => turnList(r.messages, 'role', 'content') },
    { name: 'message_extras', type: JSON_VALUE, value: (r) => messageExtras(r.messages) },
    { name: 'tools', type: JSON_VALUE, value: (r) => r.tools ?? null },
  ],
  sharegpt: [
    { name: 'conversations', type: turns('from', 'value'), value: (r) => turnList(r.conversations, 'from', 'value') },
    stringField('system'),
  ],
  alpaca: [
    stringField('instruction'),
    stringField('input'),
    stringField('output'),
    stringField('system'),
    { name: 'history', type: { kind: 'list', item: { kind: 'list', item: STRING } }, value: (r) => historyPairs(r.history) },
  ],
  text: [stringField('text')],
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

/** Columns for records rendered in `schema`, with provenance columns last when asked for. */
export function parquetColumns(schema: OutputSchema, provenance: boolean): readonly ParquetColumn[] {
  const body = BODY_COLUMNS[schema];
  if (!provenance) {
    if (schema !== 'passthrough') return body;
    // Without provenance a passthrough record is exactly the original record.
    return [{ name: 'record', type: JSON_VALUE, value: (r) => r }];
  }
  return [...body, ...PROVENANCE_FIELDS.map(stringField)];
}
