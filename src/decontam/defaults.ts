/**
 * Default decontamination settings; docs/near-dup.md (section Decontamination) gives the reasons
 * and the measurements behind them.
 */

export interface DecontamSettings {
  /** Tokens per n-gram for word-unit eval items (GPT-3's 13-gram rule). */
  readonly wordN: number;
  /** Tokens per n-gram for CJK-dominant eval items (characters). */
  readonly charN: number;
  /**
   * Eval items shorter than n but at least this long are one whole-item gram: matched only when the
   * training text contains the whole item. Shorter ones ("Yes", "A") are not indexed.
   */
  readonly minWordTokens: number;
  readonly minCharTokens: number;
  /** Share of an eval item's distinct n-grams a training text must contain to be removed. */
  readonly threshold: number;
  /**
   * A gram held by at least this many eval items is boilerplate (a prompt suffix such as "Answer
   * this question, choose the correct answer…", a stock phrase): it counts neither for nor against
   * any item, so a pasted question is judged on its own words.
   */
  readonly commonGramItems: number;
  /**
   * Exact layer: an item's normalised question (or, when the question alone is shorter, its
   * question with its options) of at least this many tokens is contamination wherever a training
   * text holds it whole. Shorter questions are left to the overlap rule: "Which is correct?" occurs
   * in ordinary dialogues.
   */
  readonly exactMinWordTokens: number;
  readonly exactMinCharTokens: number;
}

export const DEFAULT_DECONTAM_SETTINGS: DecontamSettings = {
  wordN: 13,
  charN: 10,
  minWordTokens: 3,
  minCharTokens: 6,
  threshold: 0.5,
  commonGramItems: 10,
  exactMinWordTokens: 6,
  exactMinCharTokens: 10,
};
