/**
 * The shard format an output spec asks for: JSONL (plain, gzip, zstd), Parquet, Arrow (a
 * save_to_disk folder), or OpenAI's
 * JSONL with provenance moved to sidecars.
 */
import { arrowSinks } from './arrow-sink.js';
import { type JsonlCompression, jsonlSinks } from './jsonl-sink.js';
import { parquetSinks } from './parquet-sink.js';
import { provenanceSidecars } from './provenance-sidecar-sink.js';
import type { SinkFactory } from './shard-sink.js';
import type { OutputFormat, OutputSpec } from '../recipe/types.js';
import { parquetColumns } from './parquet-columns.js';
import { PROVENANCE_FIELDS } from '../recipe/resolve-output.js';

/** What a Parquet footer says about the mixture, besides its schema. */
export interface OutputIdentity {
  readonly recipeSha256: string;
  readonly toolVersion: string;
}

const JSONL_COMPRESSION: Record<Exclude<OutputFormat, 'parquet' | 'arrow'>, JsonlCompression> = {
  jsonl: 'none',
  'jsonl.gz': 'gzip',
  'jsonl.zst': 'zstd',
};

/** The sinks for `output`; `meta`: the records carry a `meta` field (output-meta.ts). */
export function outputSinks(output: OutputSpec, identity: OutputIdentity, meta = false): SinkFactory {
  if (output.format === 'parquet') {
    return parquetSinks({
      columns: parquetColumns(output.schema, output.provenance, meta),
      compression: output.parquet.compression,
      maxRowsPerRowGroup: output.parquet.max_rows_per_row_group,
      maxBytesPerRowGroup: output.parquet.max_bytes_per_row_group,
      metadata: {
        'mixsmith.recipe_sha256': identity.recipeSha256,
        'mixsmith.schema': output.schema,
        'mixsmith.version': identity.toolVersion,
      },
      createdBy: `mixsmith version ${identity.toolVersion}`,
    });
  }
  if (output.format === 'arrow') return arrowSinks(parquetColumns(output.schema, output.provenance, meta));
  const jsonl = jsonlSinks(JSONL_COMPRESSION[output.format]);
  if (output.target !== 'openai') return jsonl;
  // OpenAI rejects keys it does not know: provenance and meta go to the sidecar.
  const moved = [...(output.provenance ? PROVENANCE_FIELDS : []), ...(meta ? ['meta'] : [])];
  return moved.length > 0 ? provenanceSidecars(jsonl, moved) : jsonl;
}
