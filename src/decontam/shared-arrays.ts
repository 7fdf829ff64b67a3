/**
 * Typed arrays copied into shared memory, so worker threads read one eval index instead of each
 * building its own (`EvalIndex.toShared`): a `SharedArrayBuffer` crosses `postMessage` without a
 * copy. Shared arrays are only read once shared; each thread keeps its own scratch arrays.
 */

type IntArray = Int32Array | Uint32Array | Uint8Array;

/** A copy of `array` (its visible part) over a new `SharedArrayBuffer`. */
export function sharedCopy<T extends IntArray>(array: T): T {
  const buffer = new SharedArrayBuffer(array.byteLength);
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(buffer);
  copy.set(array as never);
  return copy;
}
