/**
 * The eval sets' n-grams, and the test of a training text against them.
 *
 * An eval item (question, options and answer joined) is cut into distinct n-grams of its unit
 * (words, or characters for CJK-dominant items; n = 13 by default). A training text contaminates
 * an item when it contains at least `threshold` (default half) of the item's distinct n-grams: a
 * pasted question is caught even with its options reworded, while a long text that shares one
 * phrase with an item (a few n-grams) is not removed for it. Items shorter than n are one gram of
 * all their tokens, so a short item counts only when the training text holds it whole; items
 * shorter than the minimum are not indexed (they would match everywhere). Grams held by many eval
 * items (`commonGramItems`) are boilerplate and count neither way.
 *
 * Before that rule, the exact layer (`exact-index.ts`): an item's normalised question (or question
 * and options, when the question alone is below `exactMin…Tokens`) found whole in the training
 * text is contamination, whatever the boilerplate rule says of its grams.
 *
 * Memory grows with the eval sets (about 30 bytes per distinct gram); a lookup costs one pass over
 * the training text per unit present, with two hash probes per token position.
 */
import { normalizeForTokens } from '../text/normalize.js';
import { hasCjk } from '../text/script.js';
import { resolveUnit, type ShingleUnit } from '../text/shingles.js';
import { type TokenUnit, tokenHashes, tokenize } from '../text/tokens.js';
import { DEFAULT_DECONTAM_SETTINGS, type DecontamSettings } from './defaults.js';
import { ExactIndex, type SharedExactIndex } from './exact-index.js';
import { GramHasher } from './gram-hash.js';
import { GramPostings, GramProbe, type SharedGramPostings } from './gram-postings.js';
import { sharedCopy } from './shared-arrays.js';

export interface EvalItem {
  /** Name of the eval set, for the report. */
  readonly set: string;
  readonly id: string;
  /** The item's matchable text: its question and options, joined (punctuation is dropped). */
  readonly text: string;
  /** The question alone (the start of `text`), for the exact layer; absent: all of `text`. */
  readonly question?: string | undefined;
}

/** Per eval set: what was indexed, and which items are too short for either layer. */
export interface EvalSetIndexStats {
  readonly set: string;
  /** Items offered. */
  items: number;
  /** Items in at least one layer. */
  indexed: number;
  /** Items with an exact key (question, or question and options, long enough). */
  exact: number;
  /** Items in neither layer (shorter than the overlap minimum), and the first few of their ids. */
  tooShort: number;
  readonly tooShortIds: string[];
}

/** How many too-short item ids each set lists. */
const LISTED_SHORT = 5;

/** What indexing an item did. */
export interface EvalItemSummary {
  readonly unit: TokenUnit;
  readonly tokens: number;
  /** Distinct grams; 1 for a whole-item gram, 0 when not indexed. */
  readonly grams: number;
  readonly indexed: boolean;
}

/** Evidence that a training text contains an eval item. */
export interface ContaminationMatch {
  readonly set: string;
  /** `exact`: the item's question found whole; `overlap`: the n-gram share rule. */
  readonly layer: 'exact' | 'overlap';
  readonly evalId: string;
  /** Share of the item's distinct grams found in the training text (≥ the threshold). */
  readonly matchedShare: number;
  readonly matchedGrams: number;
  /** The item's distinct grams, boilerplate grams (`commonGramItems`) not counted. */
  readonly itemGrams: number;
  /** One matched gram as it reads in the (normalised) eval item. */
  readonly example: string;
}

interface IndexedItem {
  readonly set: string;
  readonly id: string;
  readonly text: string;
  readonly unit: TokenUnit;
  readonly grams: number;
  readonly length: number;
  readonly high: number;
  readonly low: number;
}

interface SharedUnitIndex {
  readonly n: number;
  readonly minTokens: number;
  readonly grams: SharedGramPostings;
  readonly anchors: SharedGramPostings;
  readonly exact: SharedExactIndex;
}

/**
 * A filled index as plain data, its large arrays over shared memory: what worker threads match
 * with (`EvalIndex.fromShared`), so they neither build nor hold an index of their own.
 */
export interface SharedEvalIndex {
  readonly settings: DecontamSettings;
  readonly unit: ShingleUnit;
  readonly units: Readonly<Record<TokenUnit, SharedUnitIndex>>;
  readonly items: readonly IndexedItem[];
  readonly sets: readonly EvalSetIndexStats[];
  readonly skipped: number;
  readonly shortQuestions: Readonly<Record<TokenUnit, readonly (readonly [string, number])[]>>;
  readonly shortLineChars: number;
  readonly specific: Int32Array;
}

interface UnitIndex {
  readonly n: number;
  readonly minTokens: number;
  /** n-grams of items with at least n tokens. */
  readonly grams: GramPostings;
  /** First `minTokens` tokens of shorter items: where to check for the whole item. */
  readonly anchors: GramPostings;
  /** Questions found whole (the exact layer). */
  readonly exact: ExactIndex;
}

export class EvalIndex {
  readonly settings: DecontamSettings;
  private units: Record<TokenUnit, UnitIndex>;
  private readonly items: IndexedItem[] = [];
  private readonly sets = new Map<string, EvalSetIndexStats>();
  /** Questions below the exact floor (at least the minimum): `high,low,length` → item, per unit. */
  private readonly shortQuestions: Record<TokenUnit, Map<string, number>> = { word: new Map(), char: new Map() };
  /** Read from shared memory (`fromShared`): for matching only, `add` refuses. */
  private shared = false;
  /** Lines longer than this cannot be a short question (twice the longest one, for punctuation and spaces). */
  private shortLineChars = 0;
  /** Per item: its distinct grams that are not boilerplate (see `commonGramItems`); stale after add. */
  private specific: Int32Array = new Int32Array(0);
  private hits = new Int32Array(64);
  private exampleStart = new Int32Array(64);
  private queries = 0;
  /** Scratch of `countGrams` and `findWholeItems` (one after the other, never both at once). */
  private readonly probe = new GramProbe();
  /** Reloaded for each text matched (`GramHasher.load`): a text is done with before the next. */
  private readonly hasher = new GramHasher(new Uint32Array(0), 1);
  private skipped = 0;

  constructor(
    settings: DecontamSettings = DEFAULT_DECONTAM_SETTINGS,
    private readonly unit: ShingleUnit = 'auto',
  ) {
    const {
      wordN,
      charN,
      minWordTokens,
      minCharTokens,
      threshold,
      commonGramItems,
      exactMinWordTokens,
      exactMinCharTokens,
    } = settings;
    for (const [name, value] of Object.entries({
      wordN,
      charN,
      minWordTokens,
      minCharTokens,
      commonGramItems,
      exactMinWordTokens,
      exactMinCharTokens,
    })) {
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    if (minWordTokens > wordN || minCharTokens > charN) throw new RangeError('minimum item length must not exceed n');
    if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
    this.settings = settings;
    const unitIndex = (n: number, minTokens: number, exactMin: number): UnitIndex => ({
      n,
      minTokens,
      grams: new GramPostings(),
      anchors: new GramPostings(),
      exact: new ExactIndex(exactMin),
    });
    this.units = {
      word: unitIndex(wordN, minWordTokens, exactMinWordTokens),
      char: unitIndex(charN, minCharTokens, exactMinCharTokens),
    };
  }

  get stats(): { items: number; indexed: number; tooShort: number; grams: number } {
    const grams =
      this.units.word.grams.grams +
      this.units.char.grams.grams +
      this.units.word.anchors.grams +
      this.units.char.anchors.grams;
    return { items: this.items.length + this.skipped, indexed: this.items.length, tooShort: this.skipped, grams };
  }

  /**
   * This index as plain data, its large arrays copied into shared memory once: send it to worker
   * threads and build each one's matcher with `fromShared`. Add every item first.
   */
  toShared(): SharedEvalIndex {
    if (this.specific.length !== this.items.length) this.countSpecificGrams();
    const unit = (u: UnitIndex): SharedUnitIndex => ({
      n: u.n,
      minTokens: u.minTokens,
      grams: u.grams.toShared(),
      anchors: u.anchors.toShared(),
      exact: u.exact.toShared(),
    });
    return {
      settings: this.settings,
      unit: this.unit,
      units: { word: unit(this.units.word), char: unit(this.units.char) },
      items: this.items,
      sets: this.setStats(),
      skipped: this.skipped,
      shortQuestions: { word: [...this.shortQuestions.word], char: [...this.shortQuestions.char] },
      shortLineChars: this.shortLineChars,
      specific: sharedCopy(this.specific),
    };
  }

  /**
   * A matcher over `shared` (`toShared` of a filled index, possibly from another thread): the same
   * answer as that index for every text. Its large arrays are read in place, never copied or
   * written; each matcher has its own scratch. `add` refuses.
   */
  static fromShared(shared: SharedEvalIndex): EvalIndex {
    const index = new EvalIndex(shared.settings, shared.unit);
    const unit = (u: SharedUnitIndex): UnitIndex => ({
      n: u.n,
      minTokens: u.minTokens,
      grams: GramPostings.fromShared(u.grams),
      anchors: GramPostings.fromShared(u.anchors),
      exact: ExactIndex.fromShared(u.exact),
    });
    index.units = { word: unit(shared.units.word), char: unit(shared.units.char) };
    index.items.push(...shared.items);
    for (const set of shared.sets) index.sets.set(set.set, { ...set, tooShortIds: [...set.tooShortIds] });
    index.skipped = shared.skipped;
    for (const u of ['word', 'char'] as const)
      for (const [key, item] of shared.shortQuestions[u]) index.shortQuestions[u].set(key, item);
    index.shortLineChars = shared.shortLineChars;
    index.specific = shared.specific;
    index.hits = new Int32Array(Math.max(64, shared.items.length));
    index.exampleStart = new Int32Array(index.hits.length);
    index.shared = true;
    return index;
  }

  /** Per eval set, in the order sets were first added. */
  setStats(): EvalSetIndexStats[] {
    return [...this.sets.values()].map((s) => ({ ...s, tooShortIds: [...s.tooShortIds] }));
  }

  /** Index one eval item. */
  add(item: EvalItem): EvalItemSummary {
    if (this.shared) throw new Error('an eval index read from shared memory cannot take items');
    const normalized = normalizeForTokens(item.text);
    const unit = resolveUnit(normalized, this.unit);
    const tokens = tokenHashes(normalized, unit);
    const index = this.units[unit];
    let stats = this.sets.get(item.set);
    if (!stats) {
      stats = { set: item.set, items: 0, indexed: 0, exact: 0, tooShort: 0, tooShortIds: [] };
      this.sets.set(item.set, stats);
    }
    stats.items++;
    if (tokens.length < index.minTokens) {
      this.skipped++;
      stats.tooShort++;
      if (stats.tooShortIds.length < LISTED_SHORT) stats.tooShortIds.push(item.id);
      return { unit, tokens: tokens.length, grams: 0, indexed: false };
    }
    stats.indexed++;
    const number = this.items.length;
    const question = item.question === undefined ? tokens : tokenHashes(normalizeForTokens(item.question), unit);
    const exactKey =
      question.length >= index.exact.anchor ? question : tokens.length >= index.exact.anchor ? tokens : undefined;
    if (exactKey) {
      index.exact.add(number, exactKey);
      stats.exact++;
    }
    // Below the exact floor, a question (or, shorter still, question and options) counts only as a
    // whole line of the training text.
    const lineKey =
      question.length >= index.minTokens && question.length < index.exact.anchor
        ? question
        : tokens.length < index.exact.anchor
          ? tokens
          : undefined;
    if (lineKey) {
      const key = spanKey(new GramHasher(lineKey, lineKey.length), 0, lineKey.length);
      if (!this.shortQuestions[unit].has(key)) this.shortQuestions[unit].set(key, number);
      const chars = lineKey === question && item.question !== undefined ? item.question.length : item.text.length;
      this.shortLineChars = Math.max(this.shortLineChars, Math.min(MAX_SHORT_LINE_CHARS, 2 * chars + 16));
    }
    const hasher = new GramHasher(tokens, index.n);
    let grams = 0;
    let whole = { high: 0, low: 0 };
    if (tokens.length >= index.n) {
      for (let i = 0; i + index.n <= tokens.length; i++) {
        if (index.grams.add(hasher.high(i, index.n), hasher.low(i, index.n), number, i)) grams++;
      }
    } else if (tokens.length >= index.exact.anchor) {
      index.anchors.add(hasher.high(0, index.minTokens), hasher.low(0, index.minTokens), number, 0);
      whole = { high: hasher.high(0, tokens.length), low: hasher.low(0, tokens.length) };
      grams = 1;
    }
    this.items.push({ set: item.set, id: item.id, text: item.text, unit, grams, length: tokens.length, ...whole });
    if (number === this.hits.length) {
      this.hits = grown(this.hits);
      this.exampleStart = grown(this.exampleStart);
    }
    return { unit, tokens: tokens.length, grams, indexed: true };
  }

  /** The eval item this training text contains most of, if at least the threshold; else undefined. */
  match(trainingText: string): ContaminationMatch | undefined {
    const normalized = normalizeForTokens(trainingText);
    return this.matchTokens(normalized, (unit) => tokenHashes(normalized, unit), trainingText);
  }

  /**
   * `match` for a text its caller has already normalised and cut (the audit shares one pass with
   * its near-duplicate check and content key). `normalized` must hold the tokens of
   * `normalizeForTokens(text)`: that string itself, or `normalizeForKey(text)`, which only also
   * collapses white space (a separator either way); `tokens(unit)` must be `tokenHashes(normalized,
   * unit)`. It is called at most once per unit, and only for units the index holds. `text`: the
   * text with its line breaks (short questions count only as a whole line); default `normalized`.
   */
  matchTokens(
    normalized: string,
    tokens: (unit: TokenUnit) => Uint32Array,
    text: string = normalized,
  ): ContaminationMatch | undefined {
    if (this.specific.length !== this.items.length) this.countSpecificGrams();
    const query = ++this.queries;
    const touched: number[] = [];
    for (const unit of ['word', 'char'] as const) {
      const index = this.units[unit];
      if (index.grams.grams === 0 && index.anchors.grams === 0) continue;
      // CJK-dominant items are looked for only in texts with CJK characters: it halves the cost of
      // checking English text against a mixed index, and a 10-character gram of a Chinese item
      // without a single Chinese character (all option letters and digits) is no evidence anyway.
      if (unit === 'char' && !hasCjk(normalized)) continue;
      const hasher = this.hasher.load(tokens(unit), Math.max(index.n, index.exact.maxLength));
      const exact = index.exact.find(hasher);
      if (exact) {
        for (const item of touched) this.hits[item] = 0;
        return this.describeExact(exact.item, unit, normalized, exact.start, exact.length);
      }
      if (index.grams.grams > 0) this.countGrams(index, hasher, query, touched);
      if (index.anchors.grams > 0) this.findWholeItems(index, hasher, touched);
    }
    const line = this.findShortQuestionLine(text);
    if (line) {
      for (const item of touched) this.hits[item] = 0;
      return line;
    }
    let best = -1;
    let bestShare = 0;
    for (const item of touched) {
      if (this.specific[item] === 0) continue;
      const share = this.hits[item]! / this.specific[item]!;
      if (share > bestShare || (share === bestShare && item < best)) {
        best = item;
        bestShare = share;
      }
    }
    const result = best >= 0 && bestShare >= this.settings.threshold ? this.describe(best) : undefined;
    for (const item of touched) this.hits[item] = 0;
    return result;
  }

  /**
   * An item's denominator: its grams that count as evidence (boilerplate and grams touching it
   * excluded, see `GramPostings.markBoilerplate`). Whole-item grams of short items always count.
   * An item with nothing but boilerplate has 0 and cannot match: it has nothing of its own to find.
   */
  private countSpecificGrams(): void {
    this.specific = Int32Array.from(this.items, (item) => item.grams);
    for (const unit of ['word', 'char'] as const) {
      const { grams, n } = this.units[unit];
      const counted = grams.markBoilerplate(this.settings.commonGramItems, n, (item) => this.items[item]!.length);
      for (const [item, count] of counted) this.specific[item] = count;
    }
  }

  private countGrams(index: UnitIndex, hasher: GramHasher, query: number, touched: number[]): void {
    const { n, grams } = index;
    const maxHolders = this.settings.commonGramItems;
    const found = grams.maybeHeld(hasher, n, this.probe);
    const { highs, passing } = this.probe;
    for (let k = 0; k < found; k++) {
      const i = passing[k]!;
      for (let p = grams.lookup(highs[i]!, hasher.low(i, n), query, maxHolders); p !== -1; p = grams.next(p)) {
        if (!grams.counts(p)) continue;
        const item = grams.item(p);
        if (this.hits[item] === 0) {
          touched.push(item);
          this.exampleStart[item] = grams.start(p);
        }
        this.hits[item]!++;
      }
    }
  }

  private findWholeItems(index: UnitIndex, hasher: GramHasher, touched: number[]): void {
    const { minTokens, anchors } = index;
    const found = anchors.maybeHeld(hasher, minTokens, this.probe);
    const { highs, passing } = this.probe;
    for (let k = 0; k < found; k++) {
      const i = passing[k]!;
      for (let p = anchors.lookup(highs[i]!, hasher.low(i, minTokens), 0); p !== -1; p = anchors.next(p)) {
        const item = anchors.item(p);
        const { length, high, low } = this.items[item]!;
        if (this.hits[item] !== 0 || i + length > hasher.length) continue;
        if (hasher.high(i, length) !== high || hasher.low(i, length) !== low) continue;
        touched.push(item);
        this.hits[item] = 1;
        this.exampleStart[item] = 0;
      }
    }
  }

  private describe(item: number): ContaminationMatch {
    const { set, id, text, unit, length } = this.items[item]!;
    const grams = this.specific[item]!;
    const size = Math.min(this.units[unit].n, length);
    const normalized = normalizeForTokens(text);
    const start = this.exampleStart[item]!;
    const { spans } = tokenize(normalized, unit, start + size);
    const example = normalized.slice(spans[start * 2], spans[(start + size - 1) * 2 + 1]);
    return {
      set,
      layer: 'overlap',
      evalId: id,
      matchedShare: this.hits[item]! / grams,
      matchedGrams: this.hits[item]!,
      itemGrams: grams,
      example,
    };
  }

  /**
   * A question shorter than the exact floor ("Is halofantrine ototoxic?") is too common a phrase to
   * count anywhere in a text ("What could be the problem?" ends many patients' messages), but a line
   * of the training text that is that question, and nothing else, is the question leaked.
   */
  private findShortQuestionLine(text: string): ContaminationMatch | undefined {
    if (this.shortQuestions.word.size === 0 && this.shortQuestions.char.size === 0) return undefined;
    for (const line of text.split('\n')) {
      if (line.length > this.shortLineChars || line.trim() === '') continue;
      const normalized = normalizeForTokens(line);
      const unit = resolveUnit(normalized, this.unit);
      const questions = this.shortQuestions[unit];
      if (questions.size === 0) continue;
      const tokens = tokenHashes(normalized, unit);
      if (tokens.length < this.units[unit].minTokens || tokens.length >= this.units[unit].exact.anchor) continue;
      const item = questions.get(spanKey(new GramHasher(tokens, tokens.length), 0, tokens.length));
      if (item === undefined) continue;
      const { set, id } = this.items[item]!;
      const { spans } = tokenize(normalized, unit);
      const example = normalized.slice(spans[0], spans[spans.length - 1]);
      return {
        set,
        layer: 'exact',
        evalId: id,
        matchedShare: 1,
        matchedGrams: tokens.length,
        itemGrams: tokens.length,
        example,
      };
    }
    return undefined;
  }

  /** An exact hit: the example is the start of the question as it reads in the training text. */
  private describeExact(
    item: number,
    unit: TokenUnit,
    normalized: string,
    start: number,
    length: number,
  ): ContaminationMatch {
    const { set, id } = this.items[item]!;
    const last = Math.min(start + length, start + 24) - 1;
    const { spans } = tokenize(normalized, unit, last + 1);
    const example = normalized.slice(spans[start * 2], spans[last * 2 + 1]);
    return { set, layer: 'exact', evalId: id, matchedShare: 1, matchedGrams: length, itemGrams: length, example };
  }
}

/** Lines longer than this are never a short question alone (a short question is under 60 characters). */
const MAX_SHORT_LINE_CHARS = 400;

function spanKey(hasher: GramHasher, start: number, length: number): string {
  return `${hasher.high(start, length)},${hasher.low(start, length)},${length}`;
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const out = new Int32Array(array.length * 2);
  out.set(array);
  return out;
}
