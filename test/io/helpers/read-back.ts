/** Read a file the way compose does (detect, read, parse, map) and collect what came out. */
import { parseRecord } from '../../../src/records/facts/analyze-record.js';
import { detectFormat } from '../../../src/records/read/detect-format.js';
import type { RecordFormat } from '../../../src/recipe/names.js';
import type { RawRecord } from '../../../src/records/read/raw-record.js';
import { readAt } from '../../../src/records/read/read-at.js';
import { readRecords } from '../../../src/records/read/read-records.js';
import type { InputFormat, SchemaSpec } from '../../../src/recipe/types.js';
import type { SampleBody } from '../../../src/sample.js';
import { mapperFor } from '../../../src/records/map/schema-for.js';

export interface ReadBack {
  readonly format: RecordFormat;
  readonly records: RawRecord[];
  readonly bodies: SampleBody[];
  readonly metas: Record<string, unknown>[];
  readonly schema: string;
}

export async function readBack(
  file: string,
  options: { format?: InputFormat; encoding?: string; schema?: SchemaSpec } = {},
): Promise<ReadBack> {
  const format = await detectFormat(file, file, options.format ?? 'auto');
  const records: RawRecord[] = [];
  for await (const batch of readRecords(file, { format, displayPath: file, encoding: options.encoding }))
    records.push(...batch);
  const values = records.map((raw) => parseRecord(raw));
  const mapper = mapperFor(options.schema ?? 'auto', values[0]);
  return {
    format,
    records,
    bodies: values.map((v) => mapper.toBody(v)),
    metas: values.map((v) => mapper.toMeta(v)),
    schema: mapper.name,
  };
}

/** The values `readAt` returns for these records' positions. */
export async function valuesAt(
  file: string,
  format: RecordFormat,
  records: readonly RawRecord[],
  encoding?: string,
): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const raw of readAt(file, records, { format, displayPath: file, encoding })) values.push(parseRecord(raw));
  return values;
}
