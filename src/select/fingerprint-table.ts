/**
 * Which group first claimed each content key, over every input record, in 12 bytes per slot,
 * between half and three quarters of the slots used: the 64-bit fingerprint with the owner in the
 * byte the shard already stands for (8), and the place of its first copy (4: a scan-wide record
 * number, select/record-places.ts), the evidence for duplicates. This is the "compact structure
 * over all input keys" of DESIGN §3.9: it makes cross-group ownership and duplicate counts
 * independent of quotas, so sweeps stay nested. It is the one part of the scan's memory that
 * grows with the input: about 19 bytes per distinct key on average (28 when keys were 14 bytes a
 * slot and at most half the slots were used).
 *
 * The slots are split into 256 shards by the fingerprint's top byte, each growing on its own by
 * half again: a single table doubling at 2M keys held its old and new arrays at once (+50 % of the
 * table for a moment), a shard holds 1/256 of that. Since every key of a shard has the same top
 * byte, a slot keeps the owner there instead. A shard's size need not be a power of two: a key's
 * first slot is its low word scaled to the size. Linear probing at three quarters full costs a
 * few more probes on a miss, each within a cache line or two.
 *
 * A 64-bit fingerprint collides with probability about n²/2⁶⁵ (1e-7 for 2M distinct keys); a
 * collision would treat two different records as duplicates, which is deterministic and harmless.
 * Where a key lands in its shard never changes what `claim` answers.
 */

const EMPTY = 0;
const LOW_24 = 0x00ffffff;
/** Grow when a claim would fill more than this share of a shard's slots. */
const MAX_LOAD = 0.75;
const GROWTH = 1.5;
/** 2⁻³², exact: scaling by it is one rounding, the same on every machine. */
const SCALE_32 = 1 / 4294967296;

/** One open-addressing table: one of the 256 shards, for fingerprints whose top byte is `top`. */
class FingerprintShard {
  /** (owner index + 1) << 24 | the fingerprint's high word below its top byte; 0 marks an empty slot. */
  private ownerHi: Uint32Array;
  private lo: Uint32Array;
  /** Where the first copy was read (a record place): the evidence for a duplicate. */
  private firstPlace: Uint32Array | Float64Array;
  private count = 0;
  private limit = 0;
  /** After `claim` found a key: the place of its first copy. */
  foundPlace = 0;

  /**
   * @param trackFirst keep where each key's first copy was read (4 more bytes a slot); compose
   *   needs it for duplicate evidence, counting alone (inspect) does not.
   */
  constructor(
    private readonly top: number,
    initialCapacity: number,
    private readonly trackFirst: boolean,
  ) {
    const capacity = Math.max(16, Math.ceil(initialCapacity));
    this.ownerHi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.firstPlace = new Uint32Array(trackFirst ? capacity : 0);
    this.limit = Math.floor(capacity * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Claim a fingerprint for `ownerIndex` (0–254). Returns -1 when it was new, else the index of
   * the owner that claimed it first.
   */
  claim(hi: number, lo: number, ownerIndex: number, place: number): number {
    if (this.count >= this.limit) this.grow();
    // Places past 2³²−1 widen the column (a scan of over four billion lines).
    if (this.trackFirst && place > 0xffffffff && this.firstPlace instanceof Uint32Array)
      this.firstPlace = Float64Array.from(this.firstPlace);
    const { ownerHi } = this;
    const capacity = ownerHi.length;
    const hiBits = hi & LOW_24;
    // The low word is uniform (md5 bits): scaled to the size, it is the first slot to try.
    let slot = Math.floor((lo >>> 0) * SCALE_32 * capacity);
    for (;;) {
      const current = ownerHi[slot]!;
      if (current === EMPTY) {
        ownerHi[slot] = (((ownerIndex + 1) << 24) | hiBits) >>> 0;
        this.lo[slot] = lo;
        if (this.trackFirst) this.firstPlace[slot] = place;
        this.count++;
        return -1;
      }
      if ((current & LOW_24) === hiBits && this.lo[slot] === lo) {
        this.foundPlace = this.firstPlace[slot] ?? 0;
        return (current >>> 24) - 1;
      }
      if (++slot === capacity) slot = 0;
    }
  }

  private grow(): void {
    const { ownerHi, lo, firstPlace } = this;
    const capacity = Math.ceil(ownerHi.length * GROWTH);
    this.ownerHi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.firstPlace =
      firstPlace instanceof Uint32Array ? new Uint32Array(this.trackFirst ? capacity : 0) : new Float64Array(capacity);
    this.limit = Math.floor(capacity * MAX_LOAD);
    this.count = 0;
    for (let i = 0; i < ownerHi.length; i++) {
      const current = ownerHi[i]!;
      if (current !== EMPTY)
        this.claim(((this.top << 24) | (current & LOW_24)) >>> 0, lo[i]!, (current >>> 24) - 1, firstPlace[i] ?? 0);
    }
  }
}

const SHARDS = 256;

export class FingerprintTable {
  private readonly shards: FingerprintShard[];
  /** After `claim` found a key: the place of its first copy (as given to `claim`). */
  foundPlace = 0;

  /**
   * @param initialCapacity slots to start with, over all shards
   * @param trackFirst keep where each key's first copy was read (4 more bytes a slot); compose
   *   needs it for duplicate evidence, counting alone (inspect) does not.
   */
  constructor(initialCapacity = 1 << 16, trackFirst = true) {
    this.shards = Array.from(
      { length: SHARDS },
      (_, top) => new FingerprintShard(top, initialCapacity / SHARDS, trackFirst),
    );
  }

  get size(): number {
    let size = 0;
    for (const shard of this.shards) size += shard.size;
    return size;
  }

  /**
   * Claim a fingerprint for `ownerIndex` (0–254), first read at `place` (a whole number; see
   * record-places.ts). Returns -1 when it was new, else the index of the owner that claimed it
   * first, with that copy's place in `foundPlace`.
   */
  claim(hi: number, lo: number, ownerIndex: number, place = 0): number {
    const shard = this.shards[hi >>> 24]!;
    const owner = shard.claim(hi, lo, ownerIndex, place);
    if (owner !== -1) this.foundPlace = shard.foundPlace;
    return owner;
  }
}
