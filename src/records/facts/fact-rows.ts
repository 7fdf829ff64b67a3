/**
 * The facts stage as plain rows: one row per valid, unfiltered input record, in scan order, with
 * what the selection needs of it (content key, ranks, group, where it sits, length, tokens).
 * Computed by the plain definition — read (records/read), map (records/map), normalise and hash
 * (keys/) — on one thread, with none of the scan's fast paths, so it is the oracle those paths
 * are held to, and the contract a second implementation of the selection (SQL over facts) takes
 * as input. Its memory grows with the input: compose keeps using the bounded scan (select/scan.ts);
 * `select/select-facts.ts` selects from these rows, and test/select/facts.test.ts compares the
 * two row for row.
 *
 * Scan order, the order ownership follows: groups in dedup.prefer order, sources by name, files by
 * path, records in file order.
 */
import { readLimitsOf } from '../../io/read-limits.js';
import type { LoadedRecipe, SourceSpec } from '../../recipe/types.js';
import { type SampleBody, sampleText } from '../../sample.js';
import type { TokenCounter } from '../../tokens/token-counter.js';
import { compileFilters } from '../map/sample-filter.js';
import { RecordError } from '../map/record-error.js';
import { mapperFor, type RecordMapper } from '../map/schema-for.js';
import { detectFormat } from '../read/detect-format.js';
import { expandPaths } from '../read/expand-paths.js';
import { readRecords } from '../read/read-records.js';
import { analyzeBody, parseRecord } from './analyze-record.js';

export interface FactRow {
  /** Content key: md5 hex of the normalised text (plus origin when exact dedup is off). */
  readonly key: string;
  /** md5(seed:key) hex: priority in digits 0–15, split rank in 16–31 (docs/determinism.md). */
  readonly ranks: string;
  /** The record's source and that source's group (not yet the key's owner: a selection decides that). */
  readonly source: string;
  readonly group: string;
  /** Index of the file in scan order, over every source. */
  readonly fileIndex: number;
  /** 1-based line where the record starts (Parquet: its row), and its byte extent (Parquet: row index, 0). */
  readonly line: number;
  readonly offset: number;
  readonly length: number;
  readonly chars: number;
  readonly tokens: number;
}

/** Sources in the order ownership follows: groups by dedup.prefer, then by name (never by recipe order). */
export function sourcesInScanOrder(loaded: LoadedRecipe): SourceSpec[] {
  const prefer = loaded.recipe.dedup.prefer;
  return [...loaded.recipe.sources].sort((a, b) => {
    const byGroup = prefer.indexOf(a.group) - prefer.indexOf(b.group);
    if (byGroup !== 0) return byGroup;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** The body of a record, or undefined when it is invalid (facts leave invalid records out; the scan counts them). */
function bodyOf(mapper: RecordMapper, value: unknown): SampleBody | undefined {
  try {
    return mapper.toBody(value);
  } catch (error) {
    if (error instanceof RecordError) return undefined;
    throw error;
  }
}

/** Every fact row of the recipe's inputs, in scan order. */
export async function* factRows(
  loaded: LoadedRecipe,
  options: { readonly tokens: TokenCounter },
): AsyncGenerator<FactRow> {
  const { recipe } = loaded;
  let fileIndex = 0;
  for (const source of sourcesInScanOrder(loaded)) {
    const filter = compileFilters(source.filters);
    for (const file of await expandPaths(source.path, loaded.baseDir, source.name)) {
      const format = await detectFormat(file.absolutePath, file.displayPath, source.format);
      let mapper: RecordMapper | undefined;
      const limits = readLimitsOf(source);
      for await (const batch of readRecords(file.absolutePath, {
        format,
        displayPath: file.displayPath,
        encoding: source.encoding,
        limits,
      })) {
        for (const raw of batch) {
          let value: unknown;
          try {
            value = parseRecord(raw, { maxDepth: limits.maxDepth });
            // The file's mapper comes from its first record that parses and fits (as the scan decides it).
            mapper ??= mapperFor(source.schema, value);
          } catch (error) {
            if (error instanceof RecordError) continue;
            throw error;
          }
          const body = bodyOf(mapper, value);
          if (!body) continue;
          const analyzed = analyzeBody(body, {
            seed: recipe.seed,
            filter,
            ...(recipe.dedup.exact ? {} : { distinctSuffix: `${file.displayPath}:${raw.line}` }),
          });
          if (analyzed.filtered) continue;
          const position = { line: raw.line, offset: raw.offset, length: raw.length };
          yield {
            key: analyzed.key,
            ranks: analyzed.ranks,
            source: source.name,
            group: source.group,
            fileIndex,
            ...position,
            chars: analyzed.chars,
            tokens: options.tokens.count(sampleText(body)),
          };
        }
      }
      fileIndex++;
    }
  }
}
