/**
 * The greedy near-duplicate filter's memory: the items accepted so far, findable by LSH and
 * verified by exact Jaccard.
 *
 * The caller offers items in priority order. An item whose best verified match among the
 * *accepted* items reaches the threshold is dropped, with that match as evidence; otherwise it is
 * accepted and stored. Dropped items are never stored, so there is no transitive chaining: if
 * A ~ B and B ~ C but A ≁ C, and B was dropped for A, then C is kept unless it matches A or
 * another accepted item itself. A bucket collision alone never drops anything.
 *
 * Because each decision depends only on the items offered before it, the decisions for a prefix
 * of the priority order are the same whatever comes after: selections stay nested (DESIGN §3.9).
 *
 * Memory per accepted item: its shingle set (4 bytes a shingle) plus about 20 bytes per band; none
 * for an item known to collide with no other (`acceptAlone`).
 */
import { BucketTable } from './bucket-table.js';
import { DEFAULT_NEAR_DUP_SETTINGS } from './defaults.js';
import { jaccard, jaccardUpperBound } from './jaccard.js';
import { murmurWords } from '../text/hash32.js';

export interface NearDupIndexOptions {
  /** Exact Jaccard at or above which an item is a near duplicate of an accepted one. */
  readonly threshold: number;
  readonly bands: number;
  readonly rows: number;
}

/** The evidence for dropping an item: the accepted item it matches best, and how well. */
export interface NearDupMatch<Id> {
  readonly matchId: Id;
  /** Exact Jaccard of the two shingle sets (≥ the threshold). */
  readonly jaccard: number;
}

/** Counters for the manifest and for tuning. */
export interface NearDupStats {
  /** Items accepted (stored). */
  readonly accepted: number;
  /** Distinct (query, accepted item) pairs that shared a band. */
  readonly candidates: number;
  /** Candidates whose exact Jaccard fell below the threshold: collisions that dropped nothing. */
  readonly rejectedCandidates: number;
}

/** Seed of the band-key hash (any fixed value; bands are also told apart by their own tables). */
const BAND_SEED = 0x0ba5e7;

export class NearDupIndex<Id = string> {
  readonly threshold: number;
  readonly bands: number;
  readonly rows: number;
  private readonly tables: BucketTable[];
  private readonly ids: Id[] = [];
  private readonly sets: Uint32Array[] = [];
  /** Per accepted item, the number of the last query that saw it: dedupes candidates across bands. */
  private lastQuery = new Int32Array(1024);
  /** Per item, 1 while its stored shingles are still in text order (`addByBands`). */
  private unsorted = new Uint8Array(1024);
  private queries = 0;
  /** Items accepted without being stored (`acceptAlone`). */
  private alone = 0;
  private candidateCount = 0;
  private rejectedCount = 0;

  constructor(options: NearDupIndexOptions = DEFAULT_NEAR_DUP_SETTINGS) {
    const { threshold, bands, rows } = options;
    if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
    if (!Number.isInteger(bands) || bands < 1) throw new RangeError(`bands must be a positive integer, got ${bands}`);
    if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`);
    this.threshold = threshold;
    this.bands = bands;
    this.rows = rows;
    this.tables = Array.from({ length: bands }, () => new BucketTable());
  }

  /** Signature length this index expects: bands × rows. */
  get permutations(): number {
    return this.bands * this.rows;
  }

  get stats(): NearDupStats {
    return {
      accepted: this.ids.length + this.alone,
      candidates: this.candidateCount,
      rejectedCandidates: this.rejectedCount,
    };
  }

  /**
   * The accepted item this one near-duplicates best (highest exact Jaccard, ties to the earliest
   * accepted), or undefined. `shingles` must be sorted without repeats (as `shingles()` returns).
   */
  findMatch(shingles: Uint32Array, signature: Int32Array): NearDupMatch<Id> | undefined {
    return this.matchByKeys(shingles, this.bandKeys(signature));
  }

  /** Store an accepted item. Empty shingle sets are counted but never indexed (they match nothing). */
  add(id: Id, shingles: Uint32Array, signature: Int32Array): void {
    this.store(id, shingles, this.bandKeys(signature));
  }

  /**
   * `findMatch` with the signature's band keys computed elsewhere (`lshBandKeys`, e.g. in a worker
   * thread), and the shingles in any order with repeats allowed (`shingleHashes`): the same
   * answer, since band keys are all the index uses of a signature, and a sorted copy of the set is
   * made only when a candidate needs an exact Jaccard (rarely: most items have no candidate).
   */
  findMatchByBands(shingles: Uint32Array, bandKeys: Uint32Array): NearDupMatch<Id> | undefined {
    this.checkBandKeys(bandKeys);
    return this.matchByKeys(shingles, bandKeys, false);
  }

  /**
   * `findMatchByBands` when any verified match will do: the first one found (the newest item of
   * the first band that holds one) instead of the best. Whether there is a match is the same
   * answer; the cost is not. Inside a cluster of n near-identical stored items the best match
   * needs every one of them verified, n² in all, where the first match is usually the first
   * candidate.
   */
  findAnyMatchByBands(shingles: Uint32Array, bandKeys: Uint32Array): NearDupMatch<Id> | undefined {
    this.checkBandKeys(bandKeys);
    return this.matchByKeys(shingles, bandKeys, false, true);
  }

  /** `add` with band keys computed elsewhere and the shingles in any order, as `findMatchByBands`. */
  addByBands(id: Id, shingles: Uint32Array, bandKeys: Uint32Array): void {
    this.checkBandKeys(bandKeys);
    this.store(id, shingles, bandKeys, false);
  }

  /**
   * One greedy step: the match if the item near-duplicates an accepted one (it is then not
   * stored), else undefined after storing it.
   */
  offer(id: Id, shingles: Uint32Array, signature: Int32Array): NearDupMatch<Id> | undefined {
    const keys = this.bandKeys(signature);
    const match = this.matchByKeys(shingles, keys);
    if (!match) this.store(id, shingles, keys);
    return match;
  }

  /** `offer` with the signature's band keys computed elsewhere (`lshBandKeys`, e.g. in a worker thread). */
  offerByBands(id: Id, shingles: Uint32Array, bandKeys: Uint32Array): NearDupMatch<Id> | undefined {
    this.checkBandKeys(bandKeys);
    const match = this.matchByKeys(shingles, bandKeys);
    if (!match) this.store(id, shingles, bandKeys);
    return match;
  }

  /**
   * `offer` for an item known to share no band key with any other item offered, before or after
   * it (`sharesABandKey`): it has no candidate, so it is accepted; and no later item can have it
   * as a candidate, so it is counted, not stored (its shingles are not needed).
   */
  acceptAlone(): void {
    this.alone++;
  }

  /**
   * `sorted`: the query's shingles are a sorted set already; else a sorted copy is made on first need.
   * `first`: stop at the first verified match rather than look for the best.
   */
  private matchByKeys(
    shingles: Uint32Array,
    keys: Uint32Array,
    sorted = true,
    first = false,
  ): NearDupMatch<Id> | undefined {
    if (shingles.length === 0) return undefined;
    const query = ++this.queries;
    let best = -1;
    let bestJaccard = 0;
    let set = sorted ? shingles : undefined;
    const visit = (item: number): boolean => {
      if (this.lastQuery[item] === query) return false;
      this.lastQuery[item] = query;
      this.candidateCount++;
      const stored = this.setOf(item);
      set ??= sortedSet(shingles);
      const similarity = jaccardUpperBound(stored.length, set.length) < this.threshold ? 0 : jaccard(stored, set);
      if (similarity < this.threshold) {
        this.rejectedCount++;
        return false;
      }
      if (similarity > bestJaccard || (similarity === bestJaccard && item < best)) {
        best = item;
        bestJaccard = similarity;
      }
      return first;
    };
    for (let band = 0; band < this.bands; band++) if (this.tables[band]!.some(keys[band]!, visit)) break;
    return best < 0 ? undefined : { matchId: this.ids[best]!, jaccard: bestJaccard };
  }

  /** The stored set of an item, sorted (in place of the stored hashes) if it came unsorted. */
  private setOf(item: number): Uint32Array {
    if (this.unsorted[item] === 0) return this.sets[item]!;
    const set = sortedSet(this.sets[item]!);
    this.sets[item] = set;
    this.unsorted[item] = 0;
    return set;
  }

  private store(id: Id, shingles: Uint32Array, keys: Uint32Array, sorted = true): void {
    const item = this.ids.length;
    this.ids.push(id);
    this.sets.push(shingles);
    if (item === this.lastQuery.length) {
      const grown = new Int32Array(item * 2);
      grown.set(this.lastQuery);
      this.lastQuery = grown;
      const flags = new Uint8Array(item * 2);
      flags.set(this.unsorted);
      this.unsorted = flags;
    }
    this.unsorted[item] = sorted ? 0 : 1;
    if (shingles.length === 0) return;
    for (let band = 0; band < this.bands; band++) this.tables[band]!.add(keys[band]!, item);
  }

  private bandKeys(signature: Int32Array): Uint32Array {
    this.checkSignature(signature);
    return lshBandKeys(signature, this.bands, this.rows);
  }

  private checkBandKeys(keys: Uint32Array): void {
    if (keys.length !== this.bands) throw new RangeError(`${keys.length} band keys, expected ${this.bands}`);
  }

  private checkSignature(signature: Int32Array): void {
    if (signature.length !== this.bands * this.rows) {
      throw new RangeError(
        `signature has ${signature.length} slots, expected bands × rows = ${this.bands * this.rows}`,
      );
    }
  }
}

/** One 32-bit key per band of a `bands × rows` signature: MurmurHash3 of the band's rows. */
export function lshBandKeys(signature: Int32Array, bands: number, rows: number): Uint32Array {
  const keys = new Uint32Array(bands);
  for (let band = 0; band < bands; band++) keys[band] = murmurWords(signature, band * rows, rows, BAND_SEED);
  return keys;
}

/** A sorted copy of shingle hashes without repeats (the input is left as it is). */
export function sortedSet(hashes: Uint32Array): Uint32Array {
  const sorted = Uint32Array.from(hashes).sort();
  let w = sorted.length === 0 ? 0 : 1;
  for (let r = 1; r < sorted.length; r++) if (sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r]!;
  return w === sorted.length ? sorted : sorted.slice(0, w);
}
