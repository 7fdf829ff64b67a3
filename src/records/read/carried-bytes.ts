/**
 * The bytes of a record that spans input chunks, kept until it ends. Short records keep their
 * chunks and are joined once; a record past `OWN_FROM` bytes is copied into a buffer of its own as
 * its chunks arrive, so each chunk is garbage at once rather than held to the record's end and
 * then copied beside the joined bytes (twice the record). That buffer grows by doubling: at most
 * twice the bytes so far while it grows, the old one given back at once.
 */
import { releaseMemory } from '../../workers/release-memory.js';

/** Past this many bytes a record's chunks are copied as they come. */
export const OWN_FROM = 16 << 20;

export class CarriedBytes {
  private chunks: Buffer[] = [];
  private own: Buffer | undefined;
  /** Bytes carried so far. */
  length = 0;

  add(chunk: Buffer): void {
    if (this.own) {
      this.copyIn(chunk);
      return;
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.length < OWN_FROM) return;
    const chunks = this.chunks;
    this.chunks = [];
    this.own = Buffer.allocUnsafeSlow(2 * this.length);
    this.length = 0;
    for (const carried of chunks) this.copyIn(carried);
  }

  /**
   * The carried bytes and `tail` as one buffer, and whether it is this record's own (the caller
   * may then give its memory back once done with it); the carry is empty again afterwards.
   */
  take(tail: Buffer): { bytes: Buffer; own: boolean } {
    const own = this.own;
    if (!own) {
      const bytes = Buffer.concat([...this.chunks, tail]);
      this.clear();
      return { bytes, own: false };
    }
    this.copyIn(tail);
    const bytes = this.own!.subarray(0, this.length);
    this.own = undefined;
    this.length = 0;
    return { bytes, own: true };
  }

  clear(): void {
    this.chunks = [];
    if (this.own) void releaseMemory(this.own.buffer);
    this.own = undefined;
    this.length = 0;
  }

  private copyIn(chunk: Buffer): void {
    let own = this.own!;
    if (this.length + chunk.length > own.length) {
      own = regrown(own, own.subarray(0, this.length), this.length + chunk.length);
      this.own = own;
    }
    this.length += chunk.copy(own, this.length);
  }
}

/**
 * A buffer of its own, at least `atLeast` bytes and twice `previous` (so growing by chunks costs
 * linear time), holding `kept` at its start; `previous` is given back at once. `kept` may be a view
 * into `previous`: it is copied before the release detaches it.
 */
export function regrown(previous: Buffer | undefined, kept: Uint8Array, atLeast: number): Buffer {
  const grown = Buffer.allocUnsafeSlow(Math.max(2 * (previous?.length ?? 0), atLeast));
  grown.set(kept, 0);
  if (previous) void releaseMemory(previous.buffer);
  return grown;
}
