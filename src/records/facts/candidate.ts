/**
 * What the scan keeps of a record: its content key, its ranks and where to find it again.
 * Never the record itself: materialisation re-reads the few that are selected.
 *
 * Ranks are the hex digits of docs/determinism.md held as numbers: each 64-bit rank is two 32-bit
 * words with the sign bit flipped, so comparing them as (always small-integer) signed numbers
 * orders them exactly as the hex strings order. Comparing numbers instead of strings is what
 * keeps the candidate heaps cheap when millions of records are offered.
 */
import { ranksOf } from '../../keys/hashing.js';

export interface Candidate {
  /** md5 hex of the normalised text (plus origin when exact dedup is off). */
  readonly key: string;
  /** Selection rank (hex 0–15 of md5(seed:key)): lower is chosen first. */
  readonly priorityHi: number;
  readonly priorityLo: number;
  /** Validation rank (hex 16–31): lower is held out first. */
  readonly splitHi: number;
  readonly splitLo: number;
  readonly fileIndex: number;
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  /** Characters of text, for length statistics. */
  readonly chars: number;
  /** Tokens of text (by the recipe's tokenizer, else the character estimate); set when the record enters a candidate set. */
  tokens: number;
  /** Offset of the record's bytes in the scan's spill file (compressed inputs, io/record-spill.ts), or -1. */
  spill: number;
  /**
   * crc32 of the record's bytes as the scan read them, or -1 when the reader keeps no bytes (row
   * formats): the write phase checks a re-read record against it (compose/read-candidates.ts).
   */
  crc32: number;
}

export type CandidateRanks = Pick<Candidate, 'priorityHi' | 'priorityLo' | 'splitHi' | 'splitLo'>;

/** Bytes `at`…`at+3` as a rank word (big-endian, sign bit flipped). */
export function rankWord(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) ^ 0x80000000;
}

/** Eight hex digits as a rank word. */
function hexWord(hex: string, at: number): number {
  return Number.parseInt(hex.slice(at, at + 8), 16) ^ 0x80000000;
}

/** The ranks of `key` under `seed`, computed here (tests, and records analysed on this thread). */
export function candidateRanks(seed: number, key: string): CandidateRanks {
  const { priority, splitRank } = ranksOf(seed, key);
  return ranksOfDigest(priority + splitRank);
}

/** The ranks held in a 32-hex md5(seed:key) digest (priority, then split rank). */
export function ranksOfDigest(digest: string): CandidateRanks {
  return {
    priorityHi: hexWord(digest, 0),
    priorityLo: hexWord(digest, 8),
    splitHi: hexWord(digest, 16),
    splitLo: hexWord(digest, 24),
  };
}

function byKey(a: Candidate, b: Candidate): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function byPriority(a: Candidate, b: Candidate): number {
  if (a.priorityHi !== b.priorityHi) return a.priorityHi < b.priorityHi ? -1 : 1;
  if (a.priorityLo !== b.priorityLo) return a.priorityLo < b.priorityLo ? -1 : 1;
  return byKey(a, b);
}

export function bySplitRank(a: Candidate, b: Candidate): number {
  if (a.splitHi !== b.splitHi) return a.splitHi < b.splitHi ? -1 : 1;
  if (a.splitLo !== b.splitLo) return a.splitLo < b.splitLo ? -1 : 1;
  return byKey(a, b);
}

/**
 * Whether a record with this rank could enter a heap ordered by it, judged from the rank alone
 * (no candidate built yet): false only when the heap is full and its largest item ranks lower.
 */
export function mayEnter(hi: number, lo: number, largest: Candidate | undefined, of: 'priority' | 'split'): boolean {
  if (largest === undefined) return true;
  const rootHi = of === 'priority' ? largest.priorityHi : largest.splitHi;
  if (hi !== rootHi) return hi < rootHi;
  const rootLo = of === 'priority' ? largest.priorityLo : largest.splitLo;
  return lo <= rootLo;
}
