/**
 * The files an output folder gets after its shards, in the order that keeps the manifest last:
 * per point the trainer layouts and the sealed manifest; for a sweep the root card, one training
 * config per point and layout, sweep.csv and sweep.json. compose and the staged pipeline's
 * assemble step both end here, so their folders hold the same files, byte for byte.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { outputIoError } from '../io/output-error.js';
import { pointConfigs } from '../manifest/layouts/point-configs.js';
import { sweepCard } from '../manifest/layouts/sweep-card.js';
import { writeLayouts } from '../manifest/layouts/write-layouts.js';
import { type Manifest, sealManifest } from '../manifest/manifest.js';
import { type SweepIndex, sweepCsv, sweepIndex } from '../manifest/sweep-index.js';
import type { LayoutName } from '../recipe/names.js';

export const writeOutput = (file: string, text: string) =>
  writeFile(file, text).catch((cause: unknown) => {
    throw outputIoError(file, cause);
  });
export const writeJson = (file: string, value: unknown) => writeOutput(file, `${JSON.stringify(value, null, 2)}\n`);

/** One point's layouts, then its sealed manifest (listing them) as the point folder's last file. */
export async function writePointManifest(
  dir: string,
  draft: Manifest,
  layouts: readonly LayoutName[],
): Promise<Manifest> {
  const manifest = sealManifest({ ...draft, layouts: await writeLayouts(dir, draft, layouts) });
  await writeJson(path.join(dir, 'manifest.json'), manifest);
  return manifest;
}

/** A sweep's root files over its points' manifests. */
export async function writeSweepFiles(
  root: string,
  manifests: readonly Manifest[],
  layouts: readonly LayoutName[],
): Promise<SweepIndex> {
  // The root's card names each point, so load_dataset(SWEEP) cannot merge them all.
  if (layouts.includes('huggingface')) {
    const card = sweepCard(manifests);
    await writeOutput(path.join(root, card.path), card.text);
  }
  // One ready training config per point and trainer layout, beside sweep.csv.
  for (const config of pointConfigs(manifests, layouts)) {
    const file = path.join(root, config.path);
    await mkdir(path.dirname(file), { recursive: true }).catch((cause: unknown) => {
      throw outputIoError(file, cause);
    });
    await writeOutput(file, config.text);
  }
  const sweep = sweepIndex(manifests);
  await writeOutput(path.join(root, 'sweep.csv'), sweepCsv(sweep));
  await writeJson(path.join(root, 'sweep.json'), sweep);
  return sweep;
}
