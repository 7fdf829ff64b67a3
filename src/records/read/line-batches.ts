/**
 * JSONL split into lines without decoding them: a batch is one block of bytes and the extents of
 * its non-blank lines. The scan hands the block to a worker thread whole (a transfer, not a copy)
 * and the worker decodes and parses there, so this thread only looks for newlines.
 *
 * A Buffer splitter (`indexOf(10)`), about 13× faster than `readline` on this workload
 * (../shared/notes/deps-measured.md). Handles a UTF-8 BOM, CRLF and blank lines; a final line
 * without a newline is still a record. Small chunks (a zstd pipe delivers 64 KiB) are gathered to
 * about BLOCK_BYTES before splitting, so batches are large enough to be worth a message.
 */

import type { BlockPool } from '../../io/block-pool.js';
import { DEFAULT_READ_LIMITS, type ReadLimits, recordTooLarge } from '../../io/read-limits.js';
import { releaseMemory } from '../../workers/release-memory.js';

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/** Bytes gathered before a block is split: batches of several hundred typical records. */
export const BLOCK_BYTES = 1 << 20;

/**
 * An unfinished line this long is copied into one buffer as its chunks arrive, instead of
 * gathering the chunks and joining them at its end: joining a 300 MB line held the chunks and
 * the joined copy at once (2× the line). The buffer is sized for the longest line the limit lets
 * through, which costs address space only: the pages hold nothing until bytes are written.
 */
export const LONG_LINE_BYTES = 8 << 20;

export interface LineBatch {
  /** The block; each line's bytes are `bytes.subarray(starts[i], ends[i])` (no newline, no CR). */
  bytes: Uint8Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  /** 1-based line numbers. */
  readonly lines: Float64Array;
  /** Offset of `bytes[0]` in the (decompressed) stream. */
  readonly base: number;
}

function isBlank(buffer: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = buffer[i]!;
    if (byte !== 32 && byte !== 9 && byte !== CARRIAGE_RETURN) return false;
  }
  return true;
}

/** Newline bytes in `buffer` from `from` up to (not including) `to`. */
export function countNewlines(buffer: Uint8Array, from = 0, to = buffer.length): number {
  let count = 0;
  for (let at = buffer.indexOf(NEWLINE, from); at !== -1 && at < to; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** Splits `block` (its own memory, ending at a line end or the end of the stream) into a batch. */
function splitBlock(
  block: Buffer,
  base: number,
  firstLine: number,
  final: boolean,
  tooLong: (line: number, bytes: number) => void,
): { batch: LineBatch; lines: number } {
  const slots = countNewlines(block) + (final ? 1 : 0);
  const starts = new Uint32Array(slots);
  const ends = new Uint32Array(slots);
  const lines = new Float64Array(slots);
  let kept = 0;
  let line = firstLine;
  let start = 0;
  const take = (end: number) => {
    let stop = end;
    if (stop > start && block[stop - 1] === CARRIAGE_RETURN) stop--;
    tooLong(line, stop - start);
    if (!isBlank(block, start, stop)) {
      starts[kept] = start;
      ends[kept] = stop;
      lines[kept] = line;
      kept++;
    }
    line++;
  };
  for (let end = block.indexOf(NEWLINE); end !== -1; end = block.indexOf(NEWLINE, start)) {
    take(end);
    start = end + 1;
  }
  if (final && start < block.length) take(block.length);
  const batch: LineBatch = {
    bytes: block,
    starts: starts.subarray(0, kept),
    ends: ends.subarray(0, kept),
    lines: lines.subarray(0, kept),
    base,
  };
  return { batch, lines: line - firstLine };
}

/** Chunks, and optionally a way to say a chunk's bytes are no longer needed (io/byte-stream.ts). */
export type Chunks = AsyncIterable<Buffer> & { readonly release?: (chunk: Buffer) => void };

/**
 * A long line's chunk, once copied: given back to its stream, or, when it is all of its memory
 * (a file read's chunk: no one else holds it), freed at once. Left to the collector, the chunks
 * of a 300 MB line stayed in memory for seconds after the scan, into the write phase.
 */
function copiedChunk(chunks: Chunks, chunk: Buffer): void {
  if (chunks.release) chunks.release(chunk);
  else if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) void releaseMemory(chunk.buffer);
}

/**
 * `parts` joined in memory of their own (never Node's shared pool, which cannot be transferred);
 * each part is released once copied.
 */
function ownedConcat(
  parts: readonly Buffer[],
  total: number,
  blocks: BlockPool | undefined,
  release: ((chunk: Buffer) => void) | undefined,
  room = total,
): Buffer {
  const block = blocks ? blocks.take(total) : Buffer.allocUnsafeSlow(room);
  let at = 0;
  for (const part of parts) {
    block.set(part, at);
    at += part.length;
    release?.(part);
  }
  return block;
}

export interface LineBatchOptions {
  /** Where the bytes come from; the consumer gives them back when done. */
  readonly blocks?: BlockPool | undefined;
  /** For the error of a line past `limits.maxRecordBytes`. */
  readonly displayPath?: string;
  readonly limits?: ReadLimits | undefined;
  /** Where the chunks begin in the file, and the line number there (a piece of a file); 0 and 1 when absent. */
  readonly startByte?: number;
  readonly startLine?: number;
}

/** Newlines in `parts`, for the line number of an unfinished line (only on the error path). */
function newlinesIn(parts: readonly Buffer[]): number {
  return parts.reduce((count, part) => count + countNewlines(part), 0);
}

/**
 * Yields batches of whole lines; every batch owns its bytes (safe to transfer to a worker). With
 * `blocks`, the bytes come from that pool, and the consumer gives them back when done. A line
 * longer than `limits.maxRecordBytes` is INPUT_LIMIT as soon as its bytes pass the limit, so an
 * endless line (a gzip bomb of zeros) costs at most the limit in memory.
 */
export async function* lineBatches(chunks: Chunks, options: LineBatchOptions = {}): AsyncGenerator<LineBatch> {
  const { blocks } = options;
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  let gathered: Buffer[] = [];
  let gatheredBytes = 0;
  /** Bytes of the unfinished last line among the gathered ones; whether they hold a line end. */
  let tail = 0;
  let hasLineEnd = false;
  let offset = options.startByte ?? 0; // stream offset of the first gathered byte
  let line = options.startLine ?? 1;
  // A byte-order mark can only stand at the start of the file.
  let first = offset === 0;
  /** Past LONG_LINE_BYTES of an unfinished line: every gathered byte, in memory of its own, instead of `gathered`. */
  let long: Buffer | undefined;
  const intoLong = (chunk: Buffer) => {
    let into = long!;
    const used = gatheredBytes - chunk.length;
    if (used + chunk.length > into.length) {
      // Only the chunk that ends a line at the limit can overrun the room the limit leaves.
      const grown = Buffer.allocUnsafeSlow(used + chunk.length + BLOCK_BYTES);
      grown.set(into.subarray(0, used));
      into = long = grown;
    }
    into.set(chunk, used);
    copiedChunk(chunks, chunk);
  };
  const flush = (final: boolean): LineBatch | undefined => {
    let block = long ? long.subarray(0, gatheredBytes) : ownedConcat(gathered, gatheredBytes, blocks, chunks.release);
    long = undefined;
    gathered = [];
    gatheredBytes = 0;
    if (first && block.length > 0) {
      first = false;
      if (block[0] === 0xef && block[1] === 0xbb && block[2] === 0xbf) {
        block = block.subarray(3);
        offset += 3;
      }
    }
    const cut = final ? block.length : block.lastIndexOf(NEWLINE) + 1;
    hasLineEnd = false;
    if (cut < block.length) {
      // The unfinished last line is copied out: the block's memory goes to a worker.
      gathered.push(Buffer.from(block.subarray(cut)));
      gatheredBytes = block.length - cut;
    }
    tail = gatheredBytes;
    if (cut === 0) return undefined;
    const { batch, lines } = splitBlock(block.subarray(0, cut), offset, line, final, (at, bytes) => {
      if (bytes > limits.maxRecordBytes)
        throw recordTooLarge({ file: options.displayPath ?? '', line: at }, `line ${at}`, limits);
    });
    offset += cut;
    line += lines;
    return batch.starts.length > 0 ? batch : undefined;
  };
  const reader = chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await reader.next();
      } catch (error) {
        // A failing stream (truncated gzip) still yields every whole line before the failure.
        const batch = gatheredBytes > 0 ? flush(false) : undefined;
        if (batch) yield batch;
        throw error;
      }
      if (next.done) break;
      const chunk = next.value;
      const lineEnd = chunk.lastIndexOf(NEWLINE);
      if (lineEnd >= 0) {
        tail = chunk.length - lineEnd - 1;
        hasLineEnd = true;
      } else tail += chunk.length;
      if (tail > limits.maxRecordBytes) {
        const before = long ? [long.subarray(0, gatheredBytes)] : gathered;
        const at = line + newlinesIn([...before, chunk]);
        throw recordTooLarge({ file: options.displayPath ?? '', line: at }, `line ${at}`, limits);
      }
      gatheredBytes += chunk.length;
      if (long) intoLong(chunk);
      else gathered.push(chunk);
      if (!long && tail >= LONG_LINE_BYTES) {
        // Room for the bytes before the line, the line at its limit, a CR and the newline.
        const room = Math.max(gatheredBytes, gatheredBytes - tail + limits.maxRecordBytes + 2);
        long = ownedConcat(gathered, gatheredBytes, undefined, (chunk) => copiedChunk(chunks, chunk), room);
        gathered = [];
      }
      // A long line is gathered whole before its block is made: one copy of its bytes, not one per doubling.
      if (gatheredBytes < BLOCK_BYTES || !hasLineEnd) continue;
      const batch = flush(false);
      if (batch) yield batch;
    }
  } finally {
    await reader.return?.();
  }
  if (gatheredBytes > 0) {
    const batch = flush(true);
    if (batch) yield batch;
  }
}
