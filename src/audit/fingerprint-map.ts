/**
 * A map from 64-bit content fingerprints to one unsigned 32-bit value (a count or a bit set), in
 * 12 bytes per distinct key. This is what keeps an audit's memory at "a fingerprint per record":
 * duplicate counts, train/validation leaks and eval overlap are all lookups in one of these,
 * never a set of strings or records.
 *
 * Collisions of 64-bit fingerprints are as rare as in `select/fingerprint-table.ts` (about n²/2⁶⁵);
 * a collision makes two different records look like duplicates, deterministically.
 */
import { hash } from 'node:crypto';
import { fingerprintOf } from '../keys/hashing.js';

/** A content key (32 hex chars) as the two 32-bit halves the map stores. */
export type Fingerprint = readonly [number, number];

/** The fingerprint of a content key. */
export function fingerprint(key: string): Fingerprint {
  return fingerprintOf(key);
}

/**
 * `fingerprint(contentKey(text))` without the hex string: the first 64 bits of the text's md5,
 * big-endian, as `fingerprintOf` parses them from the hex key.
 */
export function textFingerprint(text: string): Fingerprint {
  const digest = hash('md5', text, 'buffer');
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

/**
 * The fingerprint of (key, tag): the same content counted separately per tag (a source index).
 * Mixing a tag into a uniformly random 64-bit value keeps it uniformly random.
 */
export function taggedFingerprint(fp: Fingerprint, tag: number): Fingerprint {
  return [(fp[0] ^ Math.imul(tag + 1, 0x9e3779b1)) >>> 0, fp[1]];
}

export class FingerprintMap {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private values: Uint32Array;
  /** 1 where a slot holds a key; values alone cannot say so because 0 is a valid value. */
  private used: Uint8Array;
  private count = 0;

  constructor(initialCapacity = 1 << 10) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.values = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  /** Distinct keys held. */
  get size(): number {
    return this.count;
  }

  /** The value of `fp`, or undefined when absent. */
  get(fp: Fingerprint): number | undefined {
    const slot = this.find(fp[0], fp[1]);
    return this.used[slot] ? this.values[slot] : undefined;
  }

  /** Add `delta` to the value of `fp` (absent counts as 0) and return the new value. */
  add(fp: Fingerprint, delta = 1): number {
    const slot = this.slotFor(fp);
    this.values[slot] = this.values[slot]! + delta;
    return this.values[slot]!;
  }

  /** OR `bits` into the value of `fp` and return the value it had before (0 when absent). */
  or(fp: Fingerprint, bits: number): number {
    const slot = this.slotFor(fp);
    const before = this.values[slot]!;
    this.values[slot] = (before | bits) >>> 0;
    return before;
  }

  /** Every (hi, lo, value), in slot order: deterministic for the same inserts. */
  *entries(): Generator<readonly [number, number, number]> {
    for (let i = 0; i < this.used.length; i++) {
      if (this.used[i]) yield [this.hi[i]!, this.lo[i]!, this.values[i]!];
    }
  }

  private find(hi: number, lo: number): number {
    const mask = this.used.length - 1;
    let slot = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & mask;
    while (this.used[slot] && (this.hi[slot] !== hi || this.lo[slot] !== lo)) slot = (slot + 1) & mask;
    return slot;
  }

  private slotFor(fp: Fingerprint): number {
    let slot = this.find(fp[0], fp[1]);
    if (this.used[slot]) return slot;
    if ((this.count + 1) * 2 > this.used.length) {
      this.grow();
      slot = this.find(fp[0], fp[1]);
    }
    this.used[slot] = 1;
    this.hi[slot] = fp[0];
    this.lo[slot] = fp[1];
    this.values[slot] = 0;
    this.count++;
    return slot;
  }

  private grow(): void {
    const { hi, lo, values, used } = this;
    const capacity = used.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.values = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    for (let i = 0; i < used.length; i++) {
      if (!used[i]) continue;
      const slot = this.find(hi[i]!, lo[i]!);
      this.used[slot] = 1;
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.values[slot] = values[i]!;
    }
  }
}
