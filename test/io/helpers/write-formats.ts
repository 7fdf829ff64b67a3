/**
 * Write the same records in every input format mixsmith reads, for round-trip tests: JSONL, JSON
 * arrays, CSV/TSV (every field quoted, so commas, quotes and newlines survive) and Parquet (nested
 * `messages` as list<struct<role, content>>, as Hugging Face exports it), each plain, gzip or zstd.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { compress } from 'zstd-napi';

export type Wrap = 'none' | 'gzip' | 'zstd';

export function wrapBytes(bytes: Uint8Array, wrap: Wrap): Buffer {
  if (wrap === 'gzip') return gzipSync(bytes);
  if (wrap === 'zstd') return compress(bytes);
  return Buffer.from(bytes);
}

export const WRAP_SUFFIX: Record<Wrap, string> = { none: '', gzip: '.gz', zstd: '.zst' };

export function jsonlBytes(records: readonly unknown[]): Buffer {
  return Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** A one-line JSON array: the shape that must be streamed, never parsed whole. */
export function jsonArrayBytes(records: readonly unknown[]): Buffer {
  return Buffer.from(JSON.stringify(records));
}

function quote(field: string): string {
  return `"${field.replaceAll('"', '""')}"`;
}

/** CSV (or TSV) with a header; every field quoted; CRLF line ends when asked. */
export function csvText(
  columns: readonly string[],
  rows: readonly Record<string, string>[],
  options: { delimiter?: string; crlf?: boolean } = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const eol = options.crlf ? '\r\n' : '\n';
  const lines = [
    columns.map(quote).join(delimiter),
    ...rows.map((row) => columns.map((c) => quote(row[c] ?? '')).join(delimiter)),
  ];
  return lines.join(eol) + eol;
}

export interface ChatRow {
  readonly id: number;
  readonly messages: readonly { role: string; content: string }[];
}

/** Chat rows as Parquet with a nested messages column (3-level LIST of STRUCT), zstd or snappy. */
export function chatParquet(
  rows: readonly ChatRow[],
  options: { codec: 'ZSTD' | 'SNAPPY' | 'UNCOMPRESSED'; rowGroupSize?: number },
): Buffer {
  const schema = [
    { name: 'root', num_children: 2 },
    { name: 'id', type: 'INT64' as const, repetition_type: 'REQUIRED' as const },
    { name: 'messages', repetition_type: 'OPTIONAL' as const, converted_type: 'LIST' as const, num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED' as const, num_children: 1 },
    { name: 'element', repetition_type: 'OPTIONAL' as const, num_children: 2 },
    {
      name: 'role',
      type: 'BYTE_ARRAY' as const,
      converted_type: 'UTF8' as const,
      repetition_type: 'OPTIONAL' as const,
    },
    {
      name: 'content',
      type: 'BYTE_ARRAY' as const,
      converted_type: 'UTF8' as const,
      repetition_type: 'OPTIONAL' as const,
    },
  ];
  const buffer = parquetWriteBuffer({
    schema,
    codec: options.codec,
    compressors: { ZSTD: (input: Uint8Array) => compress(input) },
    rowGroupSize: options.rowGroupSize ?? 1000,
    columnData: [
      { name: 'id', data: rows.map((r) => BigInt(r.id)) },
      { name: 'messages', data: rows.map((r) => r.messages.map((m) => ({ ...m }))) },
    ],
  });
  return Buffer.from(buffer);
}

/** Flat string columns as Parquet (the shape of a CSV export). */
export function flatParquet(
  columns: readonly string[],
  rows: readonly Record<string, string>[],
  codec: 'ZSTD' | 'SNAPPY' = 'SNAPPY',
): Buffer {
  const buffer = parquetWriteBuffer({
    codec,
    compressors: { ZSTD: (input: Uint8Array) => compress(input) },
    columnData: columns.map((name) => ({ name, data: rows.map((r) => r[name] ?? ''), type: 'STRING' as const })),
  });
  return Buffer.from(buffer);
}

export function writeBytes(file: string, bytes: Uint8Array): string {
  writeFileSync(file, bytes);
  return file;
}
