/** Counters the scan keeps per source; they land in the manifest as they are. */
import { type Diagnostic, formatWhere } from '../../errors.js';
import type { RecordFormat } from '../../recipe/names.js';
import type { ReadLimits } from '../../io/read-limits.js';

export interface InputFileInfo {
  readonly index: number;
  readonly source: string;
  readonly absolutePath: string;
  readonly displayPath: string;
  readonly format: RecordFormat;
  /** Text encoding the file was read with (the source's `encoding:`). */
  readonly encoding: string;
  /** The source's limits while reading (max_record_bytes, max_depth), for every read of this file. */
  readonly limits: ReadLimits;
  /** The preset (or `mapping`) used for this file; `auto` resolves per file. */
  schema: string;
  bytes: number;
  sha256: string;
  records: number;
}

export const MAX_ERROR_EXAMPLES = 5;

export interface SourceStats {
  readonly name: string;
  readonly group: string;
  readonly files: InputFileInfo[];
  /** Records read (valid or not). */
  read: number;
  /** Records that could not be parsed or mapped (on_error: skip). */
  invalid: number;
  readonly invalidByCode: Record<string, number>;
  /** The first few invalid records: `file:line: code: message`. */
  readonly invalidExamples: string[];
  /** Valid records dropped by a filter, by reason. */
  readonly filtered: Record<string, number>;
  /** Copies of a record already seen in this group. */
  duplicates: number;
  /** Copies of a record owned by a group of higher precedence. */
  crossGroupDuplicates: number;
  /** Distinct records this source contributes to its group. */
  available: number;
}

export function newSourceStats(name: string, group: string): SourceStats {
  return {
    name,
    group,
    files: [],
    read: 0,
    invalid: 0,
    invalidByCode: {},
    invalidExamples: [],
    filtered: {},
    duplicates: 0,
    crossGroupDuplicates: 0,
    available: 0,
  };
}

export function recordInvalid(stats: SourceStats, diagnostic: Diagnostic): void {
  stats.invalid++;
  stats.invalidByCode[diagnostic.code] = (stats.invalidByCode[diagnostic.code] ?? 0) + 1;
  if (stats.invalidExamples.length < MAX_ERROR_EXAMPLES) {
    const where = diagnostic.where ? `${formatWhere(diagnostic.where)}: ` : '';
    stats.invalidExamples.push(`${where}${diagnostic.code}: ${diagnostic.message}`);
  }
}
