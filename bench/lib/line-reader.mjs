/**
 * A synchronous line reader over a plain file: 4 MB reads, split on '\n' bytes, one UTF-8 decode
 * per line (the fastest way to get lines into V8 measured here; see
 * ../shared/notes/deps-measured.md §3). Calls `onLine(text, index)` for every non-empty line.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export function forEachLine(file, onLine, chunkBytes = 4 << 20) {
  const fd = openSync(file, 'r');
  let buffer = Buffer.allocUnsafe(chunkBytes);
  let carried = 0;
  let index = 0;
  try {
    for (;;) {
      if (carried === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, carried, buffer.length - carried, null);
      const end = carried + read;
      let start = 0;
      for (;;) {
        const newline = buffer.indexOf(10, start);
        if (newline < 0 || newline >= end) break;
        if (newline > start) onLine(buffer.toString('utf8', start, newline), index++);
        start = newline + 1;
      }
      if (read === 0) {
        if (end > start) onLine(buffer.toString('utf8', start, end), index++);
        return index;
      }
      buffer.copy(buffer, 0, start, end);
      carried = end - start;
    }
  } finally {
    closeSync(fd);
  }
}
