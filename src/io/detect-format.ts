/**
 * Which reader a file needs: by extension first, then by its first non-blank byte, because people
 * name JSONL files `.json` or `.txt` (see ../shared/data/real/README.md).
 */
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import type { InputFormat } from '../recipe/types.js';
import { byteStream } from './byte-stream.js';

export type RecordFormat = Exclude<InputFormat, 'auto'>;

const SNIFF_BYTES = 64 * 1024;
const ACCEPTED = 'JSONL (.jsonl, .ndjson) and JSON arrays (.json), each optionally .gz';

async function firstNonBlankByte(file: string, displayPath: string): Promise<number | undefined> {
  for await (const chunk of byteStream(file, { displayPath, maxFileBytes: SNIFF_BYTES })) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      const isBom = i < 3 && (b === 0xef || b === 0xbb || b === 0xbf);
      if (!isBom && b !== 32 && b !== 9 && b !== 10 && b !== 13) return b;
    }
  }
  return undefined;
}

export async function detectFormat(file: string, displayPath: string, declared: InputFormat): Promise<RecordFormat> {
  if (declared !== 'auto') return declared;
  const extension = path.extname(file.replace(/\.gz$/i, '')).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.parquet' || extension === '.csv' || extension === '.tsv' || extension === '.zst') {
    throw new MixsmithError('INPUT_FORMAT', `${displayPath}: ${extension} files are not read by this version`, {
      where: { file: displayPath },
      hint: `accepted: ${ACCEPTED}`,
    });
  }
  const first = await firstNonBlankByte(file, displayPath);
  if (first === undefined) return 'jsonl'; // empty: the source's record count reports it
  if (first === 0x5b) return 'json';
  if (first === 0x7b) return 'jsonl';
  throw new MixsmithError('INPUT_FORMAT', `${displayPath}: cannot tell the format; the file starts with "${String.fromCharCode(first)}", not "[" or "{"`, {
    where: { file: displayPath, line: 1 },
    hint: `accepted: ${ACCEPTED}; set format: on the source if the extension misleads`,
  });
}
