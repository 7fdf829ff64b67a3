/**
 * One pass over every input. Groups are scanned in ownership order (dedup.prefer), sources by
 * name, files by path, so "first copy wins" means: the group of highest precedence, then the
 * smallest (source, file, line). None of that depends on how the recipe lists its sources.
 *
 * Per record the scan keeps a 64-bit fingerprint (who owns the key) and, if the record ranks
 * among the lowest priorities of its group, a small candidate: memory grows with the output.
 *
 * Each record takes two steps: a pure one (parse, map, filter, normalise, hash: record-outcome.ts),
 * which may run in worker threads, and an ordered one (claim, count, offer: scan-record.ts), which
 * runs here in file order, so the result never depends on the number of workers.
 */
import { stat } from 'node:fs/promises';
import { MixsmithError } from '../errors.js';
import { BlockPool } from '../io/block-pool.js';
import { readLimitsOf } from '../io/read-limits.js';
import { detectCompression } from '../io/compression.js';
import { detectFormat } from '../records/read/detect-format.js';
import type { RecordSpill } from '../io/record-spill.js';
import { expandPaths } from '../records/read/expand-paths.js';
import type { Removal } from './filter-candidates.js';
import { type MixturePlan, weigher } from '../plan/plan.js';
import type { FieldMapping, LoadedRecipe, OutputSchema, PresetName } from '../recipe/types.js';
import { charEstimate, type TokenCounter } from '../tokens/token-counter.js';
import type { RecordMapper } from '../records/map/schema-for.js';
import { BoundedHeap } from './bounded-heap.js';
import { FingerprintTable } from './fingerprint-table.js';
import { RecordPlaces } from './record-places.js';
import type { FileDigest } from '../io/hash-pool.js';
import { analyzedBatches, type BatchRouting } from '../records/facts/analyzed-batches.js';
import { schemaOf } from '../records/facts/record-outcome.js';
import { byPriority, bySplitRank, type Candidate } from '../records/facts/candidate.js';
import type { ScannedFiles } from '../records/read/read-candidates.js';
import { sourcesInScanOrder } from '../records/facts/fact-rows.js';
import type { SourceFiles } from '../records/read/source-files.js';
import { scanBatches } from '../records/read/scan-batch.js';
import { consumeBatch, type FileScan, type ScanState } from './scan-record.js';
import { ScanWorkers } from '../records/facts/scan-workers.js';
import { type InputFileInfo, newSourceStats, type SourceStats } from '../records/facts/source-stats.js';

export interface GroupCandidates {
  readonly group: string;
  /** Distinct records the group owns. */
  available: number;
  /** Lowest priorities, up to quota + validation quota, smallest first. */
  readonly byPriority: BoundedHeap<Candidate>;
  /** Lowest split ranks, up to the validation quota. */
  readonly bySplit: BoundedHeap<Candidate>;
}

export interface ScanResult extends ScannedFiles {
  readonly sources: readonly SourceStats[];
  readonly groups: ReadonlyMap<string, GroupCandidates>;
  /** The same mappers as data (preset name or mapping), for worker threads to rebuild them. */
  readonly mapperSchemas: ReadonlyMap<number, PresetName | FieldMapping>;
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
  /**
   * Copy candidates of compressed JSONL files here, so the write phase need not decompress those
   * files again (compose passes one in its staged folder; plan, which writes nothing, does not).
   */
  readonly spill?: RecordSpill | undefined;
  /** The output schema, so a source it cannot express fails at its first record, not at the end. */
  readonly outputSchema?: OutputSchema;
  /** Called for every record the scan sets aside (invalid, filtered, exact duplicate): the evidence log. */
  readonly onRemoved?: ((removal: Removal) => void) | undefined;
  /** Group → factor on its training capacity, for a rescan when filters ate the margin. */
  readonly capacityBoost?: ReadonlyMap<string, number>;
  /** Counts tokens of candidates; the character estimate when absent. */
  readonly tokens?: TokenCounter;
  /**
   * Worker threads for parsing, normalising and hashing (0: all on this thread). Absent: one per
   * core up to 4, for files of 4 MB and more. The output is the same for any count.
   */
  readonly workers?: number | undefined;
  /** The sources' files as the run expanded them (`expandSources`); absent: expanded here. */
  readonly sourceFiles?: SourceFiles | undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
}

/**
 * One empty candidate pool per group, or per length stratum / source of a group (plan.pools),
 * with the room the scan keeps: each pool's training capacity (times its `boost` on a rescan)
 * plus its validation quota, and the validation quota (times the boost) for split ranks. The
 * staged select stage fills the same pools from fact rows, so both keep the same candidates.
 */
/** A heap's capacity for `capacity` times `factor` (1 when absent; infinite keeps every record, but nothing where nothing is wanted). */
const room = (capacity: number, factor = 1): number =>
  capacity <= 0 ? 0 : factor === Number.POSITIVE_INFINITY ? factor : Math.ceil(capacity * factor);

export function candidatePools(plan: MixturePlan, boost?: ReadonlyMap<string, number>): Map<string, GroupCandidates> {
  const groups = new Map<string, GroupCandidates>();
  for (const group of plan.pools) {
    const validationQuota = plan.validationQuotas[group] ?? 0;
    groups.set(group, {
      group,
      available: 0,
      // Validation records are removed from this heap afterwards, so it holds their room too when
      // both count the same unit; otherwise a rescan with `boost` covers the difference.
      byPriority: new BoundedHeap(
        room(plan.trainingCapacity[group] ?? 0, boost?.get(group)) +
          (plan.validationUnit === plan.unit ? validationQuota : 0),
        byPriority,
        weigher(plan.unit),
      ),
      bySplit: new BoundedHeap(room(validationQuota, boost?.get(group)), bySplitRank, weigher(plan.validationUnit)),
    });
  }
  return groups;
}

export async function scanInputs(
  loaded: LoadedRecipe,
  plan: MixturePlan,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const { recipe } = loaded;
  const groups = candidatePools(plan, options.capacityBoost);
  const files: InputFileInfo[] = [];
  const sources: SourceStats[] = [];
  const mappers = new Map<number, RecordMapper>();
  const mapperSchemas = new Map<number, PresetName | FieldMapping>();
  const state: ScanState = {
    plan,
    groups,
    owners: new FingerprintTable(),
    places: new RecordPlaces(),
    files,
    dedup: recipe.dedup.exact,
    tokens: options.tokens ?? charEstimate,
    onRemoved: options.onRemoved,
  };
  const workers = new ScanWorkers(options.workers, options.signal);
  options.spill?.reset();
  try {
    for (const source of sourcesInScanOrder(loaded)) {
      const stats = newSourceStats(source.name, source.group);
      sources.push(stats);
      const expanded =
        options.sourceFiles?.get(source.name) ?? (await expandPaths(source.path, loaded.baseDir, source.name));
      for (const input of expanded) {
        throwIfAborted(options.signal);
        const format = await detectFormat(input.absolutePath, input.displayPath, source.format);
        const limits = readLimitsOf(source);
        const info: InputFileInfo = {
          index: files.length,
          source: source.name,
          ...input,
          format,
          encoding: source.encoding,
          limits,
          schema: '',
          bytes: 0,
          sha256: '',
          records: 0,
        };
        files.push(info);
        stats.files.push(info);
        const file: FileScan = {
          source,
          stats,
          info,
          ownerIndex: recipe.dedup.prefer.indexOf(source.group),
          placeBase: state.places.beginFile(info.index),
          context: {
            file: info.index,
            displayPath: info.displayPath,
            source: source.name,
            seed: recipe.seed,
            dedup: recipe.dedup.exact,
            filters: source.filters,
            reservedFields: options.reservedFields,
            outputSchema: options.outputSchema,
            maxDepth: limits.maxDepth,
          },
          spec: source.schema,
          mapper: undefined,
          spill:
            options.spill &&
            format === 'jsonl' &&
            (await detectCompression(input.absolutePath, input.displayPath)) !== 'none'
              ? options.spill
              : undefined,
        };
        const routing = workers.routeFor(format, (await stat(info.absolutePath)).size);
        await scanFile(state, file, routing, workers.digestFor(routing), options);
        if (file.mapper) {
          mappers.set(info.index, file.mapper);
          mapperSchemas.set(info.index, schemaOf(file.mapper, file.spec));
        }
      }
      if (stats.read === 0) {
        throw new MixsmithError('INPUT_EMPTY', `source "${source.name}" holds no records`, {
          where: { file: stats.files[0]?.displayPath ?? source.path[0] ?? source.name },
          hint: 'check that the file is not empty and that the path points at the data you meant',
        });
      }
    }
  } finally {
    await workers.close();
  }
  options.spill?.flush();
  return { files, sources, groups, mappers, mapperSchemas, spillPath: options.spill?.path };
}

/** Read one file, analyse its records (inline or in workers), and consume their outcomes in order. */
async function scanFile(
  state: ScanState,
  file: FileScan,
  routing: BatchRouting,
  hasher: FileDigest,
  options: ScanOptions,
): Promise<void> {
  const { info, source } = file;
  const onFileBytes = (chunk: Buffer) => {
    hasher.update(chunk);
    info.bytes += chunk.length;
  };
  const blocks = new BlockPool();
  const batches = scanBatches(
    info.absolutePath,
    {
      format: info.format,
      encoding: source.encoding,
      displayPath: info.displayPath,
      limits: info.limits,
      onFileBytes,
      signal: options.signal,
    },
    blocks,
  );
  for await (const { batch, outcome } of analyzedBatches(batches, file, { ...routing, blocks })) {
    throwIfAborted(options.signal);
    consumeBatch(state, file, batch, outcome);
    options.onProgress?.({ source: source.name, file: info.displayPath, records: info.records, bytes: info.bytes });
    const behind = hasher.backlog();
    if (behind) await behind;
  }
  info.sha256 = await hasher.digest();
  if (info.bytes === 0) info.bytes = (await stat(info.absolutePath)).size;
  info.schema = file.mapper?.name ?? (typeof source.schema === 'string' ? source.schema : 'mapping');
}
