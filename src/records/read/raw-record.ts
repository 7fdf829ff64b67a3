/**
 * A record as read, before mapping, with where it sits in its file.
 *
 * Line formats (JSONL, CSV) locate a record by the line it starts on and its byte extent in the
 * (decompressed) stream. Parquet has no lines: it sets `row`, and `line` and `offset` then carry
 * the 1-based row and the 0-based row index. JSON arrays and keyed objects set `element`, and
 * `line` carries the 1-based element number (a one-line array has one line for all its
 * records), `offset` and `length` the element's bytes. So one position type serves every format,
 * every record of a file has its own place, and a `Candidate` needs no format-specific fields.
 */
import type { Where } from '../../errors.js';
import type { RecordFormat } from '../../recipe/names.js';

/** Why a reader could not turn a record's bytes into a value; the scan counts or reports it. */
export interface RecordProblem {
  readonly code: 'INPUT_ENCODING' | 'INPUT_CSV' | 'INPUT_JSON';
  readonly message: string;
  readonly hint?: string;
}

export interface RawRecord {
  /** 1-based line where the record starts (Parquet: the 1-based row; JSON arrays and keyed objects: the 1-based element). */
  readonly line: number;
  /** Byte offset of the record in the decompressed stream (Parquet: the 0-based row index). */
  readonly offset: number;
  /** Byte length of the record's bytes (Parquet: 0). */
  readonly length: number;
  /** The record's text ('' when `value` is given or the bytes could not be decoded). */
  readonly text: string;
  /** Already-parsed value, for row formats (CSV, Parquet) and huge JSON-array elements (parsed from their bytes); other JSON records parse `text` later. */
  readonly value?: unknown;
  /** Set by formats without lines (Parquet): the 1-based row. */
  readonly row?: number;
  /** Set by JSON arrays and keyed objects: the 1-based element of the array (or member of the object). */
  readonly element?: number;
  /** Set when the bytes could not be decoded or split into fields. */
  readonly problem?: RecordProblem;
}

/** What places a record: its line, row (Parquet) or element (JSON arrays, keyed objects). */
export type RecordPlace = Pick<RawRecord, 'line' | 'row' | 'element'>;

/** Formats whose records are numbered elements rather than lines. */
export const isElementFormat = (format: RecordFormat): boolean => format === 'json' || format === 'json-object';

/** Formats whose records are numbered rows (Parquet, Arrow). */
export const isRowFormat = (format: RecordFormat): boolean => format === 'parquet' || format === 'arrow';

/** The place of a record of `format` from the one number a candidate or location keeps (`line`). */
export function placeOf(format: RecordFormat, line: number): RecordPlace {
  if (isRowFormat(format)) return { line, row: line };
  return isElementFormat(format) ? { line, element: line } : { line };
}

/** Where a record sits, as provenance shows it: `file:line`, `file#row=N` (Parquet) or `file#element=N` (JSON arrays, keyed objects). */
export function originOf(displayPath: string, record: RecordPlace): string {
  if (record.row !== undefined) return `${displayPath}#row=${record.row}`;
  if (record.element !== undefined) return `${displayPath}#element=${record.element}`;
  return `${displayPath}:${record.line}`;
}

/** Where a record sits, as errors report it. */
export function whereOf(displayPath: string, record: RecordPlace): Where {
  if (record.row !== undefined) return { file: displayPath, row: record.row };
  if (record.element !== undefined) return { file: displayPath, element: record.element };
  return { file: displayPath, line: record.line };
}
