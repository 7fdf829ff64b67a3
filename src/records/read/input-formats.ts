/**
 * The input formats mixsmith reads, one module each (input-format.ts says what a module
 * implements). Format detection, the reader, the accepted-formats message and the rule for which
 * files in a folder are data all derive from this one list.
 */
import { withoutCompressionExtension } from '../../io/compression.js';
import type { RecordFormat } from '../../recipe/names.js';
import { arrowFormat } from './format-arrow.js';
import { csvFormat, tsvFormat } from './format-csv.js';
import { jsonFormat } from './format-json.js';
import { jsonObjectFormat } from './format-json-object.js';
import { jsonlFormat } from './format-jsonl.js';
import { parquetFormat } from './format-parquet.js';
import type { InputFormatReader } from './input-format.js';

export const INPUT_FORMAT_READERS: Readonly<Record<RecordFormat, InputFormatReader>> = {
  jsonl: jsonlFormat,
  json: jsonFormat,
  'json-object': jsonObjectFormat,
  parquet: parquetFormat,
  csv: csvFormat,
  tsv: tsvFormat,
  arrow: arrowFormat,
};

/** Extensions that hold records of a format told by their first bytes: `.json` (array or JSONL), `.txt` (JSONL named so). */
const SNIFFED_EXTENSIONS = ['.json', '.txt'];

/** Extension → the format it names; sniffed extensions are absent. */
export const FORMAT_BY_EXTENSION: ReadonlyMap<string, RecordFormat> = new Map(
  Object.values(INPUT_FORMAT_READERS).flatMap((format) =>
    format.extensions.map((extension) => [extension, format.name] as const),
  ),
);

/** Every format a source may state, for messages. */
export const ACCEPTED_FORMATS = `${[jsonlFormat, jsonFormat, jsonObjectFormat].map((f) => f.description).join(', ')}, each plain, .gz or .zst; ${parquetFormat.description}; ${arrowFormat.description}; ${[csvFormat, tsvFormat].map((f) => f.description).join(' and ')} with a header row, plain, .gz or .zst`;

/** Data extensions as a list for messages: `.jsonl, .ndjson, …, .txt`, each optionally .gz/.zst. */
export const DATA_EXTENSIONS: readonly string[] = [...FORMAT_BY_EXTENSION.keys(), ...SNIFFED_EXTENSIONS];

/** The lower-case extension of a file name, under any .gz/.zst. */
export const dataExtensionOf = (name: string): string => {
  const base = withoutCompressionExtension(name);
  const dot = base.lastIndexOf('.');
  return dot <= base.lastIndexOf('/') ? '' : base.slice(dot).toLowerCase();
};

/**
 * Whether a file met while walking a folder holds records, by its name: every command reads a
 * folder by this one rule, so a folder's README.md or SOURCE.md is never taken for data.
 */
export function isDataFileName(name: string): boolean {
  return DATA_EXTENSIONS.includes(dataExtensionOf(name));
}

/** The name without its compression and data extension: `medqa-test.jsonl.gz` → `medqa-test`. */
export function withoutDataExtension(name: string): string {
  const base = withoutCompressionExtension(name);
  return isDataFileName(base) ? base.slice(0, base.length - dataExtensionOf(base).length) : base;
}
