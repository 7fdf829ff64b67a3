/**
 * Re-read chosen candidates as samples, in file and offset order (a few large `pread`s for plain
 * files), mapping them exactly as the scan did. An input modified during the run is
 * INPUT_CHANGED, never a silently different output, checked one of two ways per file:
 *
 * - each record still has the bytes the scan saw: their crc32, taken by the scan for JSONL
 *   (a change anywhere in the record shows, where the key would miss a change of case or spacing);
 *   for other formats, whose scan keeps no bytes, its key (normalise + md5, the costly part);
 * - or, when the wanted records are a good share of a plain file, the whole file is read and
 *   hashed on the way and must still have the scan's size and sha256 (a few times cheaper per
 *   byte, and it sees any change); each record's character count is checked as it passes, so a
 *   change shows at its record when it alters the record's shape.
 *
 * Used to materialise the output and to shingle candidates for near-duplicate removal.
 */
import { crc32 } from 'node:zlib';
import { MixsmithError } from '../../errors.js';
import { originOf, type RawRecord, type RecordPlace, whereOf } from './raw-record.js';
import { type Extent, type FileCheck, type ReadAtOptions, readAtBatches, readsByOffset } from './read-at.js';
import { type Sample, sampleText } from '../../sample.js';
import { RecordError } from '../map/record-error.js';
import { analyzeBody, parseRecord } from '../facts/analyze-record.js';
import type { Candidate } from '../facts/candidate.js';
import type { RecordMapper } from '../map/schema-for.js';
import type { InputFileInfo } from '../facts/source-stats.js';

/** What re-reading needs of a scan: its files, each file's mapper, and the spill of compressed candidates. */
export interface ScannedFiles {
  readonly files: readonly InputFileInfo[];
  /** Mappers per file index, so records are mapped again exactly as the scan mapped them. */
  readonly mappers: ReadonlyMap<number, RecordMapper>;
  /** The spill file holding candidates with `spill >= 0`, flushed. */
  readonly spillPath?: string | undefined;
}

export interface WantedRecord {
  readonly candidate: Candidate;
  readonly group: string;
}

export interface ReadCandidatesOptions {
  readonly seed: number;
  readonly dedup: boolean;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Called once per wanted record, with its index in `wanted`. Return a promise only when there is
 * something to wait for: the next record is read when it settles.
 */
export type OnSample = (candidate: Candidate, sample: Sample, index: number) => Promise<void> | undefined | void;

const CHANGED_HINT = 'do not modify inputs during a run; run again';

/**
 * Checking a record's key costs several times what reading and hashing its bytes does: a plain
 * file whose wanted records hold at least this share of its bytes is checked whole.
 */
export const WHOLE_FILE_SHARE = 0.25;

/** The scan's size and sha256 of `file`, when checking the whole file is the cheaper way. */
async function wholeFileCheck(file: InputFileInfo, wantedBytes: number): Promise<FileCheck | undefined> {
  if (file.sha256 === '' || wantedBytes < file.bytes * WHOLE_FILE_SHARE) return undefined;
  return (await readsByOffset(file.absolutePath, file.format, file.displayPath))
    ? { bytes: file.bytes, sha256: file.sha256 }
    : undefined;
}

/** Wanted indexes per file index, each list in offset order. */
export function byFile(wanted: readonly WantedRecord[]): [number, number[]][] {
  const files = new Map<number, number[]>();
  for (let i = 0; i < wanted.length; i++) {
    const fileIndex = wanted[i]!.candidate.fileIndex;
    const list = files.get(fileIndex);
    if (list) list.push(i);
    else files.set(fileIndex, [i]);
  }
  // Sorted by a plain array of offsets: much cheaper than reaching into each candidate per comparison.
  const offsets = new Float64Array(wanted.length);
  for (let i = 0; i < wanted.length; i++) offsets[i] = wanted[i]!.candidate.offset;
  for (const list of files.values()) list.sort((a, b) => offsets[a]! - offsets[b]!);
  return [...files].sort((a, b) => a[0] - b[0]);
}

/** One file's wanted records and how they are read again: from the input, or from the scan's spill copy. */
export interface FileReading {
  readonly file: InputFileInfo;
  /** The records, as indexes into `wanted`, in offset order, and their candidates. */
  readonly indexes: readonly number[];
  readonly candidates: readonly Candidate[];
  readonly path: string;
  readonly extents: readonly Extent[];
  readonly options: ReadAtOptions;
  /** Set when the whole file is read and hashed: records are then checked by their character count only. */
  readonly wholeFile: FileCheck | undefined;
  /** Whether each record's bytes come with it (`RecordBatch.bytesOf`): line files read by offset. */
  readonly byOffset: boolean;
}

/** How the records `indexes` (into `wanted`, one file's, in offset order) are read: shared by readCandidates and the render workers. */
export async function fileReading(
  scan: ScannedFiles,
  fileIndex: number,
  indexes: readonly number[],
  wanted: readonly WantedRecord[],
  signal: AbortSignal | undefined,
): Promise<FileReading> {
  const file = scan.files[fileIndex]!;
  const candidates = indexes.map((i) => wanted[i]!.candidate);
  // Candidates of a compressed file the scan copied are read from its copy (same order: scan order).
  const spilled = scan.spillPath !== undefined && candidates.every((c) => c.spill >= 0);
  const extents = spilled ? candidates.map((c) => ({ offset: c.spill, length: c.length, line: c.line })) : candidates;
  const wholeFile = spilled
    ? undefined
    : await wholeFileCheck(
        file,
        extents.reduce((sum, e) => sum + e.length, 0),
      );
  const path = spilled ? scan.spillPath! : file.absolutePath;
  const format = spilled ? ('jsonl' as const) : file.format;
  const byOffset =
    format === 'jsonl' && (spilled || (await readsByOffset(file.absolutePath, file.format, file.displayPath)));
  return {
    file,
    indexes,
    candidates,
    path,
    extents,
    wholeFile,
    byOffset,
    options: { format, encoding: file.encoding, displayPath: file.displayPath, limits: file.limits, signal, wholeFile },
  };
}

/** How a re-read record is compared with the scan: its character count (whole-file reads), or its byte length and crc32. */
export type RecordCheck = 'chars' | 'crc32';

/** Whether a re-read record is still what the scan saw, by `check`; `expected` is the scan's character count or crc32. */
export function unchangedSinceScan(
  check: RecordCheck,
  body: Sample['body'],
  bytes: Uint8Array | undefined,
  length: number,
  expected: number,
): boolean {
  if (check === 'chars') return sampleText(body).length === expected;
  return bytes !== undefined && bytes.length === length && crc32(bytes) === expected;
}

/** The sample a re-read record makes, as the scan mapped it. */
export function sampleOf(
  file: Pick<InputFileInfo, 'source' | 'displayPath'>,
  raw: RecordPlace,
  group: string,
  value: unknown,
  body: Sample['body'],
  meta: Sample['meta'],
  jsonText?: string,
): Sample {
  const origin = originOf(file.displayPath, raw);
  // One object literal with every field (jsonText may be undefined): adding the field by spread
  // made rendering 100k passthrough records about 15 % slower.
  return { id: `${file.source}:${origin}`, source: file.source, group, origin, body, meta, raw: value, jsonText };
}

/** A raw record's JSON text: JSONL lines and JSON array elements (parsed later), keyed-object members (parsed by the reader). */
export function jsonTextOf(raw: Pick<RawRecord, 'text' | 'value' | 'element'>): string | undefined {
  return raw.value === undefined || raw.element !== undefined ? raw.text : undefined;
}

/** INPUT_CHANGED for a record of `file` that no longer is what the scan saw. */
export function changed(file: InputFileInfo, raw: RecordPlace, cause?: unknown): MixsmithError {
  const origin = originOf(file.displayPath, raw);
  return new MixsmithError('INPUT_CHANGED', `${origin} changed while mixsmith was reading it`, {
    where: whereOf(file.displayPath, raw),
    hint: CHANGED_HINT,
    cause,
  });
}

/** INPUT_CHANGED for a file that ended before its last wanted record. */
export function shorter(file: InputFileInfo): MixsmithError {
  return new MixsmithError('INPUT_CHANGED', `${file.displayPath} is shorter than when it was scanned`, {
    where: { file: file.displayPath },
    hint: CHANGED_HINT,
  });
}

export async function readCandidates(
  scan: ScannedFiles,
  wanted: readonly WantedRecord[],
  onSample: OnSample,
  options: ReadCandidatesOptions,
): Promise<void> {
  for (const [fileIndex, indexes] of byFile(wanted)) {
    await readFileCandidates(
      scan,
      await fileReading(scan, fileIndex, indexes, wanted, options.signal),
      wanted,
      onSample,
      options,
    );
  }
}

/** readCandidates for one file's wanted records, read as `reading` says. */
export async function readFileCandidates(
  scan: ScannedFiles,
  reading: FileReading,
  wanted: readonly WantedRecord[],
  onSample: OnSample,
  options: ReadCandidatesOptions,
): Promise<void> {
  const { file, indexes, wholeFile } = reading;
  const mapper = scan.mappers.get(file.index)!;
  const keyOptions = { seed: options.seed };
  let n = 0;
  for await (const batch of readAtBatches(reading.path, reading.extents, reading.options)) {
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    for (let b = 0; b < batch.length; b++) {
      const raw = batch.record(b);
      const index = indexes[n++]!;
      const { candidate, group } = wanted[index]!;
      let value: unknown;
      let body: Sample['body'];
      try {
        value = parseRecord(raw, { maxDepth: Number.POSITIVE_INFINITY }); // its depth was checked by the scan
        body = mapper.toBody(value);
      } catch (cause) {
        // The scan parsed and mapped this record; failing now means its bytes changed.
        if (cause instanceof RecordError) throw changed(file, raw, cause);
        throw cause;
      }
      const bytes = batch.bytesOf(b);
      // Row formats keep no bytes at the scan: their key is checked instead (normalise + md5, the costly way).
      const check: RecordCheck | undefined = wholeFile ? 'chars' : candidate.crc32 >= 0 && bytes ? 'crc32' : undefined;
      if (
        check
          ? !unchangedSinceScan(
              check,
              body,
              bytes,
              candidate.length,
              check === 'chars' ? candidate.chars : candidate.crc32,
            )
          : analyzeBody(
              body,
              options.dedup ? keyOptions : { ...keyOptions, distinctSuffix: `${file.displayPath}:${raw.line}` },
            ).key !== candidate.key
      ) {
        throw changed(file, raw);
      }
      // Memory the re-read gave back (a huge element's bytes) is free before the record is rendered beside it.
      const freeing = batch.freed?.();
      if (freeing) await freeing;
      const pending = onSample(
        candidate,
        sampleOf(file, raw, group, value, body, mapper.toMeta(value), jsonTextOf(raw)),
        index,
      );
      if (pending) await pending;
    }
  }
  if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
  if (n !== indexes.length) throw shorter(file);
}
