/**
 * One pass over every input. Groups are scanned in ownership order (dedup.prefer), sources by
 * name, files by path, so "first copy wins" means: the group of highest precedence, then the
 * smallest (source, file, line). None of that depends on how the recipe lists its sources.
 *
 * Per record the scan keeps a 64-bit fingerprint (who owns the key) and, if the record ranks
 * among the lowest priorities of its group, a small candidate: memory grows with the output.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { MixsmithError } from '../errors.js';
import { compileFilters } from '../filters/sample-filter.js';
import { detectFormat } from '../io/detect-format.js';
import { expandPaths } from '../io/expand-paths.js';
import { originOf, whereOf } from '../io/raw-record.js';
import type { Removal } from './filter-candidates.js';
import { readRecords } from '../io/read-records.js';
import type { MixturePlan } from '../plan/plan.js';
import type { LoadedRecipe, OutputSchema, SourceSpec } from '../recipe/types.js';
import { bodyConflict } from '../output/render.js';
import { type SampleBody, sampleText } from '../sample.js';
import { charEstimate, type TokenCounter } from '../tokens/token-counter.js';
import { RecordError } from '../schema/record-error.js';
import { mapperFor, type RecordMapper } from '../schema/schema-for.js';
import { BoundedHeap } from '../select/bounded-heap.js';
import { FingerprintTable } from '../select/fingerprint-table.js';
import { fingerprintOf } from '../select/hashing.js';
import { analyzeBody, parseRecord } from './analyze-record.js';
import { byPriority, bySplitRank, type Candidate } from './candidate.js';
import { type InputFileInfo, newSourceStats, recordInvalid, type SourceStats } from './source-stats.js';

export interface GroupCandidates {
  readonly group: string;
  /** Distinct records the group owns. */
  available: number;
  /** Lowest priorities, up to quota + validation quota, smallest first. */
  readonly byPriority: BoundedHeap<Candidate>;
  /** Lowest split ranks, up to the validation quota. */
  readonly bySplit: BoundedHeap<Candidate>;
}

export interface ScanResult {
  readonly files: readonly InputFileInfo[];
  readonly sources: readonly SourceStats[];
  readonly groups: ReadonlyMap<string, GroupCandidates>;
  /** Mappers per file index, so materialisation maps records exactly as the scan did. */
  readonly mappers: ReadonlyMap<number, RecordMapper>;
}

export interface ScanProgress {
  readonly source: string;
  readonly file: string;
  readonly records: number;
  readonly bytes: number;
}

export interface ScanOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: ScanProgress) => void) | undefined;
  /** Reject records whose own fields would collide with provenance fields (passthrough output). */
  readonly reservedFields?: readonly string[];
  /** The output schema, so a source it cannot express fails at its first record, not at the end. */
  readonly outputSchema?: OutputSchema;
  /** Called for every record the scan sets aside (invalid, filtered, exact duplicate): the evidence log. */
  readonly onRemoved?: ((removal: Removal) => void) | undefined;
  /** Group → factor on its training capacity, for a rescan when filters ate the margin. */
  readonly capacityBoost?: ReadonlyMap<string, number>;
  /** Counts tokens of candidates; the character estimate when absent. */
  readonly tokens?: TokenCounter;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
}

function scanOrder(loaded: LoadedRecipe): SourceSpec[] {
  const prefer = loaded.recipe.dedup.prefer;
  return [...loaded.recipe.sources].sort((a, b) => {
    const byGroup = prefer.indexOf(a.group) - prefer.indexOf(b.group);
    if (byGroup !== 0) return byGroup;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

export async function scanInputs(loaded: LoadedRecipe, plan: MixturePlan, options: ScanOptions = {}): Promise<ScanResult> {
  const { recipe } = loaded;
  const groups = new Map<string, GroupCandidates>();
  // One candidate pool per group, or per length stratum of a stratified group (plan.pools).
  for (const group of plan.pools) {
    const validationQuota = plan.validationQuotas.get(group) ?? 0;
    groups.set(group, {
      group,
      available: 0,
      // Validation records are removed from this heap afterwards, so it holds their room too when
      // both count the same unit; otherwise a rescan with `capacityBoost` covers the difference.
      byPriority: new BoundedHeap(
        Math.ceil((plan.trainingCapacity.get(group) ?? 0) * (options.capacityBoost?.get(group) ?? 1)) + (plan.validationWeightOf === plan.weightOf ? validationQuota : 0),
        byPriority,
        plan.weightOf,
      ),
      bySplit: new BoundedHeap(Math.ceil(validationQuota * (options.capacityBoost?.get(group) ?? 1)), bySplitRank, plan.validationWeightOf),
    });
  }
  const owners = new FingerprintTable();
  const files: InputFileInfo[] = [];
  const sources: SourceStats[] = [];
  const mappers = new Map<number, RecordMapper>();
  const dedup = recipe.dedup.exact;
  const tokens = options.tokens ?? charEstimate;

  for (const source of scanOrder(loaded)) {
    const stats = newSourceStats(source.name, source.group);
    sources.push(stats);
    const pool = groups.get(source.group)!; // the group's pool when it has no strata
    const ownerIndex = recipe.dedup.prefer.indexOf(source.group);
    const filter = compileFilters(source.filters);
    const expanded = await expandPaths(source.path, loaded.baseDir, source.name);
    for (const file of expanded) {
      throwIfAborted(options.signal);
      const format = await detectFormat(file.absolutePath, file.displayPath, source.format);
      const info: InputFileInfo = { index: files.length, source: source.name, ...file, format, encoding: source.encoding, schema: '', bytes: 0, sha256: '', records: 0 };
      files.push(info);
      stats.files.push(info);
      const hasher = createHash('sha256');
      let mapper: RecordMapper | undefined;
      const onFileBytes = (chunk: Buffer) => {
        hasher.update(chunk);
        info.bytes += chunk.length;
      };
      for await (const batch of readRecords(file.absolutePath, { format, encoding: source.encoding, displayPath: file.displayPath, onFileBytes, signal: options.signal })) {
        throwIfAborted(options.signal);
        for (const raw of batch) {
          stats.read++;
          info.records++;
          let analyzed: ReturnType<typeof analyzeBody>;
          let body: SampleBody;
          try {
            const value = parseRecord(raw);
            mapper ??= mapperFor(source.schema, value);
            checkReserved(value, options.reservedFields);
            body = mapper.toBody(value);
            if (options.outputSchema) checkBodyKind(body.kind, options.outputSchema, source.name, file.displayPath, raw.line);
            analyzed = analyzeBody(body, {
              seed: recipe.seed,
              ...(dedup ? {} : { distinctSuffix: `${file.displayPath}:${raw.line}` }),
              filter,
            });
          } catch (error) {
            if (!(error instanceof RecordError)) throw error;
            const where = whereOf(file.displayPath, raw);
            if (source.on_error === 'fail') {
              throw new MixsmithError(error.code, error.message, {
                where,
                hint: error.hint ?? `fix the record, or set on_error: skip on source "${source.name}" to count and skip bad records`,
              });
            }
            recordInvalid(stats, { code: error.code, message: error.message, where });
            options.onRemoved?.({ origin: originOf(file.displayPath, raw), source: source.name, group: source.group, reason: 'invalid', matched: error.code, similarity: 0 });
            if (source.max_errors !== null && stats.invalid > source.max_errors) {
              throw new MixsmithError('INPUT_TOO_MANY_ERRORS', `source "${source.name}" has more than max_errors = ${source.max_errors} bad records`, {
                where,
                hint: `first problems: ${stats.invalidExamples.join('; ')}`,
              });
            }
            continue;
          }
          if (analyzed.filtered) {
            stats.filtered[analyzed.filtered] = (stats.filtered[analyzed.filtered] ?? 0) + 1;
            options.onRemoved?.({ origin: originOf(file.displayPath, raw), source: source.name, group: source.group, reason: 'filtered', matched: analyzed.filtered, similarity: 0 });
            continue;
          }
          if (dedup) {
            const [hi, lo] = fingerprintOf(analyzed.key);
            const owner = owners.claim(hi, lo, ownerIndex, info.index, raw.line);
            if (owner !== -1) {
              if (owner === ownerIndex) stats.duplicates++;
              else stats.crossGroupDuplicates++;
              if (options.onRemoved) {
                const first = files[owners.found.fileIndex]!;
                const matched = originOf(first.displayPath, first.format === 'parquet' ? { line: owners.found.line, row: owners.found.line } : { line: owners.found.line });
                options.onRemoved({ origin: originOf(file.displayPath, raw), source: source.name, group: source.group, reason: 'dup-exact', matched, similarity: 1 });
              }
              continue;
            }
          }
          stats.available++;
          const target = plan.stratified.has(source.group) ? groups.get(plan.poolOf(source.group, analyzed.chars, () => tokens.count(sampleText(body))))! : pool;
          target.available++;
          const candidate: Candidate = {
            key: analyzed.key,
            priority: analyzed.priority,
            splitRank: analyzed.splitRank,
            fileIndex: info.index,
            offset: raw.offset,
            length: raw.length,
            line: raw.line,
            chars: analyzed.chars,
            tokens: 0,
          };
          // Tokens are counted only for records that enter a candidate set: a few per output record.
          if (!target.byPriority.admits(candidate) && !target.bySplit.admits(candidate)) continue;
          candidate.tokens = tokens.count(sampleText(body));
          target.byPriority.offer(candidate);
          target.bySplit.offer(candidate);
        }
        options.onProgress?.({ source: source.name, file: file.displayPath, records: info.records, bytes: info.bytes });
      }
      info.sha256 = hasher.digest('hex');
      if (info.bytes === 0) info.bytes = (await stat(file.absolutePath)).size;
      info.schema = mapper?.name ?? (typeof source.schema === 'string' ? source.schema : 'mapping');
      if (mapper) mappers.set(info.index, mapper);
    }
    if (stats.read === 0) {
      throw new MixsmithError('INPUT_EMPTY', `source "${source.name}" holds no records`, {
        where: { file: stats.files[0]?.displayPath ?? source.path[0] ?? source.name },
        hint: 'check that the file is not empty and that the path points at the data you meant',
      });
    }
  }
  return { files, sources, groups, mappers };
}

function checkBodyKind(kind: SampleBody['kind'], schema: OutputSchema, source: string, file: string, line: number): void {
  const conflict = bodyConflict(kind, schema);
  if (conflict) {
    throw new MixsmithError('RECIPE_CONFLICT', `source "${source}" ${conflict}`, {
      where: { file, line },
      hint: 'change output.schema, or map the source with a schema that fits',
    });
  }
}

function checkReserved(value: unknown, reserved: readonly string[] | undefined): void {
  if (!reserved || value === null || typeof value !== 'object') return;
  for (const field of reserved) {
    if (field in value) {
      throw new RecordError('INPUT_FIELD_TYPE', `the record has its own "${field}" field, which passthrough output would overwrite with provenance`, 'set output.provenance: false to keep the record exactly as it is');
    }
  }
}
