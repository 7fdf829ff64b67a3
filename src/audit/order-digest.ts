/**
 * One value for a sequence of records: sha256 over their content fingerprints in reading order.
 * Two train splits with equal digests hold the same contents, the same number of copies of each,
 * in the same order — record for record the same training data, whatever their shard layout.
 * (Not comparable with a manifest's `point.trainDigest`, which compose takes over its own keys.)
 */
import { createHash, type Hash } from 'node:crypto';
import type { Fingerprint } from './fingerprint-map.js';

/** Fingerprints buffered before they go to the hash: one update per 4,096 records. */
const BATCH = 4096;

export class OrderDigest {
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer = Buffer.alloc(BATCH * 8);
  private used = 0;
  private count = 0;

  /** Records added so far. */
  get records(): number {
    return this.count;
  }

  add(fp: Fingerprint): void {
    this.buffer.writeUInt32BE(fp[0] >>> 0, this.used);
    this.buffer.writeUInt32BE(fp[1] >>> 0, this.used + 4);
    this.used += 8;
    this.count++;
    if (this.used === this.buffer.length) this.flush();
  }

  /** The hex digest; the digest is final afterwards. */
  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  private flush(): void {
    if (this.used > 0) this.hash.update(this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}
