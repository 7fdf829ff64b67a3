/**
 * Ground truth for exact dedup, computed from the records' normalised keys (not from how they
 * were planted), so accidental collisions count too. Keys are observed in dedup order (sources in
 * order, records in file order); the first occurrence of a key is kept and every later one is
 * written to truth.dropped.tsv as `id <TAB> first_id <TAB> within|cross` (the format
 * ../shared/bench/verify.mjs reads).
 */

export class DedupTruth {
  constructor({ totalRecords, droppedWriter, idOfGlobal }) {
    this.slotOf = new Map();
    this.firstGlobal = new Int32Array(totalRecords);
    this.count = new Uint32Array(totalRecords);
    this.sourceMask = new Uint8Array(totalRecords);
    this.slots = 0;
    this.dropped = droppedWriter;
    this.idOfGlobal = idOfGlobal;
  }

  /** `hash`: the key's md5 as a latin1 string. Returns 'kept', 'within' or 'cross'. */
  observe(hash, globalIndex, sourceIndex, sourceStart) {
    const slot = this.slotOf.get(hash);
    if (slot === undefined) {
      const s = this.slots++;
      this.slotOf.set(hash, s);
      this.firstGlobal[s] = globalIndex;
      this.count[s] = 1;
      this.sourceMask[s] = 1 << sourceIndex;
      return 'kept';
    }
    this.count[slot]++;
    this.sourceMask[slot] |= 1 << sourceIndex;
    const first = this.firstGlobal[slot];
    const kind = first < sourceStart ? 'cross' : 'within';
    this.dropped.write(`${this.idOfGlobal(globalIndex)}\t${this.idOfGlobal(first)}\t${kind}\n`);
    return kind;
  }

  summary() {
    const histogram = {};
    let groups = 0;
    let removed = 0;
    let inSeveralSources = 0;
    for (let s = 0; s < this.slots; s++) {
      const c = this.count[s];
      if (c > 1) {
        groups++;
        removed += c - 1;
        const bucket = c >= 10 ? '10+' : String(c);
        histogram[bucket] = (histogram[bucket] ?? 0) + 1;
      }
      if (this.sourceMask[s] & (this.sourceMask[s] - 1)) inSeveralSources++;
    }
    return {
      unique_keys: this.slots,
      duplicate_groups: groups,
      records_removed: removed,
      group_size_histogram: histogram,
      keys_in_several_sources: inSeveralSources,
    };
  }
}
