/**
 * A 30-point sweep for `mixsmith results` (issue #23): 6 volumes (20–120) × 5 medical shares
 * (0, 0.25, 0.5, 0.75, 1) over 70 medical and 400 general records, `shortage: cap`. The medical
 * pool runs out at the larger volumes: v100-medical1 and v120-medical1 are record for record
 * v80-medical1 (collapsed), and v100/v120 at 0.75 hold less medical than their names say.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compose } from '../../src/compose/compose.js';
import type { SweepIndex } from '../../src/manifest/sweep-index.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from './corpus.js';

export const RESULTS_VOLUMES = [20, 40, 60, 80, 100, 120];
export const RESULTS_SHARES = [0, 0.25, 0.5, 0.75, 1];

export async function composeResultsSweep(dir: string, name = 'sweep30'): Promise<{ out: string; index: SweepIndex }> {
  writeJsonl(path.join(dir, 'dom.jsonl'), alpacaRecords('dom', 70));
  writeJsonl(path.join(dir, 'gen.jsonl'), alpacaRecords('gen', 400));
  const grid = `sweep:\n  volume: [${RESULTS_VOLUMES.join(', ')}]\n  shares:\n    medical: [${RESULTS_SHARES.join(', ')}]\n`;
  const recipe = twoGroupRecipe({ medical: 'dom.jsonl', general: 'gen.jsonl', volume: 120, extra: grid }).replace('mixture:\n', 'mixture:\n  shortage: cap\n');
  const out = path.join(dir, name);
  await compose(parseRecipe(recipe, 'recipe.yaml', dir), { out, workers: 0 });
  return { out, index: JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8')) as SweepIndex };
}
