/**
 * Reads files once, untimed, so every timed run starts from the page cache (as
 * ../shared/bench/run.sh does with `cat`). 8 MB reads into one buffer: a 2 GB input does not
 * become a 2 GB allocation.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

export function warmPageCache(files) {
  const buffer = Buffer.allocUnsafe(8 << 20);
  for (const file of files) {
    if (!existsSync(file)) continue;
    const fd = openSync(file, 'r');
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}
