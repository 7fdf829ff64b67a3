/**
 * Per-point training configs at the root of a sweep (`configs/<point>/`, beside `sweep.csv`): for
 * each trainer layout the recipe asks for, one ready file per point, so a study launches one job
 * per point without editing anything:
 *
 * - `llama-factory.yaml`: the data keys of a LLaMA-Factory training config (`dataset_dir` the
 *   point's folder, whose `dataset_info.json` holds the entries; `dataset`, `eval_dataset`);
 * - `axolotl.yaml`: the point's `datasets:` / `test_datasets:` block, `path` the point's folder;
 * - `trl-sft.sh`: the `trl sft` command line for the point (model from `$MODEL`, output under `runs/`).
 *
 * Paths are relative to the sweep folder, where training is started: the files cannot know the
 * folder's absolute path without making the output depend on `--out`. The huggingface layout needs
 * no file here: the sweep card already has one config per point. `configs` cannot be a point's
 * name (recipe/load.ts refuses it).
 */
import { stringify } from 'yaml';
import type { Manifest } from '../manifest.js';
import type { LayoutName } from '../../recipe/types.js';
import { axolotlDatasets, axolotlNotes } from './axolotl.js';
import type { LayoutText } from './layout-input.js';
import { llamaFactoryNames } from './llama-factory.js';
import { trlCommand } from './trl.js';

/** The folder at the root of a sweep that holds the per-point configs. */
export const POINT_CONFIGS_DIR = 'configs';

function header(manifest: Manifest, what: string): string[] {
  const point = manifest.point!.name;
  return [
    `# ${what} for the sweep point ${point} of ${manifest.recipe.name} (recipe sha256 ${manifest.recipe.sha256}), written by mixsmith.`,
    `# Paths are relative to the sweep folder: start training there (cd path/to/sweep), or prefix them.`,
  ];
}

function llamaFactoryConfig(manifest: Manifest): string {
  const names = llamaFactoryNames(manifest);
  const list = (split: string) => names.find((n) => n.split === split)?.names.join(',');
  const keys: Record<string, string> = { dataset_dir: manifest.point!.name, dataset: list('train') ?? '' };
  const validation = list('validation');
  if (validation) keys.eval_dataset = validation;
  return [
    ...header(manifest, 'LLaMA-Factory data settings'),
    `# Merge into a training config (llamafactory-cli train …); ${manifest.point!.name}/dataset_info.json describes each entry.`,
    stringify(keys),
  ].join('\n');
}

function axolotlConfig(manifest: Manifest): string {
  return [
    ...header(manifest, 'axolotl datasets'),
    '# Merge these keys into your axolotl config.',
    ...axolotlNotes(manifest),
    stringify(axolotlDatasets(manifest, manifest.point!.name), { aliasDuplicateObjects: false }),
  ].join('\n');
}

function trlScript(manifest: Manifest): string {
  const point = manifest.point!.name;
  return [
    '#!/bin/sh',
    ...header(manifest, 'TRL SFT'),
    '# MODEL names the model to fine-tune; extra arguments are passed on to trl sft.',
    `${trlCommand(manifest, point, `runs/${point}`)} \\\n  "$@"`,
    '',
  ].join('\n');
}

const BUILDERS: Partial<Record<LayoutName, { readonly file: string; readonly text: (m: Manifest) => string }>> = {
  'llama-factory': { file: 'llama-factory.yaml', text: llamaFactoryConfig },
  axolotl: { file: 'axolotl.yaml', text: axolotlConfig },
  trl: { file: 'trl-sft.sh', text: trlScript },
};

/** Every point's config files for the layouts asked, in point then layout order; pure. */
export function pointConfigs(manifests: readonly Manifest[], layouts: readonly LayoutName[]): LayoutText[] {
  return manifests.flatMap((manifest) =>
    layouts.flatMap((layout) => {
      const builder = BUILDERS[layout];
      return builder
        ? [{ path: `${POINT_CONFIGS_DIR}/${manifest.point!.name}/${builder.file}`, text: builder.text(manifest) }]
        : [];
    }),
  );
}
