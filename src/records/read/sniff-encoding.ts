/**
 * A guess at a text file's encoding from its first 64 KiB, for `mixsmith inspect` (compose never
 * guesses: it reads what `encoding:` says and reports bad bytes with the guess as a hint).
 * Valid UTF-8 is UTF-8; bytes that are not, but decode as GB18030, are GB18030 — the encoding
 * of most non-UTF-8 Chinese data (CSV dumps from Excel, older crawls).
 */
import { readHead, SNIFF_BYTES } from '../../io/read-head.js';
import { guessEncoding } from './text-encoding.js';

export async function sniffEncoding(file: string, displayPath: string): Promise<'utf-8' | 'gb18030'> {
  let sample = await readHead(file, displayPath);
  // Cut at the last line break so a character split by the sniff limit does not look invalid.
  if (sample.length >= SNIFF_BYTES) {
    const newline = sample.lastIndexOf(10);
    if (newline > 0) sample = sample.subarray(0, newline);
  }
  return guessEncoding(sample) ?? 'utf-8';
}
