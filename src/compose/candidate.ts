/**
 * What the scan keeps of a record: its content key, its ranks and where to find it again.
 * Never the record itself: materialisation re-reads the few that are selected.
 */
export interface Candidate {
  /** md5 hex of the normalised text (plus origin when exact dedup is off). */
  readonly key: string;
  /** Selection rank: lower is chosen first. 16 hex chars. */
  readonly priority: string;
  /** Validation rank: lower is held out first. 16 hex chars. */
  readonly splitRank: string;
  readonly fileIndex: number;
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  /** Characters of text, for length statistics. */
  readonly chars: number;
  /** Tokens of text (by the recipe's tokenizer, else the character estimate); set when the record enters a candidate set. */
  tokens: number;
}

export function byPriority(a: Candidate, b: Candidate): number {
  if (a.priority !== b.priority) return a.priority < b.priority ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function bySplitRank(a: Candidate, b: Candidate): number {
  if (a.splitRank !== b.splitRank) return a.splitRank < b.splitRank ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
