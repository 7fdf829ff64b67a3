/**
 * Read chosen records again by position. Plain files are read at their byte offsets (a few
 * `pread`s, no matter the file size); compressed streams are decompressed once more and the
 * wanted offsets picked as they pass.
 */
import { open } from 'node:fs/promises';
import { compressionOf } from './byte-stream.js';
import type { RecordFormat } from './detect-format.js';
import type { RawRecord } from './raw-record.js';
import { readRecords } from './read-records.js';

export interface Extent {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
}

export interface ReadAtOptions {
  readonly format: RecordFormat;
  readonly displayPath: string;
  readonly signal?: AbortSignal | undefined;
}

/** Yields the records at `extents` (sorted by offset), in that order. */
export async function* readAt(file: string, extents: readonly Extent[], options: ReadAtOptions): AsyncGenerator<RawRecord> {
  if (compressionOf(file) === 'none') {
    const handle = await open(file, 'r');
    try {
      for (const extent of extents) {
        const buffer = Buffer.allocUnsafe(extent.length);
        const { bytesRead } = await handle.read(buffer, 0, extent.length, extent.offset);
        yield { ...extent, text: buffer.toString('utf8', 0, bytesRead) };
      }
    } finally {
      await handle.close();
    }
    return;
  }
  let next = 0;
  for await (const batch of readRecords(file, options)) {
    for (const record of batch) {
      if (next < extents.length && record.offset === extents[next]!.offset) {
        yield record;
        next++;
      }
    }
    if (next >= extents.length) return;
  }
}
