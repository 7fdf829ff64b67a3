/**
 * compose: recipe → scan (once) → select every point → materialise (once) → shards → manifests,
 * into a staged folder renamed into place only when complete. A single mixture is written to
 * `out`; a sweep writes `out/<point>/` per point plus `sweep.json` and `sweep.csv`, last.
 * Interrupting (the `signal`) removes the staged folder.
 */
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { stageDir } from '../io/atomic-dir.js';
import { refuseGuardedTarget } from '../io/output-guard.js';
import { RecordSpill } from '../io/record-spill.js';
import { RemovalLog } from '../io/removal-log.js';
import { partialsWarnings } from '../io/stale-partials.js';
import { buildManifest, type Manifest } from '../manifest/manifest.js';
import type { SweepIndex } from '../manifest/sweep-index.js';
import { openAiLimitProblems } from '../materialize/openai-format.js';
import type { WrittenFile } from '../materialize/shard-writer.js';
import { writePoints } from '../materialize/write-points.js';
import { planMixture } from '../plan/plan.js';
import { PROVENANCE_FIELDS } from '../recipe/resolve-output.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { expandSources } from '../records/read/source-files.js';
import { emptiedGroups } from '../select/emptied-groups.js';
import { refuseEmptyTraining } from '../select/empty-training.js';
import { loadEvalSets } from '../select/eval-sets.js';
import { scanWithRoom } from '../select/scan-with-room.js';
import { selectPoints } from '../select/select.js';
import { createTokenCounter } from '../tokens/token-counter.js';
import type { Clock, ComposeEvent, Phase } from './events.js';
import { inputSize } from './input-size.js';
import { writePointManifest, writeSweepFiles } from './output-files.js';
import { composeReadPaths } from './read-paths.js';
import { recipeWriteOptions } from './write-options.js';

export interface ComposeOptions {
  /** The output folder; must not exist unless `force`. */
  readonly out: string;
  readonly force?: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: ComposeEvent) => void) | undefined;
  readonly clock?: Clock;
  /** Worker threads for the scan (0: none); absent: one per core, up to 4. Never changes the output. */
  readonly workers?: number | undefined;
  /** The process's peak resident memory in bytes so far; recorded per phase in the manifest's run block when given. */
  readonly peakRss?: (() => number) | undefined;
}

export interface ComposedPoint {
  /** Empty for a single mixture. */
  readonly name: string;
  readonly out: string;
  readonly manifest: Manifest;
}

export interface ComposeResult {
  readonly out: string;
  /** The mixture's manifest (for a sweep, the first point's; see `points`). */
  readonly manifest: Manifest;
  readonly points: readonly ComposedPoint[];
  /** The sweep index, or null for a single mixture. */
  readonly sweep: SweepIndex | null;
}

/** Evidence for every record left out, beside the output (at the root of a sweep). */
const REMOVED_FILE = 'removed.jsonl';
/** Scratch copy of compressed inputs' candidates (io/record-spill.ts); deleted before the folder is committed. */
const SPILL_FILE = '.scan-spill.tmp';

/** A whole file of the output folder; a failure (ENOSPC, EIO) is OUTPUT_IO at the file. */
/** The OpenAI target's file limits, checked on what was written (before the folder is committed); the staged pipeline's assemble step uses it too. */
export function refuseOverOpenAiLimits(
  files: readonly (readonly WrittenFile[])[],
  points: readonly string[],
  isSweep: boolean,
): void {
  const problems = files.flatMap((pointFiles, i) =>
    openAiLimitProblems(pointFiles).map((problem) => (isSweep ? `${points[i]}: ${problem}` : problem)),
  );
  if (problems.length === 0) return;
  throw new MixsmithError('OUTPUT_TARGET', `output.target openai: ${problems.join('; ')}`, {
    hint: 'raise mixture.volume (or lower it, or split the mixture by a sweep) so that each file is within the limits',
  });
}

export async function compose(loaded: LoadedRecipe, options: ComposeOptions): Promise<ComposeResult> {
  const { recipe } = loaded;
  const clock = options.clock ?? (() => new Date());
  const emit = options.onEvent ?? (() => {});
  const startedAt = clock();
  const durationMs: Record<string, number> = {};
  const peakRssBytes: Record<string, number> = {};
  const timed = async <T>(phase: Phase, work: () => Promise<T> | T): Promise<T> => {
    emit({ type: 'phase', phase });
    const start = clock().getTime();
    const result = await work();
    durationMs[phase] = clock().getTime() - start;
    // The process's peak so far: the peak of this phase, or of an earlier one if that was higher.
    if (options.peakRss) peakRssBytes[phase] = options.peakRss();
    emit({ type: 'done', phase, durationMs: durationMs[phase] });
    return result;
  };

  const plan = planMixture(recipe);
  const sourceFiles = await expandSources(loaded);
  await refuseGuardedTarget(options.out, await composeReadPaths(loaded, sourceFiles), '--out');
  const staged = await stageDir(options.out, options.force ?? false);
  for (const message of partialsWarnings(staged.partials)) emit({ type: 'warning', message });
  const tokens = await createTokenCounter(recipe.mixture.tokenizer, loaded.baseDir);
  const spill = new RecordSpill(path.join(staged.path, SPILL_FILE));
  const log = new RemovalLog(path.join(staged.path, REMOVED_FILE), REMOVED_FILE);
  try {
    const {
      scan,
      pools,
      filtered: scanned,
    } = await timed('scan', async () => {
      emit({ type: 'scan-start', ...(await inputSize(sourceFiles)) });
      const evalMatcher = recipe.decontaminate ? await loadEvalSets(loaded, { signal: options.signal }) : undefined;
      return scanWithRoom(loaded, plan, {
        log,
        evalMatcher,
        decontaminateFields: recipe.decontaminate?.fields ?? 'all',
        signal: options.signal,
        // With a chat template, text output takes chat and text sources alike: nothing to refuse early.
        ...(recipe.output.schema === 'text' && recipe.output.template !== null
          ? {}
          : { outputSchema: recipe.output.schema }),
        ...(recipe.output.schema === 'passthrough' && recipe.output.provenance
          ? { reservedFields: PROVENANCE_FIELDS }
          : {}),
        onProgress: (p) => emit({ type: 'scan-progress', ...p }),
        tokens,
        workers: options.workers,
        sourceFiles,
        spill,
      });
    });
    const removed = await log.close();
    const filtered = {
      ...scanned,
      warnings: [...scanned.warnings, ...emptiedGroups(pools, scanned, recipe.mixture.shortage)],
    };
    for (const warning of filtered.warnings) emit({ type: 'warning', message: warning });
    const selections = await timed('select', () => selectPoints(pools, plan, recipe.mixture, recipe.seed));
    refuseEmptyTraining(selections);
    const dirOf = (name: string) => (plan.isSweep ? path.join(staged.path, name) : staged.path);
    const files = await timed('write', () =>
      writePoints(scan, selections, {
        ...recipeWriteOptions(recipe),
        signal: options.signal,
        workers: options.workers,
        dirOf: (s) => dirOf(s.point.name),
      }),
    );
    await spill.dispose();
    if (recipe.output.target === 'openai')
      refuseOverOpenAiLimits(
        files,
        selections.map((s) => s.point.name),
        plan.isSweep,
      );
    const inputBytes = scan.files.reduce((sum, f) => sum + f.bytes, 0);
    const run = {
      startedAt: startedAt.toISOString(),
      finishedAt: clock().toISOString(),
      durationMs,
      inputBytes,
      scanMBPerSecond: durationMs.scan ? Number((inputBytes / 1e6 / (durationMs.scan / 1000)).toFixed(1)) : 0,
      ...(options.peakRss ? { peakRssBytes } : {}),
    };
    const manifests: Manifest[] = [];
    for (const [i, selection] of selections.entries()) {
      const dir = dirOf(selection.point.name);
      // Layout files are built from the manifest's numbers and then listed in it; the manifest is written last.
      const evidence = { ...removed, path: plan.isSweep ? `../${removed.path}` : removed.path };
      const draft = buildManifest({
        recipe,
        scan,
        selection,
        isSweep: plan.isSweep,
        tokenMethod: tokens.method,
        files: files[i]!,
        removed: evidence,
        filtered,
        run,
      });
      manifests.push(await writePointManifest(dir, draft, recipe.output.layouts));
    }
    const sweep: SweepIndex | null = plan.isSweep
      ? await writeSweepFiles(staged.path, manifests, recipe.output.layouts)
      : null;
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    await staged.commit();
    tokens.free();
    const out = path.resolve(options.out);
    const points = manifests.map((manifest, i) => ({
      name: selections[i]!.point.name,
      out: plan.isSweep ? path.join(out, selections[i]!.point.name) : out,
      manifest,
    }));
    return { out, manifest: manifests[0]!, points, sweep };
  } catch (error) {
    tokens.free();
    await spill.dispose();
    await log.abort();
    await staged.discard();
    if (options.signal?.aborted && !(error instanceof MixsmithError && error.code === 'INTERRUPTED')) {
      throw new MixsmithError('INTERRUPTED', 'interrupted', { cause: error });
    }
    throw error;
  }
}
