/**
 * The dataset card at the root of a sweep (`README.md` beside `sweep.json`): one `configs:` entry
 * per point, named by the point, listing its files by their path from the root, and the features
 * for each. Without it `load_dataset(SWEEP)` globs every point's shards into one train and one
 * validation split, a silent merge of every mixture (the validation set once per point); with
 * several configs and none marked default, `datasets` asks which point to load instead.
 */
import { stringify } from 'yaml';
import type { Manifest } from '../manifest.js';
import { datasetFeatures } from './features.js';
import { filesBySplit, type LayoutText, outputMetaKeysOf, outputOf } from './layout-input.js';

/** `README.md` for the root of a sweep whose point manifests are `manifests` (in point order). */
export function sweepCard(manifests: readonly Manifest[]): LayoutText {
  const first = manifests[0]!;
  const features = datasetFeatures(outputOf(first), outputMetaKeysOf(first).length > 0);
  const configs = manifests.map((m) => ({
    config_name: m.point!.name,
    data_files: filesBySplit(m).map(({ split, files }) => ({
      split,
      path: files.map((f) => `${m.point!.name}/${f.path}`),
    })),
  }));
  const card: Record<string, unknown> = {
    pretty_name: first.recipe.name,
    tags: ['mixsmith'],
    task_categories: ['text-generation'],
    configs,
  };
  if (features) card.dataset_info = manifests.map((m) => ({ config_name: m.point!.name, features }));
  const groups = Object.keys(first.point!.shares);
  const rows = manifests.map((m) => {
    const p = m.point!;
    return `| \`${p.name}\` | ${p.volume} | ${groups.map((g) => p.shares[g] ?? 0).join(' | ')} | ${m.splits.train?.rows ?? 0} | ${m.splits.validation?.rows ?? 0} |`;
  });
  const example = manifests[0]!.point!.name;
  const text = [
    `---\n${stringify(card, { aliasDuplicateObjects: false })}---`,
    '',
    `# ${first.recipe.name} (sweep)`,
    '',
    `${manifests.length} mixtures composed by mixsmith from the recipe \`${first.recipe.name}\` (sha256 \`${first.recipe.sha256}\`), seed ${first.seed}: one folder per point, each with its own card and manifest; \`sweep.json\` lists them. Every point holds the same validation set.`,
    '',
    '## Load one point',
    '',
    '```python',
    'from datasets import load_dataset',
    '',
    `mixture = load_dataset("path/to/this/folder", "${example}")  # or load_dataset("path/to/this/folder/${example}")`,
    '```',
    '',
    'Loading the folder without a point name is refused: it would merge every mixture.',
    '',
    '## Points',
    '',
    `| point | volume | ${groups.map((g) => `share ${g}`).join(' | ')} | train rows | validation rows |`,
    `|---|---:|${groups.map(() => '---:').join('|')}|---:|---:|`,
    ...rows,
    '',
  ].join('\n');
  return { path: 'README.md', text };
}
