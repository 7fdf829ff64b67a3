/**
 * Which bytes to read to get records back by offset, a "window" at a time: the records (sorted by
 * offset) of up to a few MiB. Neighbours whose gap is small share one byte range, read through;
 * records further apart get ranges of their own, read one after another into the same buffer. A
 * record larger than a window gets a window of its own. Pure, so it is tested alone.
 */

export interface Span {
  readonly offset: number;
  readonly length: number;
}

export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface ReadWindow {
  /** Byte ranges to read, in file order, disjoint; packed one after another in the window's buffer. */
  readonly ranges: readonly ByteRange[];
  /** The spans it serves: indexes [first, last). */
  readonly first: number;
  readonly last: number;
}

export interface WindowLimits {
  /** Largest window (bytes of its ranges), unless a single span is larger. */
  readonly windowBytes: number;
  /** Largest run of unwanted bytes read through rather than skipped with a range of its own. */
  readonly maxGapBytes: number;
}

/**
 * 2 MiB windows; gaps up to 16 KiB are read through: copying that much costs about what one more
 * read does, and a sparse pick does not drag in the whole file.
 */
export const DEFAULT_WINDOW_LIMITS: WindowLimits = { windowBytes: 2 << 20, maxGapBytes: 16 << 10 };

/** Bytes a window reads. */
export function windowBytes(window: ReadWindow): number {
  let sum = 0;
  for (const range of window.ranges) sum += range.end - range.start;
  return sum;
}

/** The window that starts at span `first` (spans sorted by offset; repeats and overlaps allowed). */
export function windowAt(
  spans: readonly Span[],
  first: number,
  limits: WindowLimits = DEFAULT_WINDOW_LIMITS,
): ReadWindow {
  const ranges: ByteRange[] = [];
  const head = spans[first]!;
  let start = head.offset;
  let end = head.offset + head.length;
  let closed = 0;
  let last = first + 1;
  for (; last < spans.length; last++) {
    const span = spans[last]!;
    const spanEnd = span.offset + span.length;
    if (span.offset - end <= limits.maxGapBytes) {
      const grown = Math.max(end, spanEnd);
      if (closed + grown - start > limits.windowBytes) break;
      end = grown;
    } else {
      if (closed + (end - start) + span.length > limits.windowBytes) break;
      ranges.push({ start, end });
      closed += end - start;
      start = span.offset;
      end = spanEnd;
    }
  }
  ranges.push({ start, end });
  return { ranges, first, last };
}

/**
 * The window that starts at byte `start`, when every byte of the file is read (to hash it): windows
 * are contiguous, so bytes no span wants are read too, a window at most at a time. A window ends
 * after a span or where the next span begins, never inside a span, so no record is cut in two; a
 * span larger than a window gets one of its own. `first` is the first span not yet served (its
 * offset is at least `start`).
 */
export function coveringWindowAt(
  spans: readonly Span[],
  first: number,
  start: number,
  fileBytes: number,
  limits: WindowLimits = DEFAULT_WINDOW_LIMITS,
): ReadWindow {
  const limit = start + limits.windowBytes;
  let end = start;
  let last = first;
  for (; last < spans.length; last++) {
    const span = spans[last]!;
    const spanEnd = span.offset + span.length;
    // Take a span that fits, one that overlaps what is taken, or a large one that starts the window.
    if (spanEnd <= limit || span.offset < end || (last === first && span.offset === start))
      end = Math.max(end, spanEnd);
    else break;
  }
  if (last === first) end = Math.min(limit, first < spans.length ? spans[first]!.offset : Math.max(fileBytes, start));
  return { ranges: [{ start, end }], first, last };
}
