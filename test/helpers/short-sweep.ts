/**
 * A sweep whose medical pool is smaller than its grid needs (issue #18): 60 medical and 300
 * general records, 20 of them held out for validation (6 medical), and a 3 × 3 grid of volumes
 * 100–400 × medical 0.25–0.75. Under `shortage: cap` six points miss their shares and
 * v400-medical0.75 is v200-medical0.5 record for record; under `redistribute` six miss and three
 * are copies of an earlier point.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from './corpus.js';

export const SHORT_SWEEP_GRID = 'sweep:\n  volume: [100, 200, 400]\n  shares:\n    medical: [0.25, 0.5, 0.75]\n';

export function writeShortPools(dir: string): void {
  writeJsonl(path.join(dir, 'short-med.jsonl'), alpacaRecords('med', 60));
  writeJsonl(path.join(dir, 'short-gen.jsonl'), alpacaRecords('gen', 300));
}

/** The recipe's text; `extra` goes inside `sweep:` (e.g. `  tolerance: 0.6\n`). Under `repeat`, up to 8 epochs (300 rows from 54). */
export function shortSweepRecipe(shortage: string, extra = ''): string {
  const epochs = shortage === 'repeat' ? '  max_epochs: 8\n' : '';
  return twoGroupRecipe({
    medical: 'short-med.jsonl',
    general: 'short-gen.jsonl',
    volume: 400,
    validation: 20,
    extra: `${SHORT_SWEEP_GRID}${extra}`,
  }).replace('mixture:\n', `mixture:\n  shortage: ${shortage}\n${epochs}`);
}

/** Write the recipe to dir/<name>.yaml; returns its path. */
export function writeShortSweepRecipe(dir: string, name: string, shortage: string, extra = ''): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, shortSweepRecipe(shortage, extra));
  return file;
}

/** Compose the sweep into dir/<name> with the library; returns the folder. */
export async function composeShortSweep(dir: string, name: string, shortage: string): Promise<string> {
  const out = path.join(dir, name);
  await compose(parseRecipe(shortSweepRecipe(shortage), 'recipe.yaml', dir), { out });
  return out;
}
