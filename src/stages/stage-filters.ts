/**
 * Near-duplicate removal and decontamination in the select stage, exactly as compose runs them.
 * The owners' fact rows (one per distinct key, in scan order) fill the scan's own candidate heaps
 * (select/scan.ts `candidatePools`: the same room, the same rescans with more room, through
 * select/scan-with-room.ts); compose's filter (select/filter-candidates.ts) re-reads those
 * candidates from the inputs by position, shingles them and matches them against the eval sets.
 * Work and memory grow with the candidates, that is with the output, as in compose.
 *
 * The keys it drops go to the SQL selection as its `removed_keys` table. That selection equals
 * compose's because the room loop ends only when every pool kept enough candidates for its
 * largest quota after the drops, or holds its every record; the removals and the filter's report
 * travel in selection.json for removed.jsonl and the manifests.
 */
import type { MixturePlan } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { emptiedGroups } from '../select/emptied-groups.js';
import { loadEvalSets } from '../select/eval-sets.js';
import type { FilterResult } from '../select/filter-candidates.js';
import { candidatePools, type ScanResult } from '../select/scan.js';
import { filterWithRoom } from '../select/scan-with-room.js';
import { offerFact } from '../select/select-facts.js';
import type { DuckDbEngine } from '../select/sql/duckdb-engine.js';
import type { FactsFileInfo } from './facts-stage.js';

/** What the filters decided, as selection.json carries it (the dropped set is the removed keys). */
export type StagedFilterResult = Omit<FilterResult, 'dropped'>;

export const NO_FILTERS: StagedFilterResult = { removals: [], warnings: [], nearDup: null, decontamination: null };

export interface StagedFilters {
  /** Content keys of the candidates the filters dropped: the SQL selection's `removed_keys`. */
  readonly removedKeys: readonly string[];
  readonly filtered: StagedFilterResult;
}

/** True when the recipe has a filter that runs after the scan (dedup.near, decontaminate). */
export const hasPostScanFilters = (loaded: LoadedRecipe): boolean =>
  loaded.recipe.dedup.near !== null || loaded.recipe.decontaminate !== null;

/**
 * Run the post-scan filters over the owners' rows of `all_rows`/`owners` in `engine`; `scan` holds
 * the inputs as the later stages read them (stages/staged-scan.ts), with the sources' counters.
 */
export async function filterStagedCandidates(
  engine: DuckDbEngine,
  loaded: LoadedRecipe,
  plan: MixturePlan,
  scan: ScanResult,
  files: readonly FactsFileInfo[],
  signal?: AbortSignal,
): Promise<StagedFilters> {
  const { recipe } = loaded;
  const evalMatcher = recipe.decontaminate ? await loadEvalSets(loaded, { signal }) : undefined;
  const result = await filterWithRoom(
    recipe,
    plan,
    { evalMatcher, decontaminateFields: recipe.decontaminate?.fields ?? 'all', signal },
    async (room) => ({ ...scan, groups: await poolsOfOwners(engine, plan, files, room) }),
  );
  const removedKeys = [...result.filtered.dropped].map((c) => c.key);
  const { dropped: _dropped, ...filtered } = result.filtered;
  return {
    removedKeys,
    filtered: {
      ...filtered,
      warnings: [...filtered.warnings, ...emptiedGroups(result.pools, result.filtered, recipe.mixture.shortage)],
    },
  };
}

/** The candidate heaps of every pool, filled from the owners' fact rows in scan order as the scan fills them. */
async function poolsOfOwners(
  engine: DuckDbEngine,
  plan: MixturePlan,
  files: readonly FactsFileInfo[],
  room: ReadonlyMap<string, number>,
) {
  const pools = candidatePools(plan, room);
  const rows = engine.stream(
    `SELECT r.key, r.ranks, r.file_index, r.line, r."offset", r.length, r.chars, r.tokens, r.crc32
     FROM all_rows r JOIN owners w ON w.owner_seq = r.seq ORDER BY r.seq`,
  );
  for await (const row of rows) {
    const file = files[Number(row.file_index)]!;
    const fact = {
      key: String(row.key),
      ranks: String(row.ranks),
      source: file.source,
      group: file.group,
      fileIndex: file.index,
      line: Number(row.line),
      offset: Number(row.offset),
      length: Number(row.length),
      chars: Number(row.chars),
      tokens: Number(row.tokens),
    };
    offerFact(pools, plan, fact, Number(row.crc32));
  }
  return pools;
}
