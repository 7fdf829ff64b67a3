/**
 * Write the layout files a recipe asks for into the (staged) output folder and describe them for
 * the manifest, so `mixsmith audit` can check them like the shards.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { outputIoError } from '../../io/output-error.js';
import type { LayoutName } from '../../recipe/types.js';
import { axolotlSnippet } from './axolotl.js';
import { huggingfaceCard } from './huggingface-card.js';
import type { LayoutInput, LayoutText } from './layout-input.js';
import { llamaFactoryInfo } from './llama-factory.js';
import { trlConfig } from './trl.js';

/** A layout file as the manifest lists it. */
export interface LayoutFile {
  readonly layout: LayoutName;
  /** Relative to the output folder. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

const BUILDERS: Record<LayoutName, (input: LayoutInput) => LayoutText> = {
  huggingface: huggingfaceCard,
  'llama-factory': llamaFactoryInfo,
  axolotl: axolotlSnippet,
  trl: trlConfig,
};

/** Every layout's file, in the order asked; pure. */
export function buildLayouts(
  input: LayoutInput,
  layouts: readonly LayoutName[],
): { readonly layout: LayoutName; readonly file: LayoutText }[] {
  return layouts.map((layout) => ({ layout, file: BUILDERS[layout](input) }));
}

export async function writeLayouts(
  dir: string,
  input: LayoutInput,
  layouts: readonly LayoutName[],
): Promise<LayoutFile[]> {
  const written: LayoutFile[] = [];
  for (const { layout, file } of buildLayouts(input, layouts)) {
    const bytes = Buffer.from(file.text, 'utf8');
    try {
      await writeFile(path.join(dir, file.path), bytes, { flag: 'wx' });
    } catch (cause) {
      throw outputIoError(path.join(dir, file.path), cause);
    }
    written.push({
      layout,
      path: file.path,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  return written;
}
