/**
 * Which group first claimed each content key, over every input record, in 17 bytes per slot, at
 * most half the slots used (64-bit fingerprint, owner, and the file and line of its first copy,
 * the evidence for duplicates). This is the "compact structure over all input keys" of DESIGN
 * §3.9: it makes cross-group ownership and duplicate counts independent of quotas, so sweeps stay
 * nested.
 *
 * The slots are split into 256 shards by the fingerprint's top byte, each growing on its own: a
 * single table doubling at 2M keys held its old and new arrays at once (+50 % of the table for a
 * moment, 34 MB at 2 × 1M records), a shard holds 1/256 of that.
 *
 * A 64-bit fingerprint collides with probability about n²/2⁶⁵ (1e-7 for 2M distinct keys); a
 * collision would treat two different records as duplicates, which is deterministic and harmless.
 */

const EMPTY = 0;

/** One open-addressing table: one of the 256 shards. */
class FingerprintShard {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** Owner index + 1; 0 marks an empty slot. */
  private owner: Uint8Array;
  /** Where the first copy was read (file index, line or row): the evidence for a duplicate. */
  private firstFile: Uint32Array;
  private firstLine: Uint32Array;
  private count = 0;
  /** After `claim` found a key: where its first copy was read. */
  readonly found = { fileIndex: 0, line: 0 };

  /**
   * @param trackFirst keep where each key's first copy was read (8 more bytes a slot); compose
   *   needs it for duplicate evidence, counting alone (inspect) does not.
   */
  constructor(
    initialCapacity = 1 << 16,
    private readonly trackFirst = true,
  ) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.owner = new Uint8Array(capacity);
    this.firstFile = new Uint32Array(trackFirst ? capacity : 0);
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
    if ((this.count + 1) * 2 > this.owner.length) this.grow();
    const mask = this.owner.length - 1;
    let slot = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const current = this.owner[slot]!;
      if (current === EMPTY) {
        this.hi[slot] = hi;
        this.lo[slot] = lo;
        this.owner[slot] = ownerIndex + 1;
        if (this.trackFirst) {
          this.firstFile[slot] = fileIndex;
          this.firstLine[slot] = line;
        }
        this.count++;
        return -1;
      }
      if (this.hi[slot] === hi && this.lo[slot] === lo) {
        this.found.fileIndex = this.firstFile[slot] ?? 0;
        this.found.line = this.firstLine[slot] ?? 0;
        return current - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { hi, lo, owner, firstFile, firstLine } = this;
    this.hi = new Uint32Array(owner.length * 2);
    this.lo = new Uint32Array(owner.length * 2);
    this.owner = new Uint8Array(owner.length * 2);
    this.firstFile = new Uint32Array(this.trackFirst ? owner.length * 2 : 0);
    this.firstLine = new Uint32Array(this.trackFirst ? owner.length * 2 : 0);
    this.count = 0;
    for (let i = 0; i < owner.length; i++) {
      if (owner[i] !== EMPTY) this.claim(hi[i]!, lo[i]!, owner[i]! - 1, firstFile[i] ?? 0, firstLine[i] ?? 0);
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
   * @param trackFirst keep where each key's first copy was read (8 more bytes a slot); compose
   *   needs it for duplicate evidence, counting alone (inspect) does not.
   */
  constructor(initialCapacity = 1 << 16, trackFirst = true) {
    this.shards = Array.from({ length: SHARDS }, () => new FingerprintShard(Math.ceil(initialCapacity / SHARDS), trackFirst));
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
