/**
 * Which reader a file needs. Content that cannot lie comes first (Parquet's `PAR1`, Arrow's magic), then
 * the extension (without `.gz`/`.zst`), then the first non-blank decompressed byte, because people
 * name JSONL files `.json` or `.txt` (see ../shared/data/real/README.md). A `{` file whose first
 * line is not a whole JSON value is one pretty-printed object, not JSONL: an object keyed by id
 * (its members objects, or its keys numbers) is read as `json-object`, any other is reported.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../../errors.js';
import type { InputFormat, RecordFormat } from '../../recipe/names.js';
import { readHead, SNIFF_BYTES } from '../../io/read-head.js';
import { withoutCompressionExtension } from '../../io/compression.js';
import { ACCEPTED_FORMATS, FORMAT_BY_EXTENSION } from './input-formats.js';

/**
 * The binary format a file's first bytes name: Parquet (`PAR1`), an Arrow IPC file (`ARROW1`) or
 * an Arrow IPC stream (a message: the continuation marker 0xFFFFFFFF, then a positive length).
 */
async function binaryMagic(file: string): Promise<'parquet' | 'arrow' | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined; // reading reports a missing file with its own message
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (bytesRead >= 4 && head.toString('latin1', 0, 4) === 'PAR1') return 'parquet';
    if (bytesRead >= 6 && head.toString('latin1', 0, 6) === 'ARROW1') return 'arrow';
    if (bytesRead === 8 && head.readUInt32LE(0) === 0xffffffff && head.readInt32LE(4) > 0) return 'arrow';
    return undefined;
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

function unsupported(
  displayPath: string,
  message: string,
  hint = `accepted: ${ACCEPTED_FORMATS}; if the extension misleads, set format: on the source`,
): MixsmithError {
  return new MixsmithError('INPUT_FORMAT', `${displayPath}: ${message}`, {
    where: { file: displayPath, line: 1 },
    hint,
  });
}

function refuseUtf16(bytes: Buffer, displayPath: string): void {
  const bom = bytes.subarray(0, 2).toString('hex');
  if (bom === 'fffe' || bom === 'feff') {
    throw new MixsmithError(
      'INPUT_ENCODING',
      `${displayPath}: the file is UTF-16 (it starts with a UTF-16 byte-order mark)`,
      {
        where: { file: displayPath, line: 1 },
        hint: 'convert it to UTF-8 first: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8',
      },
    );
  }
}

const isBlank = (b: number) => b === 32 || b === 9 || b === 10 || b === 13;

/**
 * The members of the object starting at `at`, as far as `bytes` holds them: their keys, where
 * each value starts, and whether the object's closing "}" was reached.
 */
function membersAt(bytes: Buffer, at: number): { keys: string[]; starts: number[]; complete: boolean } {
  const keys: string[] = [];
  const starts: number[] = [];
  let i = at + 1;
  const skipBlank = () => {
    while (i < bytes.length && isBlank(bytes[i]!)) i++;
  };
  for (;;) {
    skipBlank();
    if (bytes[i] === 0x7d) return { keys, starts, complete: true };
    if (bytes[i] !== 0x22) break;
    const keyStart = i++;
    for (let escaped = false; i < bytes.length; i++) {
      if (escaped) escaped = false;
      else if (bytes[i] === 0x5c) escaped = true;
      else if (bytes[i] === 0x22) break;
    }
    if (i++ >= bytes.length) break;
    let key: unknown;
    try {
      key = JSON.parse(bytes.toString('utf8', keyStart, i));
    } catch {
      break;
    }
    skipBlank();
    if (bytes[i] !== 0x3a) break;
    i++;
    skipBlank();
    if (i >= bytes.length) break;
    keys.push(String(key));
    starts.push(i);
    // Past the value: strings and nesting tracked, a scalar ends at "," or "}".
    let depth = 0;
    let inString = false;
    for (let escaped = false; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
      } else if (b === 0x22) inString = true;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        if (depth === 0) break;
        depth--;
      } else if (b === 0x2c && depth === 0) break;
    }
    if (i >= bytes.length) break;
    skipBlank();
    if (bytes[i] === 0x2c) i++;
  }
  return { keys, starts, complete: false };
}

/**
 * Whether the object at `at` is keyed by id: two members or more, all objects (records) or all
 * keyed by numbers (`{"12377809": "yes", …}`); or one group, cut off by the sniff, that is.
 */
function isKeyedObject(bytes: Buffer, at: number): boolean {
  const { keys, starts, complete } = membersAt(bytes, at);
  if (keys.length >= 2) return starts.every((s) => bytes[s] === 0x7b) || keys.every((k) => /^\d+$/.test(k));
  return keys.length === 1 && !complete && bytes[starts[0]!] === 0x7b && isKeyedObject(bytes, starts[0]!);
}

/** Nothing but blanks from `from` on. */
function blankFrom(bytes: Buffer, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (!isBlank(bytes[i]!)) return false;
  return true;
}

/**
 * JSON content: `[` is an array; `{` is JSONL when the first line is a whole JSON value, unless
 * that line is all the sniff holds and is an object keyed by id (`json-object`).
 */
function jsonKind(bytes: Buffer, at: number, displayPath: string): RecordFormat {
  if (bytes[at] === 0x5b) return 'json';
  const newline = bytes.indexOf(10, at);
  // One line (or a first line longer than the sniff): one record of JSONL, or a keyed object on one line.
  if (newline === -1 || blankFrom(bytes, newline)) return isKeyedObject(bytes, at) ? 'json-object' : 'jsonl';
  const firstLine = bytes.toString('utf8', at, newline).trim();
  try {
    JSON.parse(firstLine);
    return 'jsonl';
  } catch {
    // A pretty-printer ends lines after "{", "[" or ","; a broken JSONL record is reported at its line instead.
    if (!/[[{,]$/.test(firstLine)) return 'jsonl';
    if (isKeyedObject(bytes, at)) return 'json-object';
    throw unsupported(
      displayPath,
      'the file holds one JSON object spread over several lines, not JSON Lines (one object per line), an array of records or an object keyed by id',
      'to read a list inside the object, extract it first (jq ".key" FILE); to read its members as records ({"<id>": {…}, …}), set format: json-object',
    );
  }
}

/** The format to read `file` with: `declared` unless it is `auto`. */
export async function detectFormat(file: string, displayPath: string, declared: InputFormat): Promise<RecordFormat> {
  if (declared !== 'auto') return declared;
  const magic = await binaryMagic(file);
  if (magic) return magic;
  const extension = path.extname(withoutCompressionExtension(file)).toLowerCase();
  const byName = FORMAT_BY_EXTENSION.get(extension);
  if (byName === 'parquet') {
    throw new MixsmithError(
      'INPUT_FORMAT',
      `${displayPath}: named ${extension} but does not start with the Parquet magic "PAR1"`,
      {
        where: { file: displayPath },
        hint: 'the file is damaged or not Parquet (a .parquet.gz is not read: Parquet compresses inside); set format: to what it really is',
      },
    );
  }
  const bytes = await sniff(file, displayPath);
  refuseUtf16(bytes, displayPath);
  if (byName) return byName;
  const at = firstNonBlank(bytes);
  if (at >= bytes.length) return 'jsonl'; // empty: the source's record count reports it
  const first = bytes[at]!;
  if (first === 0x5b || first === 0x7b) return jsonKind(bytes, at, displayPath);
  const named = extension ? `its extension ${extension} names no format mixsmith reads` : 'it has no extension';
  throw unsupported(
    displayPath,
    `cannot tell the format: it starts with "${excerptOf(bytes, at)}", which is not JSON ("[" or "{"), and ${named}`,
  );
}
