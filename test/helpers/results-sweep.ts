/**
 * A 30-point sweep for `mixsmith results` (issue #23): 6 volumes (20–120) × 5 medical shares
 * (0, 0.25, 0.5, 0.75, 1), `shortage: cap`, over the bench corpus (bench/gen-corpus.mjs, seed 1):
 * 79 domain records of which 70 are distinct (the medical group) and 420 general ones. The medical
 * pool runs out at the larger volumes: v100-medical1 and v120-medical1 are record for record
 * v80-medical1 (collapsed), and v100/v120 at 0.75 hold less medical than their names say.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compose } from '../../src/compose/compose.js';
import type { SweepIndex } from '../../src/manifest/sweep-index.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { twoGroupRecipe } from './corpus.js';

const GEN_CORPUS = path.resolve(import.meta.dirname, '../../bench/gen-corpus.mjs');

export const RESULTS_VOLUMES = [20, 40, 60, 80, 100, 120];
export const RESULTS_SHARES = [0, 0.25, 0.5, 0.75, 1];

export async function composeResultsSweep(dir: string, name = 'sweep30'): Promise<{ out: string; index: SweepIndex }> {
  execFileSync(
    process.execPath,
    [GEN_CORPUS, '--out', path.join(dir, 'corpus'), '--n-domain', '79', '--n-general', '420', '--eval-items', '0'],
    { stdio: 'ignore' },
  );
  const grid = `sweep:\n  volume: [${RESULTS_VOLUMES.join(', ')}]\n  shares:\n    medical: [${RESULTS_SHARES.join(', ')}]\n`;
  const recipe = twoGroupRecipe({
    medical: 'corpus/domain.jsonl',
    general: 'corpus/general.jsonl',
    volume: 120,
    extra: grid,
  }).replace('mixture:\n', 'mixture:\n  shortage: cap\n');
  const out = path.join(dir, name);
  await compose(parseRecipe(recipe, 'recipe.yaml', dir), { out, workers: 0 });
  return { out, index: JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8')) as SweepIndex };
}
