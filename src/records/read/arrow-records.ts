/**
 * Arrow IPC as records, one record batch at a time, through apache-arrow (the one reading module
 * that knows it). Both IPC layouts are read: the *stream* format (what Hugging Face `datasets`
 * writes in its cache and in `save_to_disk` folders) and the *file* format (Feather v2, "ARROW1"
 * magic). The file is opened as a handle and read batch by batch, so memory is bounded by one
 * record batch, not the file.
 *
 * Rows are located by index like Parquet's: `offset` is the 0-based row index in the file (across
 * its batches), `line` and `row` the 1-based row. Values become plain JSON values: nested lists
 * and structs (a `list<struct<role, content>>` conversation column) become arrays and objects,
 * so the presets map them like the same records read from JSONL.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { type Data, DataType, type Field, type RecordBatch, RecordBatchReader, type Vector } from 'apache-arrow';
import { MixsmithError } from '../../errors.js';
import { plainValue } from './parquet-values.js';
import type { RawRecord } from './raw-record.js';
import { passFileBytes } from '../../io/file-bytes.js';
import { releaseMemory } from '../../workers/release-memory.js';

export interface ArrowOptions {
  readonly displayPath: string;
  readonly onFileBytes?: ((chunk: Buffer) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Rows handed to the scan per batch (a record batch larger than this is cut). */
const BATCH_ROWS = 2048;

/** apache-arrow meets a missing footer or message with a TypeError on a null; say what it means. */
const causeText = (cause: unknown) =>
  cause instanceof TypeError
    ? 'its metadata (schema, footer or a message header) is missing or damaged'
    : cause instanceof Error
      ? cause.message
      : String(cause);

function damaged(displayPath: string, cause: unknown, row?: number): MixsmithError {
  return new MixsmithError(
    'INPUT_FORMAT',
    `${displayPath}: not a readable Arrow IPC file${row === undefined ? '' : ` (after row ${row})`}: ${causeText(cause)}`,
    {
      where: row === undefined ? { file: displayPath } : { file: displayPath, row: row + 1 },
      cause,
      hint: 'the file is damaged, cut short or not Arrow IPC (stream or file format); check it with pyarrow (pa.ipc.open_stream / pa.ipc.open_file) or copy it again',
    },
  );
}

/** A value of an Arrow vector as a plain JSON value: vectors become arrays, struct rows objects. */
function arrowValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return plainValue(value);
  if (value instanceof Uint8Array) return plainValue(value);
  const vector = value as Partial<Vector>;
  if (typeof vector.toArray === 'function' && typeof vector.get === 'function' && 'length' in vector) {
    const out: unknown[] = [];
    for (let i = 0; i < vector.length!; i++) out.push(arrowValue(vector.get!(i)));
    return out;
  }
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), arrowValue(v)]));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && !(value instanceof Date)) {
    const object = (value as { toJSON(): Record<string, unknown> }).toJSON();
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) out[key] = arrowValue(object[key]);
    return out;
  }
  return plainValue(value);
}

type Convert = (value: unknown) => unknown;

/** JSON text parsed; text that is not JSON stays text rather than failing the record. */
function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return arrowValue(value);
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * How a field's values become plain values. apache-arrow does not know the canonical
 * `arrow.json` extension type (`datasets`' `Json` feature, and mixsmith's own Arrow output for
 * tool definitions and passthrough records): its values arrive as JSON text and are parsed here,
 * at any depth, so they read back as the objects they were.
 */
function converterFor(field: Field): Convert {
  if (field.metadata.get('ARROW:extension:name') === 'arrow.json') return parseJson;
  const type = field.type as DataType;
  if (DataType.isList(type)) {
    const item = converterFor(type.children[0]!);
    if (item === arrowValue) return arrowValue;
    return (value) => {
      if (value === null || value === undefined) return null;
      const vector = value as Vector;
      const out: unknown[] = [];
      for (let i = 0; i < vector.length; i++) out.push(item(vector.get(i)));
      return out;
    };
  }
  if (DataType.isStruct(type)) {
    const fields = type.children.map((child) => [child.name, converterFor(child)] as const);
    if (fields.every(([, convert]) => convert === arrowValue)) return arrowValue;
    return (value) => {
      if (value === null || value === undefined) return null;
      const object = (value as { toJSON(): Record<string, unknown> }).toJSON();
      const out: Record<string, unknown> = {};
      for (const [name, convert] of fields) out[name] = convert(object[name]);
      return out;
    };
  }
  return arrowValue;
}

function batchRows(batch: RecordBatch, first: number, end: number, base: number): RawRecord[] {
  const columns = batch.schema.fields.map(
    (field, i) => [field.name, batch.getChildAt(i), converterFor(field)] as const,
  );
  const records: RawRecord[] = [];
  for (let i = first; i < end; i++) {
    const value: Record<string, unknown> = {};
    for (const [name, column, convert] of columns) value[name] = column ? convert(column.get(i)) : null;
    const index = base + i;
    records.push({ line: index + 1, row: index + 1, offset: index, length: 0, text: '', value });
  }
  return records;
}

/** A record batch buffer at least this large (a huge cell) is given back once its rows are plain. */
const LARGE_BUFFER_BYTES = 16 << 20;

/** The distinct buffers of `data` and its children at least LARGE_BUFFER_BYTES long (never a dictionary's). */
function largeBuffers(data: Data, into = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  for (const view of [data.values, data.valueOffsets, data.nullBitmap, data.typeIds] as unknown[]) {
    const buffer = (view as ArrayBufferView | undefined)?.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength >= LARGE_BUFFER_BYTES) into.add(buffer);
  }
  // Not a dictionary's: later record batches of the file may refer to the same dictionary.
  for (const child of data.children) largeBuffers(child, into);
  return into;
}

/**
 * All rows of a record batch with a large buffer, made at once (their values are plain strings and
 * numbers, no view into the batch), and the batch's large buffers given back before the rows are
 * used; else undefined, and the caller makes them a slice at a time. The batch lingered until the
 * collector swept it, beside the record's string and its rendered line (a 300 MB cell: 1.35 GB).
 */
async function plainRows(batch: RecordBatch, base: number, displayPath: string): Promise<RawRecord[] | undefined> {
  const large = largeBuffers(batch.data);
  if (large.size === 0) return undefined;
  const records = sliceRows(batch, 0, batch.numRows, base, displayPath);
  await Promise.all([...large].map((buffer) => releaseMemory(buffer)));
  return records;
}

/** `batchRows`, a value apache-arrow cannot decode reported as a damaged file at its row. */
function sliceRows(batch: RecordBatch, first: number, end: number, base: number, displayPath: string): RawRecord[] {
  try {
    return batchRows(batch, first, end, base);
  } catch (cause) {
    throw damaged(displayPath, cause, base + first);
  }
}

async function openHandle(path: string, displayPath: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (cause) {
    throw new MixsmithError(
      'INPUT_IO',
      `${displayPath}: cannot read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      { where: { file: displayPath }, cause, hint: 'check that the file exists and is readable' },
    );
  }
}

/** Every row, in order, in batches of at most BATCH_ROWS; reads one record batch at a time. */
export async function* arrowRecords(path: string, options: ArrowOptions): AsyncGenerator<RawRecord[]> {
  const { displayPath } = options;
  const handle = await openHandle(path, displayPath);
  let rows = 0;
  try {
    let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
    try {
      reader = await RecordBatchReader.from(handle);
      await reader.open();
    } catch (cause) {
      throw damaged(displayPath, cause);
    }
    if (reader.schema === undefined || (reader.schema.fields.length === 0 && !reader.isFile())) {
      throw damaged(displayPath, new Error('no Arrow schema at the start of the file'));
    }
    if (options.onFileBytes) await passFileBytes(path, options.onFileBytes);
    const batches = reader[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<RecordBatch>;
      try {
        next = await batches.next();
      } catch (cause) {
        throw damaged(displayPath, cause, rows);
      }
      if (next.done) break;
      const batch = next.value;
      const plain = await plainRows(batch, rows, displayPath);
      for (let i = 0; i < batch.numRows; i += BATCH_ROWS) {
        if (options.signal?.aborted) return;
        const end = Math.min(batch.numRows, i + BATCH_ROWS);
        yield plain ? plain.slice(i, end) : sliceRows(batch, i, end, rows, displayPath);
      }
      rows += batch.numRows;
    }
  } finally {
    await handle.close();
  }
}
