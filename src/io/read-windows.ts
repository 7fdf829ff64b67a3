/**
 * Which bytes to read to get records back by offset: neighbouring records (sorted by offset) share
 * one read, a "window", as long as the unwanted bytes between them are few and the window stays
 * small. A record larger than a window gets a window of its own. Pure, so it is tested alone.
 */

export interface Span {
  readonly offset: number;
  readonly length: number;
}

export interface ReadWindow {
  /** Byte range to read: [start, end). */
  readonly start: number;
  readonly end: number;
  /** The spans it serves: indexes [first, last). */
  readonly first: number;
  readonly last: number;
}

export interface WindowLimits {
  /** Largest window, unless a single span is larger. */
  readonly windowBytes: number;
  /** Largest run of unwanted bytes read through rather than skipped with a second read. */
  readonly maxGapBytes: number;
}

/** 2 MiB windows; gaps up to 64 KiB are read through (copying them costs less than a read). */
export const DEFAULT_WINDOW_LIMITS: WindowLimits = { windowBytes: 2 << 20, maxGapBytes: 64 << 10 };

/** The window that starts at span `first` (spans sorted by offset; repeats and overlaps allowed). */
export function windowAt(spans: readonly Span[], first: number, limits: WindowLimits = DEFAULT_WINDOW_LIMITS): ReadWindow {
  const head = spans[first]!;
  const start = head.offset;
  let end = head.offset + head.length;
  let last = first + 1;
  for (; last < spans.length; last++) {
    const span = spans[last]!;
    const spanEnd = Math.max(end, span.offset + span.length);
    if (span.offset - end > limits.maxGapBytes || spanEnd - start > limits.windowBytes) break;
    end = spanEnd;
  }
  return { start, end, first, last };
}

/**
 * The window that starts at byte `start`, when every byte of the file is read (to hash it): windows
 * are contiguous, so bytes no span wants are read too, a window at most at a time. A window ends
 * after a span or where the next span begins, never inside a span, so no record is cut in two; a
 * span larger than a window gets one of its own. `first` is the first span not yet served (its
 * offset is at least `start`).
 */
export function coveringWindowAt(spans: readonly Span[], first: number, start: number, fileBytes: number, limits: WindowLimits = DEFAULT_WINDOW_LIMITS): ReadWindow {
  const limit = start + limits.windowBytes;
  let end = start;
  let last = first;
  for (; last < spans.length; last++) {
    const span = spans[last]!;
    const spanEnd = span.offset + span.length;
    // Take a span that fits, one that overlaps what is taken, or a large one that starts the window.
    if (spanEnd <= limit || span.offset < end || (last === first && span.offset === start)) end = Math.max(end, spanEnd);
    else break;
  }
  if (last === first) end = Math.min(limit, first < spans.length ? spans[first]!.offset : Math.max(fileBytes, start));
  return { start, end, first, last };
}
