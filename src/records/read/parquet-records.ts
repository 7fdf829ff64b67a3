/**
 * Parquet as records, one row group at a time, through hyparquet (the one module that knows it).
 *
 * Why hyparquet: it is pure JS, reads every codec Hugging Face exports use (SNAPPY built in, ZSTD,
 * GZIP, BROTLI, LZ4 through hyparquet-compressors), assembles nested columns (lists of message
 * structs) into plain objects, and reads a row range without the rest of the file, so memory is
 * bounded by one row group. parquetjs-lite (named in the card) cannot read ZSTD files at all and
 * was the slowest reader measured (42.7 s for 1M rows vs 17.0 s); apache-arrow reads Arrow IPC,
 * not Parquet, and needs parquet-wasm beside it, which was 2.6× faster but whose wasm memory only
 * grows (+400 MB RSS) — see docs/formats.md and ../shared/notes/deps-measured.md §2.
 *
 * Rows are located by index: `offset` is the 0-based row index, `line` and `row` the 1-based row.
 */
import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type SchemaTree,
  snappyUncompress,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetHeader } from 'hyparquet/src/column.js';
import { MixsmithError } from '../../errors.js';
import { plainValue } from './parquet-values.js';
import type { RawRecord } from './raw-record.js';
import { passFileBytes } from '../../io/file-bytes.js';
import { releaseMemory } from '../../workers/release-memory.js';

export interface ParquetOptions {
  readonly displayPath: string;
  readonly onFileBytes?: ((chunk: Buffer) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Only the row groups whose first row is in `start`…`end` (exclusive; a staged facts part). */
  readonly rows?: { readonly start: number; readonly end: number } | undefined;
}

/** Rows handed to the scan per batch: small enough to keep few parsed rows alive at once. */
const BATCH_ROWS = 2048;

interface OpenParquet {
  readonly file: AsyncBuffer;
  readonly metadata: FileMetaData;
  /** First row index of each row group, plus the total at the end. */
  readonly groupStarts: readonly number[];
}

async function openParquet(path: string, displayPath: string): Promise<OpenParquet> {
  let file: AsyncBuffer;
  try {
    file = await asyncBufferFromFile(path);
  } catch (cause) {
    throw new MixsmithError(
      'INPUT_IO',
      `${displayPath}: cannot read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      {
        where: { file: displayPath },
        cause,
        hint: 'check that the file exists and is readable',
      },
    );
  }
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (cause) {
    const text = cause instanceof Error ? cause.message : String(cause);
    const cut = /footer|too short|exceeds available/i.test(text);
    throw new MixsmithError(
      cut ? 'INPUT_IO' : 'INPUT_FORMAT',
      `${displayPath}: ${cut ? 'the Parquet footer is missing or damaged: the file was cut short or is not Parquet' : `cannot read the Parquet metadata (${text})`}`,
      {
        where: { file: displayPath },
        cause,
        hint: cut
          ? 'a Parquet file ends with its schema and "PAR1": copy or download it again'
          : 'check the file with another Parquet reader (duckdb, pyarrow)',
      },
    );
  }
  checkColumnChunks(metadata, displayPath);
  const groupStarts = [0];
  for (const group of metadata.row_groups) groupStarts.push(groupStarts.at(-1)! + Number(group.num_rows));
  return { file: checkedPages(file, metadata, displayPath), metadata, groupStarts };
}

/**
 * The file with every column chunk's byte range and page headers checked. hyparquet trusts them:
 * a chunk range with a missing offset reads at NaN (a rejection nobody awaits: exit 1); a page
 * header without a compressed size makes its page loop re-read the chunk's first bytes forever,
 * and level lengths larger than the page make its level decoder spin (hangs at 100% CPU, not
 * errors). Ranges are checked here, at open, as INPUT_FORMAT; page headers as their bytes are read:
 * a slice that holds whole chunks (a full row group read, as the scan does; hyparquet joins
 * neighbouring chunks into one slice) has them walked, so the damage rejects the read, which
 * readRows reports as INPUT_FORMAT. Slices of part of a chunk (row ranges read through an offset
 * index) are not walked: the scan has read the whole file by then.
 */
function checkedPages(file: AsyncBuffer, metadata: FileMetaData, displayPath: string): AsyncBuffer {
  const chunks: { start: number; end: number; column: string }[] = [];
  for (const [g, group] of metadata.row_groups.entries())
    for (const column of group.columns) {
      const meta = column.meta_data;
      if (!meta) continue;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      const name = meta.path_in_schema.join('.');
      if (
        !Number.isSafeInteger(start) ||
        !Number.isSafeInteger(end) ||
        start < 0 ||
        end < start ||
        end > file.byteLength
      )
        throw new MixsmithError(
          'INPUT_FORMAT',
          `${displayPath}: cannot read the Parquet metadata: row group ${g + 1}, column "${name}" lies at bytes ${start}–${end}, outside the file (${file.byteLength} bytes)`,
          {
            where: { file: displayPath },
            hint: 'the file is damaged: copy or export it again, and check it with duckdb or pyarrow',
          },
        );
      chunks.push({ start, end, column: name });
    }
  return {
    byteLength: file.byteLength,
    slice: async (start: number, end?: number) => {
      const buffer = await file.slice(start, end);
      const last = start + buffer.byteLength;
      for (const chunk of chunks)
        if (chunk.start >= start && chunk.end <= last && chunk.end > chunk.start)
          checkPageHeaders(new DataView(buffer, chunk.start - start, chunk.end - chunk.start), chunk.column);
      return buffer;
    },
  };
}

const isLength = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function checkPageHeaders(view: DataView, column: string): void {
  const reader = { view, offset: 0 };
  while (reader.offset < view.byteLength - 1) {
    const at = reader.offset;
    const header = parquetHeader(reader);
    const size: unknown = header.compressed_page_size;
    let problem: string | undefined;
    if (!isLength(size) || reader.offset + size > view.byteLength)
      problem = `has no valid compressed size (${String(size)})`;
    else if (header.type === 'DATA_PAGE_V2') {
      const v2 = header.data_page_header_v2;
      const levels = [v2?.definition_levels_byte_length, v2?.repetition_levels_byte_length] as unknown[];
      if (!levels.every(isLength) || (levels as number[])[0]! + (levels as number[])[1]! > size)
        problem = `has level lengths (${levels.map(String).join(', ')}) that do not fit its ${size} bytes`;
    }
    if (problem) throw new Error(`column "${column}": the page header at byte ${at} of its chunk ${problem}`);
    reader.offset += size as number;
  }
}

/** The dotted paths of the schema's leaf columns. */
function leafPaths(tree: SchemaTree, into: Set<string> = new Set()): Set<string> {
  for (const child of tree.children) {
    if (child.children.length > 0) leafPaths(child, into);
    else into.add(child.path.join('.'));
  }
  return into;
}

/**
 * Every row group must hold one column chunk per leaf of the schema. hyparquet reads every chunk
 * a row group lists but assembles only those the schema names: the read of a chunk it drops is
 * never awaited, and when that read fails (a damaged page) after the first error was reported,
 * its rejection went unhandled and ended the process before the staged output was removed.
 */
function checkColumnChunks(metadata: FileMetaData, displayPath: string): void {
  try {
    const leaves = leafPaths(parquetSchema(metadata));
    metadata.row_groups.forEach((group, g) => {
      const seen = new Set<string>();
      for (const chunk of group.columns) {
        const path = chunk.meta_data?.path_in_schema?.join('.');
        if (path === undefined || !leaves.has(path) || seen.has(path))
          throw damagedMetadata(
            displayPath,
            `row group ${g + 1} has a column chunk ${path === undefined ? 'without a path' : `"${path}"`} that the schema does not hold once`,
          );
        seen.add(path);
      }
      if (seen.size !== leaves.size)
        throw damagedMetadata(
          displayPath,
          `row group ${g + 1} has ${seen.size} column chunks, the schema ${leaves.size} columns`,
        );
    });
  } catch (cause) {
    if (cause instanceof MixsmithError) throw cause;
    // Damaged metadata can be any shape: whatever fails here is the file's fault.
    throw damagedMetadata(displayPath, `${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}

function damagedMetadata(displayPath: string, what: string, cause?: unknown): MixsmithError {
  return new MixsmithError('INPUT_FORMAT', `${displayPath}: the Parquet metadata is inconsistent: ${what}`, {
    where: { file: displayPath },
    ...(cause === undefined ? {} : { cause }),
    hint: 'the file may be damaged: check it with another Parquet reader (duckdb, pyarrow) or copy it again',
  });
}

/** Decompressed pages at least this large (a huge cell) are tracked, and given back once their rows are plain. */
const LARGE_PAGE_BYTES = 16 << 20;

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;

/**
 * hyparquet-compressors' codecs for one read, each large page's own memory noted in `pages`. A
 * large Snappy page is inflated by hyparquet's JS decoder into a buffer of its own: hysnappy's
 * wasm memory only grows, so a 300 MB page kept 315 MB of it for the rest of the run, and the page
 * came back as a copy out of it (decoding one 300 MB cell peaked at 956 MB). Small pages keep the
 * faster wasm.
 */
function trackingCompressors(pages: ArrayBuffer[]): typeof compressors {
  const track = (page: Uint8Array) => {
    const own = page.byteOffset === 0 && page.buffer.byteLength === page.byteLength;
    if (own && page.byteLength >= LARGE_PAGE_BYTES && page.buffer instanceof ArrayBuffer) pages.push(page.buffer);
    return page;
  };
  const tracked: Record<string, Decompress> = {};
  for (const [codec, decompress] of Object.entries(compressors) as [string, Decompress][])
    tracked[codec] = (input, outputLength) => track(decompress(input, outputLength));
  tracked.SNAPPY = (input, outputLength) => {
    if (outputLength < LARGE_PAGE_BYTES) return compressors.SNAPPY!(input, outputLength);
    const page = new Uint8Array(outputLength);
    snappyUncompress(input, page);
    return track(page);
  };
  return tracked as typeof compressors;
}

/**
 * Rows `rowStart`…`rowEnd` as records (`rowRecord`), made at once, when the read decompressed a
 * large page: their values are then plain (no view into a page is left), and the pages are given
 * back before the records are used; else undefined, and the caller makes them batch by batch.
 * A decoded page is garbage once the rows are made, but lingered until the collector swept it,
 * beside the record's string and its rendered line (measured: 300 MB more at the write's peak).
 */
async function plainRows(
  rows: Record<string, unknown>[],
  rowStart: number,
  pages: ArrayBuffer[],
): Promise<RawRecord[] | undefined> {
  if (pages.length === 0) return undefined;
  const records = rows.map((row, i) => rowRecord(rowStart + i, row));
  await Promise.all(pages.splice(0).map((page) => releaseMemory(page)));
  return records;
}

async function readRows(
  parquet: OpenParquet,
  rowStart: number,
  rowEnd: number,
  displayPath: string,
  pages: ArrayBuffer[],
): Promise<Record<string, unknown>[]> {
  try {
    return await parquetReadObjects({
      file: parquet.file,
      metadata: parquet.metadata,
      compressors: trackingCompressors(pages),
      rowStart,
      rowEnd,
    });
  } catch (cause) {
    throw new MixsmithError(
      'INPUT_FORMAT',
      `${displayPath}: cannot decode Parquet rows ${rowStart + 1}–${rowEnd} (${cause instanceof Error ? cause.message : String(cause)})`,
      {
        where: { file: displayPath, row: rowStart + 1 },
        cause,
        hint: 'the file may be damaged or use a feature hyparquet does not read; check it with duckdb or pyarrow',
      },
    );
  }
}

function rowRecord(index: number, row: Record<string, unknown>): RawRecord {
  return { line: index + 1, row: index + 1, offset: index, length: 0, text: '', value: plainValue(row) };
}

/** Every row, in order, in batches; reads one row group at a time. */
export async function* parquetRecords(path: string, options: ParquetOptions): AsyncGenerator<RawRecord[]> {
  const parquet = await openParquet(path, options.displayPath);
  if (options.onFileBytes) await passFileBytes(path, options.onFileBytes);
  for (let g = 0; g + 1 < parquet.groupStarts.length; g++) {
    const start = parquet.groupStarts[g]!;
    if (options.rows && (start < options.rows.start || start >= options.rows.end)) continue;
    const pages: ArrayBuffer[] = [];
    const rows = await readRows(parquet, start, parquet.groupStarts[g + 1]!, options.displayPath, pages);
    const plain = await plainRows(rows, start, pages);
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      if (options.signal?.aborted) return;
      yield plain
        ? plain.slice(i, i + BATCH_ROWS)
        : rows.slice(i, i + BATCH_ROWS).map((row, j) => rowRecord(start + i + j, row));
    }
  }
}

/** The number of rows of each row group, in order (a staged facts part reads whole row groups). */
export async function parquetGroupRows(path: string, displayPath: string): Promise<number[]> {
  const { groupStarts } = await openParquet(path, displayPath);
  return groupStarts.slice(1).map((end, g) => end - groupStarts[g]!);
}

/** The rows at `indexes` (0-based, ascending), reading only the row groups that hold them. */
export async function* parquetRowsAt(
  path: string,
  indexes: readonly number[],
  options: ParquetOptions,
): AsyncGenerator<RawRecord> {
  const parquet = await openParquet(path, options.displayPath);
  let next = 0;
  for (let g = 0; g + 1 < parquet.groupStarts.length && next < indexes.length; g++) {
    const groupEnd = parquet.groupStarts[g + 1]!;
    if (indexes[next]! >= groupEnd) continue;
    let last = next;
    while (last + 1 < indexes.length && indexes[last + 1]! < groupEnd) last++;
    const first = indexes[next]!;
    const pages: ArrayBuffer[] = [];
    const rows = await readRows(parquet, first, indexes[last]! + 1, options.displayPath, pages);
    const plain = await plainRows(rows, first, pages);
    for (; next <= last; next++) {
      if (options.signal?.aborted) return;
      const index = indexes[next]!;
      const row = rows[index - first];
      if (row) yield plain ? plain[index - first]! : rowRecord(index, row);
    }
  }
}
