/**
 * Where a piece of a plain JSONL file begins (the staged pipeline's facts parts split large files
 * by bytes): the first line that starts at or after byte `from`, and its 1-based line number, by
 * counting newlines from the start of the file. Nothing is parsed, so this costs a read of the
 * bytes before the piece (page cache, a few GB/s) and keeps line numbers exactly the scan's.
 */
import { createReadStream } from 'node:fs';
import { countNewlines } from './line-batches.js';

const NEWLINE = 10;

/** `start`: the piece's first byte (the file's size when no line starts at or after `from`); `line`: its line number. */
export async function lineStartAt(file: string, from: number): Promise<{ start: number; line: number }> {
  if (from <= 0) return { start: 0, line: 1 };
  let before = 0;
  let at = 0;
  // A line starts at `from` exactly when byte `from − 1` is a newline: look for the first one there or later.
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buffer = chunk as Buffer;
    const search = Math.max(0, from - 1 - at);
    if (search >= buffer.length) {
      before += countNewlines(buffer);
      at += buffer.length;
      continue;
    }
    before += countNewlines(buffer, 0, search);
    const found = buffer.indexOf(NEWLINE, search);
    if (found !== -1) return { start: at + found + 1, line: before + 2 };
    at += buffer.length;
  }
  return { start: at, line: before + 1 };
}
