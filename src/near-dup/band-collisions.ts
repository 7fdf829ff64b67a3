/**
 * Which items the greedy near-duplicate pass can ever compare. `NearDupIndex` verifies a pair
 * only when the two items hold the same key in some band, so an item whose every band key is its
 * own (no other item has it in that band) is accepted without a single comparison and never
 * compared later. Knowing that up front, compose keeps no shingle set for such items: it reads
 * again and shingles only the colliders (planted near pairs and the rare chance collision: a few
 * per cent of the candidates, not all of them).
 */

/**
 * Per item, 1 when it shares some band's key with another item, else 0. `keys`: `bands` keys
 * per item, item after item (`lshBandKeys` of each, in one array).
 */
export function sharesABandKey(keys: Uint32Array, bands: number): Uint8Array {
  if (bands < 1 || keys.length % bands !== 0)
    throw new RangeError(`${keys.length} keys is not a whole number of items of ${bands} bands`);
  const count = keys.length / bands;
  const flags = new Uint8Array(count);
  const column = new Uint32Array(count);
  for (let band = 0; band < bands; band++) {
    for (let i = 0; i < count; i++) column[i] = keys[i * bands + band]!;
    const sorted = column.slice().sort();
    const repeated = new Set<number>();
    for (let i = 1; i < count; i++) if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i]!);
    if (repeated.size === 0) continue;
    for (let i = 0; i < count; i++) if (repeated.has(column[i]!)) flags[i] = 1;
  }
  return flags;
}
