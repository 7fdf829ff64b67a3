/**
 * The card's `dataset_info.features`: the columns every record has, in the YAML form Hugging Face
 * `datasets` reads (`Features._from_yaml_list`). Declared, they are the schema `load_dataset(DIR)`
 * casts every shard to; undeclared, `datasets` infers the schema from the first shard alone and
 * fails on a key that first appears in a later one (a system prompt, history, tools).
 *
 * The table is the Parquet column table (`materialize/parquet-columns.ts`): a JSON line of a
 * schema has exactly those keys, so one declaration fits every format.
 */
import { type ColumnType, parquetColumns } from '../../materialize/parquet-columns.js';
import type { OutputSpec } from '../../recipe/types.js';

type Feature = Record<string, unknown>;

/** The unnamed form of a type, as it appears under `list:`. */
function inner(type: ColumnType): unknown {
  switch (type.kind) {
    case 'string':
      return 'string';
    case 'int32':
      return 'int32';
    case 'json':
      return 'json';
    case 'list':
      return { list: inner(type.item) };
    case 'struct':
      return type.fields.map(([name, fieldType]) => named(name, fieldType));
  }
}

function named(name: string, type: ColumnType): Feature {
  switch (type.kind) {
    case 'list':
      return { name, list: inner(type.item) };
    case 'struct':
      return { name, struct: inner(type) };
    default:
      return { name, dtype: inner(type) };
  }
}

/**
 * The features of the records this output holds, or undefined when they have no fixed columns
 * (passthrough JSON lines keep each source's own fields).
 */
export function datasetFeatures(
  output: Pick<OutputSpec, 'format' | 'schema' | 'provenance' | 'target'>,
  meta = false,
): Feature[] | undefined {
  if (output.schema === 'passthrough' && output.format !== 'parquet' && output.format !== 'arrow') return undefined;
  // The OpenAI target moves provenance and meta to sidecars: its lines hold messages (and tools) only.
  const provenance = output.provenance && output.target !== 'openai';
  return parquetColumns(output.schema, provenance, meta && output.target !== 'openai').map((column) =>
    named(column.name, column.type),
  );
}
