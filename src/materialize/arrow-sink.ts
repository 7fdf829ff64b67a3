/**
 * Arrow shards for a Hugging Face `save_to_disk` folder, through apache-arrow (the one writing
 * module that knows it). Each shard is an Arrow IPC *stream* (what `datasets` writes and
 * memory-maps: `load_from_disk(DIR)` maps these files as they are, with no conversion pass), its
 * Arrow schema exactly `Features.arrow_schema` of the features the dataset card declares: the
 * column table of materialize/parquet-columns.ts, strings as `string`, integers as `int32`, lists
 * as `list<item: …>`, JSON values as the canonical `arrow.json` extension type (`datasets`' `Json`
 * feature). A schema that differed in any of these would make `datasets` cast the whole table.
 *
 * Memory is bounded by one record batch (BATCH_ROWS rows, `datasets`' own writer batch size).
 * The bytes depend only on the records: no timestamps, and the schema's `huggingface` metadata is
 * the features alone.
 */
import {
  type DataType,
  Field,
  Int32,
  List,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Utf8,
  vectorFromArray,
  makeData,
} from 'apache-arrow';
import { AsyncByteQueue } from 'apache-arrow/io/stream';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { HashedFile } from '../io/hashed-file.js';
import type { ColumnType, ParquetColumn } from './parquet-columns.js';
import { type ClosedShard, lineText, type ShardSink, type SinkFactory, type SplitShard } from './shard-sink.js';

/** Rows per record batch: `datasets`' default writer_batch_size. */
export const BATCH_ROWS = 1000;

/** Field metadata of the canonical JSON extension type (a UTF-8 storage column holding JSON text). */
const JSON_EXTENSION = new Map([
  ['ARROW:extension:name', 'arrow.json'],
  ['ARROW:extension:metadata', ''],
]);

function arrowType(type: ColumnType): DataType {
  switch (type.kind) {
    case 'string':
    case 'json':
      return new Utf8();
    case 'int32':
      return new Int32();
    case 'list':
      return new List(arrowField('item', type.item));
    case 'struct':
      return new Struct(type.fields.map(([name, fieldType]) => arrowField(name, fieldType)));
  }
}

function arrowField(name: string, type: ColumnType): Field {
  return new Field(name, arrowType(type), true, type.kind === 'json' ? JSON_EXTENSION : undefined);
}

/**
 * A `datasets` feature (the `_type` form of dataset_info.json and of the schema's `huggingface`
 * metadata) for a column type.
 */
export function featureOf(type: ColumnType): unknown {
  switch (type.kind) {
    case 'string':
      return { dtype: 'string', _type: 'Value' };
    case 'int32':
      return { dtype: 'int32', _type: 'Value' };
    case 'json':
      return { _type: 'Json' };
    case 'list':
      return { feature: featureOf(type.item), _type: 'List' };
    case 'struct':
      return Object.fromEntries(type.fields.map(([name, fieldType]) => [name, featureOf(fieldType)]));
  }
}

/** The features of `columns`, in column order. */
export function featuresOf(columns: readonly ParquetColumn[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column.name, featureOf(column.type)]));
}

export function arrowSchema(columns: readonly ParquetColumn[]): Schema {
  const metadata = new Map([['huggingface', JSON.stringify({ info: { features: featuresOf(columns) } })]]);
  return new Schema(
    columns.map((column) => arrowField(column.name, column.type)),
    metadata,
  );
}

/** A column value (columnValue's shape) as the Arrow builder takes it: JSON values as their text. */
function storageValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'json':
      return JSON.stringify(value);
    case 'list':
      return (value as unknown[]).map((item) => storageValue(type.item, item));
    case 'struct': {
      const fields = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, fieldType] of type.fields) out[name] = storageValue(fieldType, fields[name]);
      return out;
    }
    default:
      return value;
  }
}

/** Takes the writer's bytes as it produces them (synchronously, inside `write`). */
class ChunkQueue extends AsyncByteQueue {
  chunks: Uint8Array[] = [];

  override write(value: Parameters<AsyncByteQueue['write']>[0]): void {
    const bytes = value as Uint8Array;
    if (bytes.byteLength > 0) this.chunks.push(bytes.slice());
  }
}

class ArrowSink implements ShardSink {
  private readonly queue = new ChunkQueue();
  private readonly writer = new RecordBatchStreamWriter({ autoDestroy: false });
  private buffered: unknown[][];
  private bufferedRows = 0;

  constructor(
    private readonly file: HashedFile,
    private readonly columns: readonly ParquetColumn[],
    private readonly schema: Schema,
  ) {
    this.writer.reset(this.queue, schema);
    this.buffered = columns.map(() => []);
  }

  write(line: Uint8Array): Promise<void> | undefined {
    const record = JSON.parse(lineText(line)) as Record<string, unknown>;
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i]!;
      this.buffered[i]!.push(storageValue(column.type, column.value(record)));
    }
    this.bufferedRows++;
    return this.bufferedRows >= BATCH_ROWS ? this.writeBatch() : undefined;
  }

  async close(): Promise<ClosedShard> {
    await this.writeBatch();
    try {
      // A shard without rows still carries the schema, as `datasets` writes an empty split.
      this.writer.finish();
    } catch (cause) {
      throw encodeError(this.file.path, cause);
    }
    await this.drain();
    return { ...(await this.file.close()), sidecars: [] };
  }

  private async writeBatch(): Promise<void> {
    if (this.bufferedRows === 0) return;
    const length = this.bufferedRows;
    const columns = this.buffered;
    this.buffered = this.columns.map(() => []);
    this.bufferedRows = 0;
    try {
      const children = this.schema.fields.map((field, i) => vectorFromArray(columns[i]!, field.type).data[0]!);
      const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
      this.writer.write(new RecordBatch(this.schema, data));
    } catch (cause) {
      throw encodeError(this.file.path, cause);
    }
    await this.drain();
  }

  private async drain(): Promise<void> {
    const chunks = this.queue.chunks;
    this.queue.chunks = [];
    for (const chunk of chunks) await this.file.write(chunk);
  }
}

function encodeError(file: string, cause: unknown): MixsmithError {
  if (cause instanceof MixsmithError) return cause;
  return new MixsmithError(
    'INTERNAL',
    `cannot encode Arrow for ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { where: { file }, cause },
  );
}

const width = (n: number) => String(n).padStart(5, '0');
const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * A split's `state.json` as `datasets.Dataset.save_to_disk` writes it. `_fingerprint` is where
 * `datasets` puts a random or time-derived hash; here it is derived from the shards' sha256, so
 * the same records give the same file, and different records a different fingerprint (the key of
 * `datasets`' cache for transforms of this split).
 */
export function stateJson(split: string, shards: readonly SplitShard[]): string {
  const fingerprint = createHash('sha256')
    .update(`${split}\n${shards.map((s) => s.sha256).join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  return jsonText({
    _data_files: shards.map((shard) => ({ filename: path.posix.basename(shard.path) })),
    _fingerprint: fingerprint,
    _format_columns: null,
    _format_kwargs: {},
    _format_type: null,
    _output_all_columns: false,
    _split: split,
  });
}

/**
 * Arrow IPC stream shards with the given columns, laid out as a `save_to_disk` folder: one folder
 * per split with `data-0000N-of-0000M.arrow`, its `state.json` and `dataset_info.json`, and
 * `dataset_dict.json` naming the splits. Record batches of BATCH_ROWS rows.
 */
export function arrowSinks(columns: readonly ParquetColumn[]): SinkFactory {
  const schema = arrowSchema(columns);
  const info = jsonText({ citation: '', description: '', features: featuresOf(columns), homepage: '', license: '' });
  return {
    extension: 'arrow',
    async open(tempPath) {
      return new ArrowSink(await HashedFile.create(tempPath), columns, schema);
    },
    shardPath: (split, index, total) => `${split}/data-${width(index)}-of-${width(total)}.arrow`,
    splitFiles: (split, shards) => [
      { path: `${split}/state.json`, text: stateJson(split, shards) },
      { path: `${split}/dataset_info.json`, text: info },
    ],
    outputFiles: (splits) => [{ path: 'dataset_dict.json', text: JSON.stringify({ splits }) }],
  };
}
