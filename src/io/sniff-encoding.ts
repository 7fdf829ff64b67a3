/**
 * A guess at a text file's encoding from its first 64 KiB, for `mixsmith inspect` (compose never
 * guesses: it reads what `encoding:` says and reports bad bytes with the guess as a hint).
 * Valid UTF-8 is UTF-8; bytes that are not, but decode as GB18030, are GB18030 — the encoding
 * of most non-UTF-8 Chinese data (CSV dumps from Excel, older crawls).
 */
import { byteStream } from './byte-stream.js';
import { guessEncoding } from './text-encoding.js';

const SNIFF_BYTES = 64 * 1024;

export async function sniffEncoding(file: string, displayPath: string): Promise<'utf-8' | 'gb18030'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of byteStream(file, { displayPath, maxFileBytes: SNIFF_BYTES })) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= SNIFF_BYTES) break;
  }
  let sample = Buffer.concat(chunks);
  // Cut at the last line break so a character split by the sniff limit does not look invalid.
  if (sample.length >= SNIFF_BYTES) {
    const newline = sample.lastIndexOf(10);
    if (newline > 0) sample = sample.subarray(0, newline);
  }
  return guessEncoding(sample) ?? 'utf-8';
}
