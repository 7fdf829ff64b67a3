/**
 * One split's running tally while records stream past: per (group, source) cell the lengths and
 * counters, per split the key tables behind duplicate and leak figures, and a few examples.
 * Memory: three fingerprint tables (12 bytes per distinct key each) and three 4-byte values per
 * record; examples are capped. Near duplicates are found by `NearDupTally` and only counted here.
 */
import { FingerprintMap, taggedFingerprint } from './fingerprint-map.js';
import type { RecordKeys } from './record-keys.js';
import { snippet } from './record-keys.js';
import type { Example } from './report.js';
import { ValueSeries } from './value-series.js';

/** Where a record of an output sits and where it came from: shared by audit and diff. */
export interface RecordPlace {
  readonly split: string;
  readonly group: string;
  readonly source: string;
  /** The audited file (display path) and line (row for Parquet). */
  readonly file: string;
  readonly line: number;
  readonly origin: string | undefined;
}

/** A record as the audit sees it, after reading and mapping. */
export interface AuditedRecord extends RecordPlace {
  readonly turns: number;
}

/** Counts of one (group, source) cell of a split. */
export interface CellCounters {
  rows: number;
  duplicates: number;
  verbatimDuplicates: number;
  sourceDuplicates: number;
  empty: number;
  leaked: number;
  contaminated: number;
  nearDuplicates: number;
  nearLeaked: number;
}

/** Every counter at 0: a new cell's, and the start of a sum over cells. */
export function zeroCounters(): CellCounters {
  return {
    rows: 0,
    duplicates: 0,
    verbatimDuplicates: 0,
    sourceDuplicates: 0,
    empty: 0,
    leaked: 0,
    contaminated: 0,
    nearDuplicates: 0,
    nearLeaked: 0,
  };
}

/** What the caller decided about a record (it needs other splits, the eval sets, the near-dup index). */
export interface RecordFlags {
  readonly leaked: boolean;
  readonly contaminated: boolean;
  readonly nearDuplicate: boolean;
  readonly nearLeaked: boolean;
}

/** The records of one split that share a group and a source: lengths and counts. */
export interface Cell {
  readonly group: string;
  readonly source: string;
  readonly chars: ValueSeries;
  readonly tokens: ValueSeries;
  readonly turns: ValueSeries;
  readonly counters: CellCounters;
}

/** Repeated contents for which an example is kept; beyond this only their counts are known. */
const REPEAT_EXAMPLE_KEYS = 1000;

/** A record as an example: where it is, what it counts under, the start of its text. */
export function exampleOf(record: AuditedRecord, text: string, extra: Partial<Example> = {}): Example {
  return {
    file: record.file,
    line: record.line,
    ...(record.origin === undefined ? {} : { origin: record.origin }),
    source: record.source,
    group: record.group,
    text: snippet(text),
    ...extra,
  };
}

/** One split's running tally. */
export class SplitTally {
  readonly cells = new Map<string, Cell>();
  /** Normalised content key → copies in this split. */
  readonly keys = new FingerprintMap();
  private readonly verbatim = new FingerprintMap();
  private readonly sourceKeys = new FingerprintMap();
  invalid = 0;
  readonly invalidExamples: string[] = [];
  readonly duplicateExamples: Example[] = [];
  readonly leakExamples: Example[] = [];
  /** Examples of repeated contents, by fingerprint, for the "most repeated" table. */
  readonly repeatExamples = new Map<string, Example>();

  constructor(
    readonly name: string,
    private readonly examplesLimit: number,
  ) {}

  /** Count one record, with the flags the caller decided. */
  add(record: AuditedRecord, keys: RecordKeys, tokens: number, sourceIndex: number, flags: RecordFlags): void {
    const cell = this.cellFor(record.group, record.source);
    const c = cell.counters;
    c.rows++;
    cell.chars.push(keys.text.length);
    cell.tokens.push(tokens);
    cell.turns.push(record.turns);
    if (keys.empty) {
      c.empty++;
      return;
    }
    const copies = this.keys.add(keys.key);
    if (copies > 1) {
      c.duplicates++;
      if (this.duplicateExamples.length < this.examplesLimit)
        this.duplicateExamples.push(exampleOf(record, keys.text, { copies }));
      const id = `${keys.key[0]}:${keys.key[1]}`;
      if (this.repeatExamples.has(id) || this.repeatExamples.size < REPEAT_EXAMPLE_KEYS)
        this.repeatExamples.set(id, exampleOf(record, keys.text));
    }
    if (this.verbatim.add(keys.verbatim) > 1) c.verbatimDuplicates++;
    if (this.sourceKeys.add(taggedFingerprint(keys.key, sourceIndex)) > 1) c.sourceDuplicates++;
    if (flags.leaked) {
      c.leaked++;
      if (this.leakExamples.length < this.examplesLimit) this.leakExamples.push(exampleOf(record, keys.text));
    }
    if (flags.contaminated) c.contaminated++;
    if (flags.nearDuplicate) c.nearDuplicates++;
    if (flags.nearLeaked) c.nearLeaked++;
  }

  addInvalid(where: string, message: string): void {
    this.invalid++;
    if (this.invalidExamples.length < this.examplesLimit) this.invalidExamples.push(`${where}: ${message}`);
  }

  private cellFor(group: string, source: string): Cell {
    const id = `${group}\u0000${source}`;
    let cell = this.cells.get(id);
    if (!cell) {
      cell = {
        group,
        source,
        chars: new ValueSeries(),
        tokens: new ValueSeries(),
        turns: new ValueSeries(),
        counters: zeroCounters(),
      };
      this.cells.set(id, cell);
    }
    return cell;
  }
}
