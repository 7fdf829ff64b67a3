/**
 * Hugging Face `save_to_disk` folders as sources. A split folder (`DIR/train`: `state.json`,
 * `dataset_info.json`, `data-0000N-of-0000M.arrow`) is read as the Arrow files its `state.json`
 * lists, and nothing else of it: its two JSON files describe the data, they are not records. A
 * DatasetDict folder (`DIR`: `dataset_dict.json` and one folder per split) is refused with the
 * split paths to name instead: reading every split at once would pool a `test` split into a
 * training mixture without a word, so a source names the split it means (`path: DIR/train`, or a
 * list of split folders).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../../errors.js';
import { isDataFileName } from './input-formats.js';

const STATE = 'state.json';
const DATASET_DICT = 'dataset_dict.json';

const shownOf = (dir: string, baseDir: string) => path.relative(baseDir, dir).split(path.sep).join('/') || '.';

async function readJson(file: string, shown: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new MixsmithError('INPUT_FORMAT', `${shown}: cannot read this save_to_disk file (${String(cause)})`, {
      where: { file: shown },
      cause,
      hint: 'save the dataset again with datasets (Dataset.save_to_disk), or name its .arrow files as the path',
    });
  }
}

async function listedArrowFiles(dir: string, baseDir: string, present: ReadonlySet<string>): Promise<string[]> {
  const shown = `${shownOf(dir, baseDir)}/${STATE}`;
  const state = (await readJson(path.join(dir, STATE), shown)) as { _data_files?: unknown } | null;
  const listed = Array.isArray(state?._data_files) ? state._data_files : undefined;
  const names = listed?.map((entry) => (entry as { filename?: unknown } | null)?.filename);
  if (!names || names.length === 0 || names.some((name) => typeof name !== 'string' || name.includes('/'))) {
    throw new MixsmithError('INPUT_FORMAT', `${shown}: "_data_files" does not list the split's .arrow files`, {
      where: { file: shown },
      hint: 'a save_to_disk split lists its files as {"_data_files": [{"filename": "data-00000-of-00001.arrow"}]}; save the dataset again',
    });
  }
  return (names as string[]).map((name) => {
    const file = path.join(dir, name);
    if (!present.has(file)) {
      throw new MixsmithError('INPUT_NOT_FOUND', `${shown} lists ${name}, which is not in the folder`, {
        where: { file: shown },
        hint: 'the save_to_disk folder is incomplete: copy it again',
      });
    }
    return file;
  });
}

/**
 * The data files of a walked folder (absolute paths): in a folder with a `state.json`, the
 * `.arrow` files it lists; elsewhere, every file the data-file rule takes. Every command walks a
 * folder by this rule (sources, inspect, audit). Throws for a DatasetDict folder (see above).
 */
export async function folderDataFiles(files: readonly string[], baseDir: string): Promise<string[]> {
  const present = new Set(files);
  const dictDir = [...new Set(files.map((file) => path.dirname(file)))]
    .sort()
    .find((dir) => present.has(path.join(dir, DATASET_DICT)));
  if (dictDir !== undefined) {
    const shown = shownOf(dictDir, baseDir);
    const dict = (await readJson(path.join(dictDir, DATASET_DICT), `${shown}/${DATASET_DICT}`)) as {
      splits?: unknown;
    } | null;
    const splits = Array.isArray(dict?.splits) ? dict.splits.map(String) : [];
    throw new MixsmithError(
      'INPUT_FORMAT',
      `${shown} is a Hugging Face DatasetDict saved with save_to_disk (splits: ${splits.join(', ') || 'none listed'}); a source reads one split, not all of them`,
      {
        where: { file: `${shown}/${DATASET_DICT}` },
        hint: `name the split you mean: path: ${shown}/${splits[0] ?? 'train'}${splits.length > 1 ? ` (or a list: ${splits.map((s) => `${shown}/${s}`).join(', ')})` : ''}`,
      },
    );
  }
  // In the order given; a split folder's listed files where its first file was.
  const kept: string[] = [];
  const splitDone = new Set<string>();
  for (const file of files) {
    const dir = path.dirname(file);
    if (!present.has(path.join(dir, STATE))) {
      if (isDataFileName(file)) kept.push(file);
    } else if (!splitDone.has(dir)) {
      splitDone.add(dir);
      kept.push(...(await listedArrowFiles(dir, baseDir, present)));
    }
  }
  return kept;
}
