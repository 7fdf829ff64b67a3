/**
 * Near duplicates left in an audited mixture, measured as compose's `dedup.near` measures them:
 * the same text fields, shingles (`DEFAULT_SHINGLE_OPTIONS`: 5 words / 5 CJK characters), MinHash
 * permutations (`MINHASH_SEED`), LSH bands and exact Jaccard verification (`NearDupIndex`). An
 * output composed with `dedup.near` at the same threshold therefore audits with no pair (up to
 * the same LSH recall, 99.8 % at Jaccard 0.8).
 *
 * Unlike compose, which keeps only the records it accepts, the audit stores every record of a
 * split: it counts each record that near-duplicates any earlier record of its split (so 0 means
 * "no pair"), and a record of another split that near-duplicates any train record (a leak).
 * Records that are exact copies (same normalised content) are counted by the exact figures and
 * not again here. Memory: per stored record its shingle set (4 bytes a shingle), ~20 bytes per
 * LSH band and a 28-byte location; records themselves are never held.
 */
import { DEFAULT_NEAR_DUP_SETTINGS } from '../near-dup/defaults.js';
import { NearDupIndex, type NearDupMatch, type NearDupStats } from '../near-dup/near-dup-index.js';
import type { TextFields } from '../text/fields.js';
import { DEFAULT_SHINGLE_OPTIONS } from '../text/shingles.js';
import type { RecordPosition } from './file-records.js';
import { NameTable } from './name-table.js';
import { RecordLocations } from './record-locations.js';
import type { Example, NearDupSummary } from './report.js';
import { type AuditedRecord, exampleOf } from './split-tally.js';

/** What the near-duplicate check compares; defaults are compose's `dedup.near` defaults. */
export interface NearDupCheckOptions {
  /** Exact Jaccard of the shingle sets at or above which two records are near duplicates. */
  readonly threshold: number;
  /** Which turns are compared, as `dedup.near.fields`. */
  readonly fields: TextFields;
}

/** compose's `dedup.near` defaults: Jaccard 0.8 over all turns. */
export const DEFAULT_NEAR_DUP_CHECK: NearDupCheckOptions = {
  threshold: DEFAULT_NEAR_DUP_SETTINGS.threshold,
  fields: 'all',
};

/** One record offered to the check. */
export interface NearDupInput {
  readonly record: AuditedRecord;
  /** The record's whole text (`sampleText`), for examples. */
  readonly text: string;
  /**
   * The shingle hashes of the compared fields (`shingleSet`, `DEFAULT_SHINGLE_OPTIONS`, in text
   * order with repeats: `NearDupIndex.findMatchByBands` takes them so), computed with its other facts.
   */
  readonly shingles: Uint32Array;
  /** Its LSH band keys (`lshBandKeys` of its MinHash signature); undefined when it has no shingle. */
  readonly bandKeys: Uint32Array | undefined;
  readonly position: RecordPosition;
  /** Its normalised content is already in its split: an exact duplicate, counted elsewhere. */
  readonly exactDuplicate: boolean;
  /** Compare with train: the record is outside train, train exists, and it is not an exact leak. */
  readonly checkLeak: boolean;
}

/** What the check decided about one record. */
export interface NearDupFlags {
  /** It near-duplicates an earlier record of its split. */
  readonly duplicate: boolean;
  /** It near-duplicates a train record (only for records of other splits). */
  readonly leaked: boolean;
}

/** A pair found: the later record as an example; the earlier one by location id, read again later. */
export interface PendingPair {
  readonly jaccard: number;
  readonly earlier: number;
  readonly later: Example;
  /** The later record's text (up to `PAIR_TEXT_CHARS`), to show where the two differ. */
  readonly laterText: string;
}

/** Text kept per example pair: enough to find the first difference in all but huge records. */
export const PAIR_TEXT_CHARS = 65_536;

/** One split's counts and the first pairs found (earlier sides still to be read). */
export interface NearDupSplitTally {
  records: number;
  leaked: number;
  readonly examples: PendingPair[];
  readonly leakExamples: PendingPair[];
}

const NONE: NearDupFlags = { duplicate: false, leaked: false };

/**
 * The near-duplicate check over one audited subject: an LSH index per split, fed in reading order
 * (train first), and the locations of every stored record for reading example pairs back.
 */
export class NearDupTally {
  readonly locations = new RecordLocations();
  readonly files = new NameTable();
  readonly groups = new NameTable();
  readonly sources = new NameTable();
  private readonly indexes = new Map<string, NearDupIndex<number>>();
  private readonly tallies = new Map<string, NearDupSplitTally>();

  constructor(
    readonly options: NearDupCheckOptions,
    private readonly trainSplit: string,
    private readonly examplesLimit: number,
  ) {}

  check(input: NearDupInput): NearDupFlags {
    const { shingles, bandKeys } = input;
    if (shingles.length === 0 || bandKeys === undefined) return NONE;
    const split = input.record.split;
    const tally = this.tallyFor(split);
    let leaked = false;
    if (input.checkLeak) {
      const match = this.findIn(this.indexes.get(this.trainSplit), input, tally.leakExamples);
      if (match) {
        leaked = true;
        tally.leaked++;
        if (tally.leakExamples.length < this.examplesLimit) tally.leakExamples.push(this.pending(input, match));
      }
    }
    if (input.exactDuplicate) return leaked ? { duplicate: false, leaked } : NONE;
    const index = this.indexFor(split);
    const match = this.findIn(index, input, tally.examples);
    if (match) {
      tally.records++;
      if (tally.examples.length < this.examplesLimit) tally.examples.push(this.pending(input, match));
    }
    // Every record is stored, matched or not: a third copy is counted even when it is closer to
    // the second than to the first, and a validation record is compared with all of train.
    index.addByBands(this.locate(input), shingles, bandKeys);
    return { duplicate: match !== undefined, leaked };
  }

  /** Counts and pending examples of every split that had a record checked. */
  splitTallies(): ReadonlyMap<string, NearDupSplitTally> {
    return this.tallies;
  }

  /** LSH work summed over the splits' indexes. */
  get stats(): Omit<NearDupStats, 'accepted'> & { readonly stored: number } {
    let candidates = 0;
    let rejectedCandidates = 0;
    for (const index of this.indexes.values()) {
      candidates += index.stats.candidates;
      rejectedCandidates += index.stats.rejectedCandidates;
    }
    return { stored: this.locations.size, candidates, rejectedCandidates };
  }

  /**
   * A stored record `input` near-duplicates: the best one while its examples still want a pair to
   * show, afterwards any one, which is all the count needs. That keeps the check linear inside a
   * cluster of near-identical records (the best match of each would verify all the earlier ones).
   */
  private findIn(
    index: NearDupIndex<number> | undefined,
    input: NearDupInput,
    examples: readonly PendingPair[],
  ): NearDupMatch<number> | undefined {
    if (!index) return undefined;
    const { shingles, bandKeys } = input;
    return examples.length < this.examplesLimit
      ? index.findMatchByBands(shingles, bandKeys!)
      : index.findAnyMatchByBands(shingles, bandKeys!);
  }

  private pending(input: NearDupInput, match: NearDupMatch<number>): PendingPair {
    return {
      jaccard: match.jaccard,
      earlier: match.matchId,
      later: exampleOf(input.record, input.text),
      laterText: input.text.slice(0, PAIR_TEXT_CHARS),
    };
  }

  private locate(input: NearDupInput): number {
    const { record, position } = input;
    return this.locations.push({
      file: this.files.id(record.file),
      line: record.line,
      offset: position.offset,
      length: position.length,
      group: this.groups.id(record.group),
      source: this.sources.id(record.source),
    });
  }

  private indexFor(split: string): NearDupIndex<number> {
    let index = this.indexes.get(split);
    if (!index) {
      const { bands, rows } = DEFAULT_NEAR_DUP_SETTINGS;
      index = new NearDupIndex<number>({ threshold: this.options.threshold, bands, rows });
      this.indexes.set(split, index);
    }
    return index;
  }

  private tallyFor(split: string): NearDupSplitTally {
    let tally = this.tallies.get(split);
    if (!tally) {
      tally = { records: 0, leaked: 0, examples: [], leakExamples: [] };
      this.tallies.set(split, tally);
    }
    return tally;
  }
}

/** How the check ran, for the report (the counts are per split). */
export function nearDupSummary(tally: NearDupTally | null): NearDupSummary {
  if (!tally) return { status: 'off' };
  const { bands, rows } = DEFAULT_NEAR_DUP_SETTINGS;
  const { unit, wordSize, charSize } = DEFAULT_SHINGLE_OPTIONS;
  return { status: 'checked', ...tally.options, shingles: { unit, wordSize, charSize }, bands, rows, ...tally.stats };
}
