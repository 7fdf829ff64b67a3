/**
 * Parquet shards through hyparquet-writer, the one module that imports it.
 *
 * Chosen by measurement (../shared/notes/deps-measured.md §1): the fastest writer fed from JS
 * (200k rows in 7 s with zstd), flat memory, pure JS, and files that DuckDB and hyparquet read back
 * exactly. parquetjs-lite (the card's suggestion) cannot write zstd and was 2.2× slower;
 * apache-arrow needs parquet-wasm to write Parquet, whose wasm memory only grows.
 *
 * Memory is bounded by one row group: records are buffered as column arrays until the group is
 * full (rows or bytes), then encoded, compressed and appended to the file, and the buffers are
 * dropped. The footer records `created_by` and key/value metadata that we choose, and nothing of
 * the moment, so the same records give the same bytes.
 */
import type { CompressionCodec, KeyValue, SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { compress as zstdCompress } from 'zstd-napi';
import { MixsmithError } from '../errors.js';
import type { ColumnType, ParquetColumn } from './parquet-columns.js';
import { HashedFile } from '../io/hashed-file.js';
import { type ClosedShard, lineText, type ShardSink, type SinkFactory } from './shard-sink.js';

export type ParquetCompression = 'zstd' | 'snappy';

export interface ParquetSinkOptions {
  readonly columns: readonly ParquetColumn[];
  readonly compression: ParquetCompression;
  readonly maxRowsPerRowGroup: number;
  /** Rendered JSON bytes per row group; the encoded group is smaller. */
  readonly maxBytesPerRowGroup: number;
  /** Footer key/value metadata, written in key order. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The footer's `created_by`. */
  readonly createdBy: string;
}

const CODECS: Record<ParquetCompression, CompressionCodec> = { zstd: 'ZSTD', snappy: 'SNAPPY' };

/** Schema elements of one column, depth first, as Parquet's flat schema list wants them. */
function schemaElements(name: string, type: ColumnType): SchemaElement[] {
  switch (type.kind) {
    case 'string':
      return [{ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }];
    case 'int32':
      return [{ name, type: 'INT32', repetition_type: 'OPTIONAL' }];
    case 'json':
      return [{ name, type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'OPTIONAL' }];
    case 'struct':
      return [
        { name, repetition_type: 'OPTIONAL', num_children: type.fields.length },
        ...type.fields.flatMap(([field, fieldType]) => schemaElements(field, fieldType)),
      ];
    case 'list':
      // The three-level LIST layout of the Parquet spec, with the names pyarrow and DuckDB write.
      return [
        { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...schemaElements('element', type.item),
      ];
  }
}

/** The file schema for `columns`: a root element, then each column's elements. */
export function parquetSchema(columns: readonly ParquetColumn[]): SchemaElement[] {
  return [{ name: 'schema', num_children: columns.length }, ...columns.flatMap((c) => schemaElements(c.name, c.type))];
}

/** hyparquet-writer calls `flush` after each row group and waits for it: our cue to write to disk. */
class DrainingByteWriter extends ByteWriter {
  constructor(private readonly onFlush: () => Promise<void>) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    return this.onFlush();
  }
}

class ParquetSink implements ShardSink {
  private readonly bytes = new DrainingByteWriter(() => this.drain());
  private readonly writer: ParquetWriter;
  private buffered: unknown[][];
  private bufferedRows = 0;
  private bufferedBytes = 0;

  constructor(
    private readonly file: HashedFile,
    private readonly options: ParquetSinkOptions,
  ) {
    const kvMetadata: KeyValue[] = Object.keys(options.metadata)
      .sort()
      .map((key) => ({ key, value: options.metadata[key]! }));
    this.writer = new ParquetWriter({
      writer: this.bytes,
      schema: parquetSchema(options.columns),
      codec: CODECS[options.compression],
      compressors: { ZSTD: (input: Uint8Array) => zstdCompress(input) },
      kvMetadata,
      createdBy: options.createdBy,
    });
    this.buffered = options.columns.map(() => []);
  }

  write(line: Uint8Array): Promise<void> | undefined {
    const text = lineText(line);
    const record = JSON.parse(text) as Record<string, unknown>;
    for (let i = 0; i < this.options.columns.length; i++)
      this.buffered[i]!.push(this.options.columns[i]!.value(record));
    this.bufferedRows++;
    // Counted in UTF-16 units of the JSON text, as row groups have always been cut.
    this.bufferedBytes += text.length + 1;
    if (
      this.bufferedRows >= this.options.maxRowsPerRowGroup ||
      this.bufferedBytes >= this.options.maxBytesPerRowGroup
    ) {
      return this.writeRowGroup();
    }
    return undefined;
  }

  async close(): Promise<ClosedShard> {
    await this.writeRowGroup();
    try {
      await this.writer.finish();
    } catch (cause) {
      throw encodeError(this.file.path, cause);
    }
    await this.drain();
    return { ...(await this.file.close()), sidecars: [] };
  }

  private async writeRowGroup(): Promise<void> {
    if (this.bufferedRows === 0) return;
    const columnData = this.options.columns.map((column, i) => ({ name: column.name, data: this.buffered[i]! }));
    const rows = this.bufferedRows;
    this.buffered = this.options.columns.map(() => []);
    this.bufferedRows = 0;
    this.bufferedBytes = 0;
    try {
      await this.writer.write({ columnData, rowGroupSize: rows });
    } catch (cause) {
      throw encodeError(this.file.path, cause);
    }
  }

  /** Move the encoded bytes to the file; the file copies or writes them before the writer reuses its buffer. */
  private async drain(): Promise<void> {
    if (this.bytes.index === 0) return;
    await this.file.write(this.bytes.getBytes());
    this.bytes.index = 0;
  }
}

function encodeError(file: string, cause: unknown): MixsmithError {
  if (cause instanceof MixsmithError) return cause;
  return new MixsmithError(
    'INTERNAL',
    `cannot encode Parquet for ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
    {
      where: { file },
      cause,
    },
  );
}

/** Shards of Parquet with the given columns; one file per shard, several row groups per file. */
export function parquetSinks(options: ParquetSinkOptions): SinkFactory {
  return {
    extension: 'parquet',
    async open(tempPath) {
      return new ParquetSink(await HashedFile.create(tempPath), options);
    },
  };
}
