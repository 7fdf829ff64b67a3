/**
 * The staged pipeline run in one process, part after part: what an executor (a shell loop, a
 * Slurm array, Ray tasks) does with the stage commands, and what the tests hold byte-identical
 * to compose. Each stage skips parts already done, so running it again resumes.
 */
import { planMixture } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { createTokenCounter } from '../tokens/token-counter.js';
import { writeFactsPart } from './facts-stage.js';
import { assembleOutput, runMaterializePart } from './materialize-stage.js';
import { runSelectStage } from './select-stage.js';

export interface StagedRunOptions {
  /** The working folder of the stages (facts, selection, materialized parts). */
  readonly dir: string;
  readonly out: string;
  readonly force?: boolean;
  readonly mapParts: number;
  readonly materializeParts: number;
  readonly workers?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly clock?: () => Date;
}

export async function runStaged(loaded: LoadedRecipe, options: StagedRunOptions) {
  const { recipe } = loaded;
  const plan = planMixture(recipe);
  const tokens = await createTokenCounter(recipe.mixture.tokenizer, loaded.baseDir);
  try {
    for (let index = 1; index <= options.mapParts; index++) {
      await writeFactsPart(loaded, {
        dir: options.dir,
        part: { index, count: options.mapParts },
        plan,
        tokens,
        workers: options.workers,
        signal: options.signal,
      });
    }
    await runSelectStage(loaded, { dir: options.dir, plan });
    for (let index = 1; index <= options.materializeParts; index++) {
      await runMaterializePart(loaded, {
        dir: options.dir,
        part: { index, count: options.materializeParts },
        plan,
        workers: options.workers,
        signal: options.signal,
      });
    }
    return await assembleOutput(loaded, {
      dir: options.dir,
      out: options.out,
      force: options.force,
      plan,
      tokenMethod: tokens.method,
      clock: options.clock,
    });
  } finally {
    tokens.free();
  }
}
