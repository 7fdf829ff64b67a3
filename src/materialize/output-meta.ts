/**
 * The `meta` field of every output schema but passthrough (issue #20 item 8): the fields the
 * recipe's mappings keep under `meta:` (department, subject, id…), so that a mixture can be
 * stratified by them later.
 *
 * One field, `meta`, holding a JSON object as text. Its keys are the same on every record of a
 * mixture: every key any source's mapping names, in recipe order, null where a record's source
 * does not name it or the record lacks it. As text it is one string column in every shard whatever
 * the values' types across sources (a `datasets` or pyarrow loader that infers each file's schema
 * would otherwise meet `struct<id: int64>` in one shard and `struct<id: string>` or `null` in the
 * next); read it with `json.loads`, DuckDB `meta->>'$.department'`. Numbers a double cannot hold keep
 * their text (json/exact-numbers.ts). A recipe whose mappings keep nothing in `meta` has no `meta`
 * field: its outputs are what they were.
 */
import {
  markExact,
  mayHoldInexactNumber,
  parseExact,
  stringifyExact,
  withExactNumbers,
} from '../json/exact-numbers.js';
import type { SourceSpec } from '../recipe/types.js';
import { getPath } from '../records/map/field-path.js';
import type { Sample } from '../sample.js';

/** The output's meta keys: every `meta:` path of the sources' mappings, first appearance first. */
export function outputMetaKeys(sources: readonly Pick<SourceSpec, 'schema'>[]): string[] {
  const keys: string[] = [];
  for (const source of sources) {
    if (typeof source.schema !== 'object') continue;
    for (const key of source.schema.meta ?? []) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** The record's `meta` text: each key's value as the mapping kept it, or null. */
export function metaText(sample: Sample, keys: readonly string[]): string {
  const exact =
    sample.jsonText !== undefined && mayHoldInexactNumber(sample.jsonText) ? parseExact(sample.jsonText) : undefined;
  const values: Record<string, unknown> = {};
  if (exact === undefined) {
    for (const key of keys) values[key] = sample.meta[key] ?? null;
    return JSON.stringify(values);
  }
  const record = withExactNumbers(sample.raw, exact);
  for (const key of keys) values[key] = key in sample.meta ? (getPath(record, key) ?? null) : null;
  return stringifyExact(markExact(values));
}
