/**
 * A record as read, before mapping, with where it sits in its file.
 *
 * Line formats (JSONL, JSON arrays, CSV) locate a record by the line it starts on and its byte
 * extent in the (decompressed) stream. Parquet has no lines: it sets `row`, and `line` and
 * `offset` then carry the 1-based row and the 0-based row index, so one position type serves
 * every format and a `Candidate` needs no format-specific fields.
 */
import type { Where } from '../../errors.js';

/** Why a reader could not turn a record's bytes into a value; the scan counts or reports it. */
export interface RecordProblem {
  readonly code: 'INPUT_ENCODING' | 'INPUT_CSV' | 'INPUT_JSON';
  readonly message: string;
  readonly hint?: string;
}

export interface RawRecord {
  /** 1-based line where the record starts (Parquet: the 1-based row). */
  readonly line: number;
  /** Byte offset of the record in the decompressed stream (Parquet: the 0-based row index). */
  readonly offset: number;
  /** Byte length of the record's bytes (Parquet: 0). */
  readonly length: number;
  /** The record's text ('' when `value` is given or the bytes could not be decoded). */
  readonly text: string;
  /** Already-parsed value, for row formats (CSV, Parquet); JSON formats parse `text` later. */
  readonly value?: unknown;
  /** Set by formats without lines (Parquet): the 1-based row. */
  readonly row?: number;
  /** Set when the bytes could not be decoded or split into fields. */
  readonly problem?: RecordProblem;
}

/** Where a record sits, as provenance shows it: `file:line`, or `file#row=N` for Parquet. */
export function originOf(displayPath: string, record: Pick<RawRecord, 'line' | 'row'>): string {
  return record.row === undefined ? `${displayPath}:${record.line}` : `${displayPath}#row=${record.row}`;
}

/** Where a record sits, as errors report it. */
export function whereOf(displayPath: string, record: Pick<RawRecord, 'line' | 'row'>): Where {
  return record.row === undefined ? { file: displayPath, line: record.line } : { file: displayPath, row: record.row };
}
