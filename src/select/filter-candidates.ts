/**
 * Near-duplicate removal and decontamination over the scan's candidates (DESIGN §3.5): each
 * candidate is re-read once; decontamination drops samples overlapping an eval item; the others'
 * MinHash band keys are kept. Then candidates of every group are offered to the near-duplicate
 * index in global priority order, and one that near-duplicates an already accepted record is
 * dropped, with that record as evidence. Only candidates that share a band key with another can
 * be compared at all: those few are read a second time for their shingle sets (exact Jaccard)
 * and snippets; the rest are accepted without keeping either (`near-dup/band-collisions.ts`).
 *
 * A record's fate depends only on records of lower priority, so all sweep points (which share
 * one candidate set) stay nested and quotas are filled from the survivors exactly. Work and memory
 * grow with the candidates, that is with the output, not with the input.
 */
import { ContaminationTally, type EvalSetReport } from '../decontam/contamination-tally.js';
import type { ContaminationMatch, EvalIndex, EvalSetIndexStats, SharedEvalIndex } from '../decontam/eval-index.js';
import { MixsmithError } from '../errors.js';
import { sharesABandKey } from '../near-dup/band-collisions.js';
import { ClusterTally, clusterSnippet, describeLargeCluster } from '../near-dup/cluster-tally.js';
import { NearDupIndex, type NearDupStats } from '../near-dup/near-dup-index.js';
import type { Recipe } from '../recipe/types.js';
import { type TextFields, textForFields } from '../text/fields.js';
import { byPriority, type Candidate } from '../records/facts/candidate.js';
import {
  byFile,
  fileReading,
  type OnSample,
  readCandidates,
  readFileCandidates,
  type WantedRecord,
} from '../records/read/read-candidates.js';
import { originOf } from '../records/read/raw-record.js';
import { rereadFileInBatches, rereadsAsBytes } from '../records/read/reread-batches.js';
import { IN_FLIGHT_PER_WORKER } from '../workers/worker-pool.js';
import type { ScanResult } from './scan.js';
import {
  CandidateFacts,
  type CandidateFact,
  type FactFields,
  factTexts,
  type NearFactSettings,
  nearShingles,
  unpackFacts,
} from './candidate-facts.js';
import { candidateFactsPoolFor, OrderedBatches } from './candidate-facts-batches.js';

/** Why a record is not in the output: the `reason` column of removed.jsonl. */
export type RemovalReason = 'invalid' | 'filtered' | 'dup-exact' | 'dup-near' | 'contaminated';

/** One record removed after the scan, and why. */
export interface Removal {
  readonly origin: string;
  readonly source: string;
  readonly group: string;
  readonly reason: RemovalReason;
  /** The kept record's origin (dup-exact, dup-near), the eval item's id (contaminated), the error code (invalid) or filter (filtered). */
  readonly matched: string;
  /** 1 (dup-exact), exact Jaccard (dup-near), the share of the eval item's n-grams found (contaminated), else 0. */
  readonly similarity: number;
}

/** Finds the eval item a training text overlaps; built from the recipe's eval sets. */
export interface EvalMatcher {
  match(text: string): ContaminationMatch | undefined;
  /** Per eval set: items read, indexed, too short. */
  stats(): readonly EvalSetIndexStats[];
  /** `match` for a text already normalised and cut into tokens (`EvalIndex.matchTokens`). */
  matchTokens: EvalIndex['matchTokens'];
  /** The index in shared memory, for worker threads to match with (`candidate-facts-pool.ts`). */
  shared(): SharedEvalIndex;
}

export interface FilterResult {
  readonly dropped: ReadonlySet<Candidate>;
  readonly removals: readonly Removal[];
  /** Large-cluster guard messages (errors instead when fail_on_large_cluster). */
  readonly warnings: readonly string[];
  readonly nearDup: NearDupStats | null;
  /** Per eval set: items hit, samples removed per source, example pairs; null without decontaminate. */
  readonly decontamination: readonly EvalSetReport[] | null;
}

export interface FilterOptions {
  readonly evalMatcher?: EvalMatcher | undefined;
  /**
   * Worker threads for decontamination and near-duplicate shingling (0: on this thread). Absent:
   * one per core up to 4, when the candidates hold 4 MB or more. The result is the same for any count.
   */
  readonly workers?: number | undefined;
  readonly decontaminateFields?: 'all' | 'user' | 'assistant';
  readonly signal?: AbortSignal | undefined;
}

/** A candidate that shares a band key with another, read again: what comparing it needs. */
interface Shingled {
  readonly candidate: Candidate;
  readonly origin: string;
  readonly source: string;
  readonly group: string;
  /** What a large-cluster warning quotes of the record (`clusterSnippet`). */
  readonly snippet: string;
  readonly shingles: Uint32Array;
}

/** Band keys of the candidates that reach the near-duplicate pass, `bands` per candidate, in arrival order. */
class BandedCandidates {
  readonly candidates: Candidate[] = [];
  private keys: Uint32Array;

  constructor(readonly bands: number) {
    this.keys = new Uint32Array(bands * 1024);
  }

  add(candidate: Candidate, keys: Uint32Array): void {
    const at = this.candidates.length * this.bands;
    if (at + this.bands > this.keys.length) {
      const grown = new Uint32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys.set(keys, at);
    this.candidates.push(candidate);
  }

  keysOf(item: number): Uint32Array {
    return this.keys.subarray(item * this.bands, (item + 1) * this.bands);
  }

  all(): Uint32Array {
    return this.keys.subarray(0, this.candidates.length * this.bands);
  }
}

const NO_FILTER: FilterResult = {
  dropped: new Set(),
  removals: [],
  warnings: [],
  nearDup: null,
  decontamination: null,
};

export async function filterCandidates(
  scan: ScanResult,
  recipe: Recipe,
  options: FilterOptions = {},
): Promise<FilterResult> {
  const near = recipe.dedup.near;
  if (!near && !options.evalMatcher) return NO_FILTER;
  const wanted = new Map<Candidate, string>();
  for (const [group, pool] of scan.groups) {
    for (const candidate of [...pool.byPriority.sorted(), ...pool.bySplit.sorted()]) wanted.set(candidate, group);
  }
  const nearSettings: NearFactSettings | null = near
    ? {
        bands: near.bands,
        rows: near.rows,
        shingle: { unit: near.shingle, wordSize: near.word_size, charSize: near.char_size },
      }
    : null;
  const banded = new BandedCandidates(nearSettings?.bands ?? 0);
  const removals: Removal[] = [];
  const dropped = new Set<Candidate>();
  const matcher = options.evalMatcher;
  const contamination = matcher ? new ContaminationTally() : undefined;
  /** What a candidate's fate needs once its facts are known (at once inline, or when its batch returns). */
  interface Read {
    readonly candidate: Candidate;
    readonly origin: string;
    readonly source: string;
    readonly group: string;
  }
  const settle = (read: Read, { hit, near: nearFacts }: CandidateFact) => {
    const { candidate, ...base } = read;
    if (hit) {
      dropped.add(candidate);
      contamination?.record(hit, { id: base.origin, source: base.source });
      removals.push({ ...base, reason: 'contaminated', matched: hit.evalId, similarity: hit.matchedShare });
      return;
    }
    if (nearFacts) banded.add(candidate, nearFacts.bandKeys);
  };
  const wantedList = [...wanted].map(([candidate, group]) => ({ candidate, group }));
  const fields = options.decontaminateFields ?? 'all';
  // One text serves both filters when they look at the same fields.
  const nearIsText = matcher !== undefined && near !== null && near.fields === fields;
  const shape = {
    texts: matcher !== undefined,
    nearTexts: near !== null && !nearIsText,
    bands: nearSettings?.bands ?? 0,
  };
  const pool = candidateFactsPoolFor(matcher, nearSettings, wantedList, options);
  try {
    const inline = pool ? undefined : new CandidateFacts(matcher, nearSettings);
    const batches = pool ? new OrderedBatches<Read>(pool, settle, shape) : undefined;
    const factFields: FactFields = { fields: matcher ? fields : null, nearFields: near ? near.fields : null };
    const onSample: OnSample = (candidate, sample) => {
      const read = { candidate, origin: sample.origin, source: sample.source, group: sample.group };
      const { text, nearText } = factTexts(sample.body, factFields);
      if (inline) return settle(read, inline.of(text, nearText));
      return batches?.add(read, text, nearText);
    };
    const readOptions = { seed: recipe.seed, dedup: recipe.dedup.exact, signal: options.signal };
    for (const [fileIndex, indexes] of byFile(wantedList)) {
      const reading = await fileReading(scan, fileIndex, indexes, wantedList, options.signal);
      if (!pool || !rereadsAsBytes(scan.mapperSchemas, reading)) {
        await readFileCandidates(scan, reading, wantedList, onSample, readOptions);
        continue;
      }
      // JSONL read by offset: the workers parse and map the records too, so this thread only reads.
      // Facts are settled in reading order: the text batches of earlier files first.
      await batches?.finish();
      await rereadFileInBatches(
        reading,
        wantedList,
        scan.mapperSchemas.get(fileIndex)!,
        {
          inFlight: pool.size * IN_FLIGHT_PER_WORKER,
          send: (base, input) => pool.factsOfBytes({ context: { ...base, ...factFields }, input }),
          deliver: (first, packed) => {
            const facts = unpackFacts(packed, shape.bands);
            for (let k = 0; k < facts.length; k++) {
              const index = indexes[first + k]!;
              const { candidate, group } = wantedList[index]!;
              const { line } = reading.extents[first + k]!;
              const origin = originOf(reading.file.displayPath, { line });
              settle({ candidate, origin, source: reading.file.source, group }, facts[k]!);
            }
          },
        },
        options.signal,
      );
    }
    await batches?.finish();
  } finally {
    await pool?.close();
  }
  const decontamination = contamination?.report(matcher?.stats()) ?? null;
  if (!near) return { dropped, removals: sortRemovals(removals), warnings: [], nearDup: null, decontamination };

  const shingled = await shingleColliders(scan, banded, wanted, near.fields, nearSettings!, recipe, options);
  const order = banded.candidates.map((_, item) => item);
  order.sort((a, b) => byPriority(banded.candidates[a]!, banded.candidates[b]!));
  const index = new NearDupIndex<Shingled>({ threshold: near.threshold, bands: near.bands, rows: near.rows });
  const tally = new ClusterTally<Shingled>();
  for (const item of order) {
    const facts = shingled.get(banded.candidates[item]!);
    if (!facts) {
      index.acceptAlone();
      continue;
    }
    const match = index.offerByBands(facts, facts.shingles, banded.keysOf(item));
    if (!match) continue;
    dropped.add(facts.candidate);
    removals.push({
      origin: facts.origin,
      source: facts.source,
      group: facts.group,
      reason: 'dup-near',
      matched: match.matchId.origin,
      similarity: match.jaccard,
    });
    tally.record({ keptId: match.matchId, droppedId: facts, droppedSource: facts.source });
  }
  const sourceRecords = new Map(scan.sources.map((s) => [s.name, s.available]));
  const warnings = tally
    .largeClusters(sourceRecords, near.max_cluster_share)
    .map((c) =>
      describeLargeCluster(
        { ...c, keptId: c.keptId.origin, exampleDroppedId: c.exampleDroppedId.origin },
        c.keptId.snippet,
        c.exampleDroppedId.snippet,
      ),
    );
  if (warnings.length > 0 && near.fail_on_large_cluster) {
    throw new MixsmithError('NEAR_DUP_LARGE_CLUSTER', warnings[0]!, {
      hint: 'raise dedup.near.threshold or max_cluster_share, restrict dedup.near.fields, or unset fail_on_large_cluster',
    });
  }
  return { dropped, removals: sortRemovals(removals), warnings, nearDup: index.stats, decontamination };
}

/**
 * The candidates that share a band key with another, read again and shingled: the only ones the
 * near-duplicate pass compares (see `NearDupIndex.acceptAlone`).
 */
async function shingleColliders(
  scan: ScanResult,
  banded: BandedCandidates,
  groups: ReadonlyMap<Candidate, string>,
  fields: TextFields,
  near: NearFactSettings,
  recipe: Recipe,
  options: FilterOptions,
): Promise<Map<Candidate, Shingled>> {
  const collides = sharesABandKey(banded.all(), banded.bands);
  const colliders: WantedRecord[] = [];
  for (let item = 0; item < collides.length; item++) {
    if (collides[item] === 0) continue;
    const candidate = banded.candidates[item]!;
    colliders.push({ candidate, group: groups.get(candidate)! });
  }
  const shingled = new Map<Candidate, Shingled>();
  await readCandidates(
    scan,
    colliders,
    (candidate, sample) => {
      const text = textForFields(sample.body, fields);
      shingled.set(candidate, {
        candidate,
        origin: sample.origin,
        source: sample.source,
        group: sample.group,
        snippet: clusterSnippet(text),
        shingles: nearShingles(text, near),
      });
    },
    { seed: recipe.seed, dedup: recipe.dedup.exact, signal: options.signal },
  );
  return shingled;
}

/** Evidence in a stable order: by origin, then reason. */
function sortRemovals(removals: Removal[]): Removal[] {
  return removals.sort((a, b) =>
    a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0,
  );
}
