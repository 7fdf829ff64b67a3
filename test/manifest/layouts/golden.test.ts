/**
 * Golden layout files for the bundled quickstart recipe (fixtures/golden/quickstart/). The
 * recipe's sha256 changes whenever the resolved recipe gains a setting, so it is compared as a
 * placeholder (and checked separately). Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 npx vitest run test/layouts/golden.test.ts`, and review the diff.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../../src/compose/compose.js';
import type { Manifest } from '../../../src/manifest/manifest.js';
import { loadRecipe } from '../../../src/recipe/load.js';
import { tempDir } from '../../helpers/temp.js';

const goldenDir = path.resolve(import.meta.dirname, '../../../fixtures/golden/quickstart');
const recipeFile = path.resolve(import.meta.dirname, '../../../recipes/quickstart.yaml');
const LAYOUT_FILES = ['README.md', 'dataset_info.json', 'axolotl.yaml'];

let out: string;
let manifest: Manifest;

beforeAll(async () => {
  out = path.join(tempDir('mixsmith-golden-'), 'quickstart');
  ({ manifest } = await compose(await loadRecipe(recipeFile), { out }));
});

const normalized = (text: string) => text.replaceAll(manifest.recipe.sha256, '<recipe-sha256>');

describe('quickstart layouts', () => {
  for (const name of LAYOUT_FILES) {
    it(`${name} matches its golden file`, () => {
      const actual = normalized(readFileSync(path.join(out, name), 'utf8'));
      const golden = path.join(goldenDir, name);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(golden, actual);
      }
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('names the real recipe hash and is listed in the manifest', () => {
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toContain(`sha256 \`${manifest.recipe.sha256}\``);
    expect(manifest.layouts.map((l) => l.path)).toEqual(LAYOUT_FILES);
  });

  it("the card's configs header lists exactly the manifest's data files per split", () => {
    const text = readFileSync(path.join(out, 'README.md'), 'utf8');
    const header = parseYaml(text.slice(4, text.indexOf('\n---\n'))) as {
      configs: { config_name: string; data_files: { split: string; path: string[] }[] }[];
    };
    expect(header.configs).toEqual([
      {
        config_name: 'default',
        data_files: ['train', 'validation'].map((split) => ({
          split,
          path: manifest.files.filter((f) => f.split === split).map((f) => f.path),
        })),
      },
    ]);
  });
});
