/**
 * The staged pipeline's working folder (docs/scale-out.md): what each stage writes there, how a
 * part is named, and what ties the parts to one recipe and one Unicode version. Every file is
 * written under a temporary name and renamed into place when complete, so a file that exists is
 * whole, a rerun skips it, and a part killed half-way leaves only a temporary that never counts.
 *
 *   facts/part-00001-of-00007.parquet        one per map part (facts stage)
 *   selection.json, removed.jsonl            the select stage
 *   materialize/part-00001-of-00003/         one per materialize part: its points' shards + written.json
 */
import { createHash, randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { outputIoError } from '../io/output-error.js';
import { stableStringify } from '../json/stable-json.js';
import { recipeHash } from '../manifest/manifest.js';
import type { MixturePlan } from '../plan/plan.js';
import type { Recipe } from '../recipe/types.js';

/** Version of the facts file and selection formats below; a change is a new number. */
export const STAGES_VERSION = 1;

/** One part of a stage: `index` of `count`, 1-based (`3/7`). */
export interface PartSpec {
  readonly index: number;
  readonly count: number;
}

/** `i/N` (1 ≤ i ≤ N) as a part, or a USAGE error naming `flag`. */
export function parsePart(text: unknown, flag: string): PartSpec {
  const match = typeof text === 'string' ? /^(\d+)\/(\d+)$/.exec(text) : null;
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || index < 1 || index > count || count > 99999) {
    throw new MixsmithError('USAGE', `${flag} must be i/N with 1 <= i <= N <= 99999, got ${String(text)}`, {
      where: { file: `${flag} ${String(text)}` },
      hint: `${flag} 1/1 runs the whole stage as one part; ${flag} 3/7 runs the third of seven`,
    });
  }
  return { index, count };
}

export const partName = (part: PartSpec): string =>
  `part-${String(part.index).padStart(5, '0')}-of-${String(part.count).padStart(5, '0')}`;

export const factsDir = (dir: string) => path.join(dir, 'facts');
export const factsFile = (dir: string, part: PartSpec) => path.join(factsDir(dir), `${partName(part)}.parquet`);
export const selectionFile = (dir: string) => path.join(dir, 'selection.json');
export const removedFile = (dir: string) => path.join(dir, 'removed.jsonl');
export const materializeDir = (dir: string, part: PartSpec) => path.join(dir, 'materialize', partName(part));
export const WRITTEN_FILE = 'written.json';

/** What ties stage files to one recipe: the resolved recipe's hash and the plan's (sha256 of its stable JSON). */
export function stageDigest(recipe: Recipe, plan: MixturePlan): { recipeSha256: string; planSha256: string } {
  return {
    recipeSha256: recipeHash(recipe),
    planSha256: createHash('sha256').update(stableStringify(plan)).digest('hex'),
  };
}

/**
 * A temporary name beside `file`, unique to this writer, that no reader takes for a finished file.
 * One a killed run left behind is never read (and is overwritten by nothing): remove `*.tmp-*` at will.
 */
export const temporaryOf = (file: string) => `${file}.tmp-${randomBytes(6).toString('hex')}`;

/** Write `text` to `file` through a temporary and a rename: the file exists only when complete. */
export async function writeWhole(file: string, text: string): Promise<void> {
  const temp = temporaryOf(file);
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (cause) {
    await rm(temp, { force: true });
    throw outputIoError(file, cause);
  }
}
