/**
 * Which reader a file needs. Content that cannot lie comes first (Parquet's `PAR1` magic), then
 * the extension (without `.gz`/`.zst`), then the first non-blank decompressed byte, because people
 * name JSONL files `.json` or `.txt` (see ../shared/data/real/README.md). A `{` file whose first
 * line is not a whole JSON value is one pretty-printed object, not JSONL, and is reported as such.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../../errors.js';
import type { InputFormat, RecordFormat } from '../../recipe/names.js';
import { readHead, SNIFF_BYTES } from '../../io/read-head.js';
import { withoutCompressionExtension } from '../../io/compression.js';
import { ACCEPTED_FORMATS, FORMAT_BY_EXTENSION } from './input-formats.js';


async function startsWithParquetMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false; // reading reports a missing file with its own message
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.toString('latin1') === 'PAR1';
  } finally {
    await handle.close();
  }
}

const sniff = (file: string, displayPath: string) => readHead(file, displayPath, SNIFF_BYTES);

function firstNonBlank(bytes: Buffer): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 10 || bytes[i] === 13)) i++;
  return i;
}

/** A short, printable excerpt of what the file starts with, for messages. */
function excerptOf(bytes: Buffer, from: number): string {
  const text = bytes.toString('utf8', from, from + 60).replace(/[\r\n\t]+/g, ' ');
  let printable = '';
  for (const char of text) printable += char < ' ' || char === '\ufffd' ? '?' : char;
  return printable;
}

function unsupported(displayPath: string, message: string, hint = `accepted: ${ACCEPTED_FORMATS}; if the extension misleads, set format: on the source`): MixsmithError {
  return new MixsmithError('INPUT_FORMAT', `${displayPath}: ${message}`, { where: { file: displayPath, line: 1 }, hint });
}

function refuseUtf16(bytes: Buffer, displayPath: string): void {
  const bom = bytes.subarray(0, 2).toString('hex');
  if (bom === 'fffe' || bom === 'feff') {
    throw new MixsmithError('INPUT_ENCODING', `${displayPath}: the file is UTF-16 (it starts with a UTF-16 byte-order mark)`, {
      where: { file: displayPath, line: 1 },
      hint: 'convert it to UTF-8 first: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8',
    });
  }
}

/** JSON content: `[` is an array; `{` is JSONL when the first line is a whole JSON value. */
function jsonKind(bytes: Buffer, at: number, displayPath: string): RecordFormat {
  if (bytes[at] === 0x5b) return 'json';
  const newline = bytes.indexOf(10, at);
  if (newline === -1) return 'jsonl'; // one record, or a first line longer than the sniff
  const firstLine = bytes.toString('utf8', at, newline).trim();
  try {
    JSON.parse(firstLine);
    return 'jsonl';
  } catch {
    // A pretty-printer ends lines after "{", "[" or ","; a broken JSONL record is reported at its line instead.
    if (!/[[{,]$/.test(firstLine)) return 'jsonl';
    throw unsupported(
      displayPath,
      'the file holds one JSON object spread over several lines, not JSON Lines (one object per line) or an array of records',
      'write the records as a JSON array ([{…}, {…}]) or one object per line (JSONL); to read a list inside the object, extract it first (jq ".key" FILE)',
    );
  }
}

/** The format to read `file` with: `declared` unless it is `auto`. */
export async function detectFormat(file: string, displayPath: string, declared: InputFormat): Promise<RecordFormat> {
  if (declared !== 'auto') return declared;
  if (await startsWithParquetMagic(file)) return 'parquet';
  const extension = path.extname(withoutCompressionExtension(file)).toLowerCase();
  const byName = FORMAT_BY_EXTENSION.get(extension);
  if (byName === 'parquet') {
    throw new MixsmithError('INPUT_FORMAT', `${displayPath}: named ${extension} but does not start with the Parquet magic "PAR1"`, {
      where: { file: displayPath },
      hint: 'the file is damaged or not Parquet (a .parquet.gz is not read: Parquet compresses inside); set format: to what it really is',
    });
  }
  const bytes = await sniff(file, displayPath);
  refuseUtf16(bytes, displayPath);
  if (byName) return byName;
  const at = firstNonBlank(bytes);
  if (at >= bytes.length) return 'jsonl'; // empty: the source's record count reports it
  const first = bytes[at]!;
  if (first === 0x5b || first === 0x7b) return jsonKind(bytes, at, displayPath);
  const named = extension ? `its extension ${extension} names no format mixsmith reads` : 'it has no extension';
  throw unsupported(displayPath, `cannot tell the format: it starts with "${excerptOf(bytes, at)}", which is not JSON ("[" or "{"), and ${named}`);
}
