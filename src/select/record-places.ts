/**
 * Scan-wide record places: one number for a (file, line) pair, so the fingerprint table keeps 4
 * bytes for where a key's first copy was read instead of 6 (a file index and a line). Files are
 * scanned one after another, so each file's places start after every place handed out before it,
 * and a place maps back to its file by a binary search over the files' first places.
 */
export interface RecordPlace {
  readonly fileIndex: number;
  readonly line: number;
}

export class RecordPlaces {
  /** Per file begun, in order: its first place and its index. */
  private readonly bases: number[] = [];
  private readonly fileIndexes: number[] = [];
  /** One past the largest place handed out. */
  private next = 0;

  /** Start file `fileIndex`; returns the base to give `place` for its lines. */
  beginFile(fileIndex: number): number {
    this.bases.push(this.next);
    this.fileIndexes.push(fileIndex);
    return this.next;
  }

  /** The place of line (or row) `line` (0 or more) of the file begun with `base`. */
  place(base: number, line: number): number {
    const place = base + line;
    if (place >= this.next) this.next = place + 1;
    return place;
  }

  /** The file and line of a place handed out by `place`. */
  locate(place: number): RecordPlace {
    const { bases } = this;
    // The last file begun at or before `place` (a file with no places shares its base with the next).
    let low = 0;
    let high = bases.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (bases[middle]! <= place) low = middle;
      else high = middle - 1;
    }
    return { fileIndex: this.fileIndexes[low]!, line: place - bases[low]! };
  }
}
