/**
 * What a layout file is built from: the mixture's manifest (without its run block and without the
 * layouts themselves), so a card's numbers are the manifest's numbers. Builders are pure:
 * manifest in, file text out.
 */
import type { Manifest } from '../manifest.js';
import type { WrittenFile } from '../../materialize/shard-writer.js';
import type { OutputSpec } from '../../recipe/types.js';
import { outputMetaKeys } from '../../materialize/output-meta.js';

export type LayoutInput = Pick<Manifest, 'recipe' | 'seed' | 'point' | 'groups' | 'sources' | 'splits' | 'files'>;

/** One layout file: its name in the output folder and its text. */
export interface LayoutText {
  readonly path: string;
  readonly text: string;
}

export const SPLIT_ORDER = ['train', 'validation'] as const;

/** The output spec the mixture was written with. */
export function outputOf(input: LayoutInput): OutputSpec {
  return input.recipe.resolved.output;
}

/** The meta keys the records carry in `meta` (materialize/output-meta.ts); empty when none. */
export function outputMetaKeysOf(input: LayoutInput): string[] {
  return input.recipe.resolved.output.schema === 'passthrough' ? [] : outputMetaKeys(input.recipe.resolved.sources);
}

/** The data files of each split that has rows, in split then shard order. */
export function filesBySplit(input: LayoutInput): { readonly split: string; readonly files: readonly WrittenFile[] }[] {
  return SPLIT_ORDER.map((split) => ({ split, files: input.files.filter((f) => f.split === split) })).filter(
    (s) => s.files.length > 0,
  );
}

/** The mixture's name as trainers list it: the recipe's, plus the sweep point's. */
export function mixtureName(input: LayoutInput): string {
  return input.point ? `${input.recipe.name}.${input.point.name}` : input.recipe.name;
}

/** A file's base name: `train-00000-of-00002` for `train-00000-of-00002.jsonl.zst`. */
export function shardBase(file: WrittenFile): string {
  const dot = file.path.indexOf('.');
  return dot === -1 ? file.path : file.path.slice(0, dot);
}
