/** Every example recipe in recipes/ validates and plans against the data it names. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planReport } from '../src/compose/plan-report.js';
import { loadRecipe } from '../src/recipe/load.js';
import { hasRealData } from './helpers/real-data.js';
import { alpacaRecords, writeJsonl } from './helpers/corpus.js';
import { tempDir } from './helpers/temp.js';

/** Recipes marked `# test-data: synthetic` are planned over small generated data in their data/ paths. */
function withSyntheticData(name: string): string {
  const root = tempDir();
  const text = readFileSync(path.join(dir, name), 'utf8');
  for (const match of text.matchAll(/path: (data\/[\w-]+)\/\*\.jsonl/g)) {
    mkdirSync(path.join(root, match[1]!), { recursive: true });
    writeJsonl(path.join(root, match[1]!, 'part-0.jsonl'), alpacaRecords(match[1]!, 3000));
  }
  writeFileSync(path.join(root, name), text);
  return path.join(root, name);
}

const dir = path.resolve(import.meta.dirname, '../recipes');
const recipes = readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

describe('example recipes', () => {
  it('exist', () => expect(recipes).toContain('quickstart.yaml'));
  for (const name of recipes) {
    it(`${name} validates and plans`, async () => {
      const synthetic = readFileSync(path.join(dir, name), 'utf8').includes('# test-data: synthetic');
      const loaded = await loadRecipe(synthetic ? withSyntheticData(name) : path.join(dir, name));
      const usesRealData = loaded.recipe.sources.some((s) => s.path.some((p) => p.includes('shared/data/real')));
      if (usesRealData && !hasRealData) return;
      const report = await planReport(loaded);
      expect(report.points.length).toBeGreaterThan(0);
      expect(report.points[0]!.groups.length).toBeGreaterThan(0);
      expect(report.sources.every((s) => s.read > 0)).toBe(true);
    });
  }
});
