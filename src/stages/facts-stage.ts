/**
 * The facts stage (map): one part of a recipe's inputs → one facts Parquet file. Each part takes
 * a contiguous byte range of the files in scan order (groups by dedup.prefer, sources by name,
 * files by path; stages/facts-pieces.ts): plain JSONL files are cut between lines, Parquet files
 * between row groups, other files are read whole by one part. It reads them with compose's own record layer
 * (records/read scan batches → records/facts analyzed batches: parse, map, filter, key, ranks, in
 * worker threads or inline), so a fact is exactly what compose's scan sees of a record. Every
 * record gets a row — keyed, filtered or invalid — in file order; ownership, duplicates and the
 * selection are the select stage's business, over all parts.
 *
 * The file's key-value metadata (`mixsmith`) holds the stage version, the recipe and plan digests,
 * the part, the Unicode version of the keys, and the part's files (path, format, schema, bytes,
 * sha256, records, and the range of a piece). Written through a temporary name; an existing
 * part is skipped.
 */

import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { formatWhere, MixsmithError } from '../errors.js';
import { BlockPool } from '../io/block-pool.js';
import { detectCompression } from '../io/compression.js';
import { passFileBytes } from '../io/file-bytes.js';
import { readLimitsOf } from '../io/read-limits.js';
import { UNICODE_VERSION } from '../keys/unicode-version.js';
import type { MixturePlan } from '../plan/plan.js';
import type { RecordFormat } from '../recipe/names.js';
import { PROVENANCE_FIELDS } from '../recipe/resolve-output.js';
import type { FieldMapping, LoadedRecipe, PresetName, SourceSpec } from '../recipe/types.js';
import { parseRecord } from '../records/facts/analyze-record.js';
import { analyzedBatches, mapperBefore } from '../records/facts/analyzed-batches.js';
import { sourcesInScanOrder } from '../records/facts/fact-rows.js';
import { DIGEST_BYTES, type RecordNote, schemaOf } from '../records/facts/record-outcome.js';
import { ScanWorkers } from '../records/facts/scan-workers.js';
import type { RecordMapper } from '../records/map/schema-for.js';
import { detectFormat } from '../records/read/detect-format.js';
import { expandPaths } from '../records/read/expand-paths.js';
import { type RecordPlace, whereOf } from '../records/read/raw-record.js';
import { lineStartAt } from '../records/read/line-start.js';
import { parquetGroupRows } from '../records/read/parquet-records.js';
import { scanBatches } from '../records/read/scan-batch.js';
import { sampleText } from '../sample.js';
import { type ColumnType, DuckDbEngine } from '../select/sql/duckdb-engine.js';
import { charEstimate, type TokenCounter } from '../tokens/token-counter.js';
import { type FilePiece, type FileSpan, newlineSafe, piecesOfPart } from './facts-pieces.js';
import { factsDir, factsFile, type PartSpec, STAGES_VERSION, stageDigest, temporaryOf } from './stage-dir.js';

/** What a row says of its record: keyed (a candidate for selection), dropped by a filter, or invalid. */
export const FACT_KIND = { keyed: 0, filtered: 1, invalid: 2 } as const;

/** Columns of a facts part, in order: `row` is the record's place in the part (scan order). */
export const FACT_FILE_COLUMNS: readonly (readonly [string, ColumnType])[] = [
  ['row', 'BIGINT'],
  ['file_index', 'INTEGER'],
  ['kind', 'INTEGER'],
  ['key', 'VARCHAR'],
  ['ranks', 'VARCHAR'],
  ['line', 'BIGINT'],
  ['offset', 'BIGINT'],
  ['length', 'BIGINT'],
  ['chars', 'BIGINT'],
  ['tokens', 'BIGINT'],
  ['crc32', 'BIGINT'],
  // Filter name (filtered) or error code (invalid); empty for a keyed record.
  ['note', 'VARCHAR'],
  // Invalid: `file:line: CODE: message`, as the manifest's invalidExamples print it.
  ['detail', 'VARCHAR'],
];

/** One input file as a facts part describes it. */
export interface FactsFileInfo {
  readonly index: number;
  readonly source: string;
  readonly group: string;
  readonly displayPath: string;
  readonly format: RecordFormat;
  readonly encoding: string;
  /** The preset or `mapping` the file was read with (manifest), and the mapper as data (to re-read it). */
  readonly schema: string;
  readonly mapper: PresetName | FieldMapping | null;
  readonly bytes: number;
  readonly sha256: string;
  readonly records: number;
  /**
   * Present for one piece of a file read in pieces (stages/facts-pieces.ts): the records starting
   * in units `from`…`to` of `total` (bytes of JSONL, rows of Parquet row groups). Only the first
   * piece (from 0) gives the file's `bytes` and `sha256`;
   * the select stage joins the pieces into one file (mergePieces).
   */
  readonly piece?: {
    readonly from: number;
    readonly to: number;
    readonly total: number;
    readonly unit: 'bytes' | 'rows';
  };
}

/** The `mixsmith` metadata of a facts part. */
export interface FactsPartMeta {
  readonly stagesVersion: number;
  readonly recipeSha256: string;
  readonly planSha256: string;
  readonly part: PartSpec;
  /** `process.versions.unicode` of the runtime that computed the keys. */
  readonly unicode: string;
  /** Every input file of the recipe (all parts), in scan order. */
  readonly fileCount: number;
  readonly files: readonly FactsFileInfo[];
}

export interface ListedFile {
  readonly index: number;
  readonly source: SourceSpec;
  readonly absolutePath: string;
  readonly displayPath: string;
  readonly format: RecordFormat;
}

/** Every input file of the recipe in scan order, as compose's scan lists them. */
export async function listInputFiles(loaded: LoadedRecipe): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  for (const source of sourcesInScanOrder(loaded)) {
    for (const input of await expandPaths(source.path, loaded.baseDir, source.name)) {
      const format = await detectFormat(input.absolutePath, input.displayPath, source.format);
      files.push({ index: files.length, source, ...input, format });
    }
  }
  return files;
}

/** Each input file's size, and whether a facts part may cut it between lines (stages/facts-pieces.ts). */
async function fileSpans(files: readonly ListedFile[]): Promise<FileSpan[]> {
  const spans: FileSpan[] = [];
  for (const f of files) {
    const bytes = (await stat(f.absolutePath)).size;
    const splittable =
      f.format === 'jsonl' &&
      newlineSafe(f.source.encoding) &&
      (await detectCompression(f.absolutePath, f.displayPath)) === 'none';
    const groups = f.format === 'parquet' ? await parquetGroupRows(f.absolutePath, f.displayPath) : undefined;
    spans.push({ bytes, splittable, groups });
  }
  return spans;
}

export interface FactsOptions {
  readonly dir: string;
  readonly part: PartSpec;
  readonly plan: MixturePlan;
  readonly tokens: TokenCounter;
  readonly workers?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface FactsResult {
  readonly file: string;
  /** False when the part existed and was skipped. */
  readonly written: boolean;
  readonly rows: number;
}

type Row = (number | string)[];
/** Rows gathered before they are appended to the part's table. */
const APPEND_ROWS = 8192;

/** Write the facts part `options.part` of `loaded` into `options.dir`; skip it when it exists. */
export async function writeFactsPart(loaded: LoadedRecipe, options: FactsOptions): Promise<FactsResult> {
  const file = factsFile(options.dir, options.part);
  if (existsSync(file)) {
    await refuseStalePart(file, loaded, options);
    return { file, written: false, rows: -1 };
  }
  await mkdir(factsDir(options.dir), { recursive: true });
  const all = await listInputFiles(loaded);
  const mine = piecesOfPart(await fileSpans(all), options.part);
  const infos: FactsFileInfo[] = [];
  const engine = await DuckDbEngine.open(':memory:');
  const temp = temporaryOf(file);
  try {
    await engine.run(`CREATE TABLE part_rows (${FACT_FILE_COLUMNS.map(([n, t]) => `"${n}" ${t}`).join(', ')})`);
    const types = FACT_FILE_COLUMNS.map(([, t]) => t);
    let row = 0;
    const workers = new ScanWorkers(options.workers, options.signal);
    try {
      // Rows go to DuckDB a few thousand at a time, so a large file is never held as JS arrays.
      let rows: Row[] = [];
      const flush = async (atLeast: number) => {
        if (rows.length < atLeast) return;
        await engine.appendRows('part_rows', types, rows);
        rows = [];
      };
      for (const piece of mine) {
        infos.push(
          await readFile(
            loaded,
            all[piece.file]!,
            piece,
            options,
            workers,
            (r) => rows.push([row++, ...r]),
            () => flush(APPEND_ROWS),
          ),
        );
      }
      await flush(1);
    } finally {
      await workers.close();
    }
    const meta: FactsPartMeta = {
      stagesVersion: STAGES_VERSION,
      ...stageDigest(loaded.recipe, options.plan),
      part: options.part,
      unicode: UNICODE_VERSION,
      fileCount: all.length,
      files: infos,
    };
    await engine.copyToParquet('SELECT * FROM part_rows ORDER BY "row"', temp, { mixsmith: JSON.stringify(meta) });
    await rename(temp, file);
    return { file, written: true, rows: row };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    engine.close();
  }
}

/** A finished part is skipped only when it was made from this recipe and plan; otherwise say so now, not at select. */
async function refuseStalePart(file: string, loaded: LoadedRecipe, options: FactsOptions): Promise<void> {
  const engine = await DuckDbEngine.open(':memory:');
  let meta: FactsPartMeta | undefined;
  try {
    const text = (await engine.parquetMetadata(file)).mixsmith;
    meta = text === undefined ? undefined : (JSON.parse(text) as FactsPartMeta);
  } finally {
    engine.close();
  }
  const expected = stageDigest(loaded.recipe, options.plan);
  if (meta?.recipeSha256 === expected.recipeSha256 && meta.planSha256 === expected.planSha256) return;
  throw new MixsmithError('STAGE_MISMATCH', 'a facts part of another recipe or plan is already in this folder', {
    where: { file },
    hint: 'use a new --dir for a changed recipe (or --set), or remove the old parts',
  });
}

/** A record's token count as compose's scan counts a candidate's (select/scan-record.ts countTokens). */
function tokensOf(tokens: TokenCounter, mapper: RecordMapper, value: () => unknown, chars: number): number {
  if (tokens === charEstimate) return Math.ceil(chars / 4);
  // Only a tokenizer needs the record itself: decoding and parsing it here again is the costly part.
  return tokens.count(sampleText(mapper.toBody(value())));
}

/** Read one file, or one piece of it, with the scan's record layer; one row (without its `row` number) per record. */
async function readFile(
  loaded: LoadedRecipe,
  listed: ListedFile,
  piece: FilePiece,
  options: FactsOptions,
  workers: ScanWorkers,
  emit: (row: Row) => void,
  afterBatch: () => Promise<void>,
): Promise<FactsFileInfo> {
  const { recipe } = loaded;
  const { source } = listed;
  let bytes = 0;
  let records = 0;
  const routing = workers.routeFor(listed.format, (await stat(listed.absolutePath)).size);
  const hasher = workers.digestFor(routing);
  const blocks = new BlockPool();
  // The source's read limits, as compose's scan applies them (select/scan.ts).
  const limits = readLimitsOf(source);
  const readOptions = {
    format: listed.format,
    encoding: source.encoding,
    displayPath: listed.displayPath,
    limits,
    signal: options.signal,
  };
  // A piece of a JSONL file: its records from the first line start in its bytes; of a Parquet
  // file: its row groups. Where it starts, in the file's own positions (byte offset, row index).
  const lines =
    piece.whole || piece.unit !== 'bytes'
      ? undefined
      : { ...(await lineStartAt(listed.absolutePath, piece.from)), end: piece.to };
  const rows = piece.whole || piece.unit !== 'rows' ? undefined : { start: piece.from, end: piece.to };
  const startsAt = lines?.start ?? rows?.start ?? 0;
  const onFileBytes = (chunk: Buffer) => {
    hasher.update(chunk);
    bytes += chunk.length;
  };
  // A piece's reader sees only part of the file: its first piece passes the whole file to the hash below.
  const batches = scanBatches(
    listed.absolutePath,
    { ...readOptions, ...(rows ? { rows } : {}), ...(piece.whole ? { onFileBytes } : {}) },
    blocks,
    lines,
  );
  const analysis = {
    context: {
      file: listed.index,
      displayPath: listed.displayPath,
      source: source.name,
      seed: recipe.seed,
      dedup: recipe.dedup.exact,
      filters: source.filters,
      maxDepth: limits.maxDepth,
      // As compose's scan sets them: with a chat template, text output takes chat and text sources alike;
      // passthrough with provenance refuses records that carry the provenance fields themselves.
      ...(recipe.output.schema === 'text' && recipe.output.template !== null
        ? {}
        : { outputSchema: recipe.output.schema }),
      ...(recipe.output.schema === 'passthrough' && recipe.output.provenance
        ? { reservedFields: PROVENANCE_FIELDS }
        : {}),
    },
    spec: source.schema,
    mapper: undefined as RecordMapper | undefined,
  };
  // A later piece takes the mapper the file's first records decided, as the whole-file scan does.
  if (startsAt > 0)
    analysis.mapper = await mapperBefore(scanBatches(listed.absolutePath, readOptions), analysis, startsAt);
  for await (const { batch, outcome } of analyzedBatches(batches, analysis, { ...routing, blocks })) {
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    const digests = Buffer.from(outcome.digests.buffer, outcome.digests.byteOffset, outcome.digests.byteLength);
    let next = 0;
    for (let i = 0; i < batch.size; i++) {
      records++;
      const line = batch.lineAt(i);
      if (outcome.keyed[i] === 0) {
        while (outcome.notes[next]![0] !== i) next++;
        const note: RecordNote = outcome.notes[next]![1];
        emit(noteRow(listed, line, batch.placeAt(i), note));
        continue;
      }
      const at = i * DIGEST_BYTES;
      const chars = outcome.chars[i]!;
      const raw = batch.bytesAt(i);
      emit([
        listed.index,
        FACT_KIND.keyed,
        digests.toString('hex', at, at + 16),
        digests.toString('hex', at + 16, at + 32),
        line,
        batch.offsetAt(i),
        batch.lengthAt(i),
        chars,
        tokensOf(options.tokens, analysis.mapper!, () => parseRecord(batch.recordAt(i)), chars),
        raw ? crc32(raw) : -1,
        '',
        '',
      ]);
    }
    await afterBatch();
    const behind = hasher.backlog();
    if (behind) await behind;
  }
  if (!piece.whole && piece.from === 0) await passFileBytes(listed.absolutePath, onFileBytes, () => hasher.backlog());
  // Only the first piece of a file speaks for its size and digest (the select stage joins the pieces).
  const sha256 = piece.whole || piece.from === 0 ? await hasher.digest() : '';
  if (piece.whole && bytes === 0) bytes = (await stat(listed.absolutePath)).size;
  const mapper = analysis.mapper as RecordMapper | undefined;
  return {
    index: listed.index,
    source: source.name,
    group: source.group,
    displayPath: listed.displayPath,
    format: listed.format,
    encoding: source.encoding,
    schema: mapper?.name ?? (typeof source.schema === 'string' ? source.schema : 'mapping'),
    mapper: mapper ? schemaOf(mapper, source.schema) : null,
    bytes,
    sha256,
    records,
    ...(piece.whole ? {} : { piece: { from: piece.from, to: piece.to, total: piece.total, unit: piece.unit } }),
  };
}

/** The row of a record without a key; a conflict with the output schema, or an error under on_error: fail, stops here as in compose. */
function noteRow(listed: ListedFile, line: number, place: RecordPlace, note: RecordNote): Row {
  const { source } = listed;
  const where = whereOf(listed.displayPath, place);
  if ('conflict' in note) {
    throw new MixsmithError('RECIPE_CONFLICT', `source "${source.name}" ${note.conflict}`, {
      where: { file: listed.displayPath, line },
      hint: 'change output.schema, or map the source with a schema that fits',
    });
  }
  if ('filtered' in note) return [listed.index, FACT_KIND.filtered, '', '', line, 0, 0, 0, 0, -1, note.filtered, ''];
  const { code, message, hint } = note.error;
  if (source.on_error === 'fail') {
    throw new MixsmithError(code, message, {
      where,
      hint: hint ?? `fix the record, or set on_error: skip on source "${source.name}" to count and skip bad records`,
    });
  }
  return [
    listed.index,
    FACT_KIND.invalid,
    '',
    '',
    line,
    0,
    0,
    0,
    0,
    -1,
    code,
    `${formatWhere(where)}: ${code}: ${message}`,
  ];
}
