/**
 * Where each record the near-duplicate check keeps sits (file, line, byte extent) and what it
 * counts under (group, source), in typed arrays: 28 bytes a record. A near-duplicate example pair
 * shows both texts, but the earlier record has long passed by the time its partner is read;
 * keeping every record's text for the few pairs shown would cost more than its shingle set, so
 * the pair's earlier side is read again from this location when the report is made.
 */

/** A record's place in the audited files; strings are indices into the caller's name tables. */
export interface RecordLocation {
  readonly file: number;
  readonly line: number;
  /** Byte offset in the decompressed stream (Parquet: row index), as `io/read-at` takes it. */
  readonly offset: number;
  readonly length: number;
  readonly group: number;
  readonly source: number;
}

function grownU32(array: Uint32Array): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(array.length * 2);
  out.set(array);
  return out;
}

/** A growable table of `RecordLocation`s, ids in push order. */
export class RecordLocations {
  private files: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private groups = new Uint32Array(1024);
  private sources = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Store a location; returns its id (0, 1, 2, …). */
  push(location: RecordLocation): number {
    if (this.count === this.files.length) this.grow();
    const id = this.count++;
    this.files[id] = location.file;
    this.lines[id] = location.line;
    this.offsets[id] = location.offset;
    this.lengths[id] = location.length;
    this.groups[id] = location.group;
    this.sources[id] = location.source;
    return id;
  }

  get(id: number): RecordLocation {
    if (!(id >= 0 && id < this.count)) throw new RangeError(`no record location ${id} (have ${this.count})`);
    return {
      file: this.files[id]!,
      line: this.lines[id]!,
      offset: this.offsets[id]!,
      length: this.lengths[id]!,
      group: this.groups[id]!,
      source: this.sources[id]!,
    };
  }

  private grow(): void {
    this.files = grownU32(this.files);
    this.lines = grownU32(this.lines);
    this.lengths = grownU32(this.lengths);
    this.groups = grownU32(this.groups);
    this.sources = grownU32(this.sources);
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
  }
}
