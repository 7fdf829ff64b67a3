/**
 * compose: recipe → scan → select → materialise → shards → manifest, into a staged folder that
 * is renamed into place only when complete. Interrupting (the `signal`) removes the staged folder.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { stageDir } from '../io/atomic-dir.js';
import { PROVENANCE_FIELDS } from '../output/render.js';
import { planMixture } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import type { Clock, ComposeEvent, Phase } from './events.js';
import { buildManifest, type Manifest } from './manifest.js';
import { scanInputs } from './scan.js';
import { selectRecords } from './select.js';
import { writeSplits } from './write-splits.js';

export interface ComposeOptions {
  /** The output folder; must not exist unless `force`. */
  readonly out: string;
  readonly force?: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: ComposeEvent) => void) | undefined;
  readonly clock?: Clock;
}

export interface ComposeResult {
  readonly out: string;
  readonly manifest: Manifest;
}

export async function compose(loaded: LoadedRecipe, options: ComposeOptions): Promise<ComposeResult> {
  const { recipe } = loaded;
  const clock = options.clock ?? (() => new Date());
  const emit = options.onEvent ?? (() => {});
  const startedAt = clock();
  const durationMs: Record<string, number> = {};
  const timed = async <T>(phase: Phase, work: () => Promise<T> | T): Promise<T> => {
    emit({ type: 'phase', phase });
    const start = clock().getTime();
    const result = await work();
    durationMs[phase] = clock().getTime() - start;
    emit({ type: 'done', phase, durationMs: durationMs[phase] });
    return result;
  };

  const plan = planMixture(recipe);
  const staged = await stageDir(options.out, options.force ?? false);
  try {
    const scan = await timed('scan', () =>
      scanInputs(loaded, plan, {
        signal: options.signal,
        outputSchema: recipe.output.schema,
        ...(recipe.output.schema === 'passthrough' && recipe.output.provenance ? { reservedFields: PROVENANCE_FIELDS } : {}),
        onProgress: (p) => emit({ type: 'scan-progress', ...p }),
      }),
    );
    const selection = await timed('select', () => selectRecords(scan, plan, recipe.seed, recipe.mixture.shortage));
    const files = await timed('write', () =>
      writeSplits(scan, selection, { dir: staged.path, seed: recipe.seed, dedup: recipe.dedup.exact, output: recipe.output, signal: options.signal }),
    );
    const manifest = buildManifest({
      recipe,
      scan,
      selection,
      files,
      run: { startedAt: startedAt.toISOString(), finishedAt: clock().toISOString(), durationMs },
    });
    await writeFile(path.join(staged.path, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    await staged.commit();
    return { out: path.resolve(options.out), manifest };
  } catch (error) {
    await staged.discard();
    if (options.signal?.aborted && !(error instanceof MixsmithError && error.code === 'INTERRUPTED')) {
      throw new MixsmithError('INTERRUPTED', 'interrupted', { cause: error });
    }
    throw error;
  }
}
