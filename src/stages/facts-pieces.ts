/**
 * Which bytes of the inputs a facts part reads: the input files in scan order, laid end to end,
 * cut into `count` equal byte ranges. A plain JSONL file (not compressed, a newline-safe
 * encoding) is split where the cuts fall: a piece holds the records that *start* in its range
 * (records/read/line-start.ts finds the first, scan-batch.ts stops after the last). A Parquet file
 * is split between row groups: a row group goes to the part holding its place in the file (the
 * file's bytes shared out in proportion to rows). Any other file — compressed, CSV, a JSON array,
 * Arrow — is read whole by the part its first byte falls in. Fixed by the file sizes (and row
 * group sizes) alone: the same for every run, whatever finishes first.
 */
import type { PartSpec } from './stage-dir.js';

export interface FileSpan {
  readonly bytes: number;
  /** Whether the file may be cut between its lines. */
  readonly splittable: boolean;
  /** Parquet: the rows of each row group (the file may be cut between them). */
  readonly groups?: readonly number[] | undefined;
}

/**
 * Units `from`…`to` (exclusive) of file `file`, out of `total`: bytes of a JSONL file, rows of a
 * Parquet file (whole row groups); `whole` when the file is read whole.
 */
export interface FilePiece {
  readonly file: number;
  readonly from: number;
  readonly to: number;
  readonly total: number;
  readonly unit: 'bytes' | 'rows';
  readonly whole: boolean;
}

/** Text encodings in which a newline byte always is a newline (not half of a UTF-16/32 code unit). */
export function newlineSafe(encoding: string): boolean {
  return !/^(utf-?16|utf-?32|ucs-?2|unicode)/i.test(encoding.trim());
}

/** The byte range of part `index` (1-based) of `count` over `total` bytes. */
function rangeOf(index: number, count: number, total: number): [number, number] {
  return [Math.floor(((index - 1) * total) / count), Math.floor((index * total) / count)];
}

/** The part (1-based) whose range holds byte `at`; the last part for the end (empty files there). */
function partHolding(at: number, count: number, total: number): number {
  for (let index = 1; index <= count; index++) {
    const [from, to] = rangeOf(index, count, total);
    if (at >= from && at < to) return index;
  }
  return count;
}

/** The pieces part `part` reads, in scan order. */
export function piecesOfPart(files: readonly FileSpan[], part: PartSpec): FilePiece[] {
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  const [from, to] = rangeOf(part.index, part.count, total);
  const pieces: FilePiece[] = [];
  let start = 0;
  files.forEach((span, file) => {
    const end = start + span.bytes;
    const rows = span.groups?.reduce((sum, n) => sum + n, 0) ?? 0;
    if (span.splittable && span.bytes > 0) {
      const a = Math.max(from, start);
      const b = Math.min(to, end);
      if (a < b)
        pieces.push({
          file,
          from: a - start,
          to: b - start,
          total: span.bytes,
          unit: 'bytes',
          whole: a === start && b === end,
        });
    } else if (span.groups && span.groups.length > 1 && rows > 0) {
      // Row group g starts at row r: its place is start + ⌊r × bytes / rows⌋.
      let first = -1;
      let last = -1;
      let row = 0;
      for (const n of span.groups) {
        if (partHolding(start + Math.floor((row * span.bytes) / rows), part.count, total) === part.index) {
          if (first < 0) first = row;
          last = row + n;
        }
        row += n;
      }
      if (first >= 0)
        pieces.push({ file, from: first, to: last, total: rows, unit: 'rows', whole: first === 0 && last === rows });
    } else if (partHolding(start, part.count, total) === part.index) {
      pieces.push({ file, from: 0, to: span.bytes, total: span.bytes, unit: 'bytes', whole: true });
    }
    start = end;
  });
  return pieces;
}
