/**
 * Which group first claimed each content key, over every input record, in 14 bytes per slot, at
 * most half the slots used: the 64-bit fingerprint with the owner in the byte the shard already
 * stands for (8), and the file (2) and line (4) of its first copy, the evidence for duplicates.
 * This is the "compact structure over all input keys" of DESIGN §3.9: it makes cross-group
 * ownership and duplicate counts independent of quotas, so sweeps stay nested.
 *
 * The slots are split into 256 shards by the fingerprint's top byte, each growing on its own: a
 * single table doubling at 2M keys held its old and new arrays at once (+50 % of the table for a
 * moment, 34 MB at 2 × 1M records), a shard holds 1/256 of that. Since every key of a shard has
 * the same top byte, a slot keeps the owner there instead (17 bytes a slot became 14).
 *
 * A 64-bit fingerprint collides with probability about n²/2⁶⁵ (1e-7 for 2M distinct keys); a
 * collision would treat two different records as duplicates, which is deterministic and harmless.
 */

const EMPTY = 0;
const LOW_24 = 0x00ffffff;

/** One open-addressing table: one of the 256 shards, for fingerprints whose top byte is `top`. */
class FingerprintShard {
  /** (owner index + 1) << 24 | the fingerprint's high word below its top byte; 0 marks an empty slot. */
  private ownerHi: Uint32Array;
  private lo: Uint32Array;
  /** Where the first copy was read (file index, line or row): the evidence for a duplicate. */
  private firstFile: Uint16Array | Uint32Array;
  private firstLine: Uint32Array;
  private count = 0;
  /** After `claim` found a key: where its first copy was read. */
  readonly found = { fileIndex: 0, line: 0 };

  /**
   * @param trackFirst keep where each key's first copy was read (6 more bytes a slot); compose
   *   needs it for duplicate evidence, counting alone (inspect) does not.
   */
  constructor(
    private readonly top: number,
    initialCapacity = 1 << 16,
    private readonly trackFirst = true,
  ) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.ownerHi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.firstFile = new Uint16Array(trackFirst ? capacity : 0);
    this.firstLine = new Uint32Array(trackFirst ? capacity : 0);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Claim a fingerprint for `ownerIndex` (0–254). Returns -1 when it was new, else the index of
   * the owner that claimed it first.
   */
  claim(hi: number, lo: number, ownerIndex: number, fileIndex = 0, line = 0): number {
    if ((this.count + 1) * 2 > this.ownerHi.length) this.grow();
    // File indexes past 65,535 widen the column (a scan of that many files is rare).
    if (fileIndex > 0xffff && this.firstFile instanceof Uint16Array) this.firstFile = Uint32Array.from(this.firstFile);
    const mask = this.ownerHi.length - 1;
    const hiBits = hi & LOW_24;
    let slot = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const current = this.ownerHi[slot]!;
      if (current === EMPTY) {
        this.ownerHi[slot] = (((ownerIndex + 1) << 24) | hiBits) >>> 0;
        this.lo[slot] = lo;
        if (this.trackFirst) {
          this.firstFile[slot] = fileIndex;
          this.firstLine[slot] = line;
        }
        this.count++;
        return -1;
      }
      if ((current & LOW_24) === hiBits && this.lo[slot] === lo) {
        this.found.fileIndex = this.firstFile[slot] ?? 0;
        this.found.line = this.firstLine[slot] ?? 0;
        return (current >>> 24) - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { ownerHi, lo, firstFile, firstLine } = this;
    const capacity = ownerHi.length * 2;
    this.ownerHi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.firstFile = firstFile instanceof Uint16Array ? new Uint16Array(this.trackFirst ? capacity : 0) : new Uint32Array(capacity);
    this.firstLine = new Uint32Array(this.trackFirst ? capacity : 0);
    this.count = 0;
    for (let i = 0; i < ownerHi.length; i++) {
      const current = ownerHi[i]!;
      if (current !== EMPTY) this.claim(((this.top << 24) | (current & LOW_24)) >>> 0, lo[i]!, (current >>> 24) - 1, firstFile[i] ?? 0, firstLine[i] ?? 0);
    }
  }
}

const SHARDS = 256;

export class FingerprintTable {
  private readonly shards: FingerprintShard[];
  /** After `claim` found a key: where its first copy was read. */
  readonly found = { fileIndex: 0, line: 0 };

  /**
   * @param initialCapacity slots to start with, over all shards
   * @param trackFirst keep where each key's first copy was read (6 more bytes a slot); compose
   *   needs it for duplicate evidence, counting alone (inspect) does not.
   */
  constructor(initialCapacity = 1 << 16, trackFirst = true) {
    this.shards = Array.from({ length: SHARDS }, (_, top) => new FingerprintShard(top, Math.ceil(initialCapacity / SHARDS), trackFirst));
  }

  get size(): number {
    let size = 0;
    for (const shard of this.shards) size += shard.size;
    return size;
  }

  /**
   * Claim a fingerprint for `ownerIndex` (0–254). Returns -1 when it was new, else the index of
   * the owner that claimed it first.
   */
  claim(hi: number, lo: number, ownerIndex: number, fileIndex = 0, line = 0): number {
    const shard = this.shards[hi >>> 24]!;
    const owner = shard.claim(hi, lo, ownerIndex, fileIndex, line);
    if (owner !== -1) {
      this.found.fileIndex = shard.found.fileIndex;
      this.found.line = shard.found.line;
    }
    return owner;
  }
}
