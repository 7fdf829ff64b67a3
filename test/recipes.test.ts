/** Every example recipe in recipes/ validates and plans against the data it names. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planReport } from '../src/compose/plan-report.js';
import { loadRecipe } from '../src/recipe/load.js';
import { hasRealData } from './helpers/real-data.js';

const dir = path.resolve(import.meta.dirname, '../recipes');
const recipes = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

describe('example recipes', () => {
  it('exist', () => expect(recipes).toContain('quickstart.yaml'));
  for (const name of recipes) {
    it(`${name} validates and plans`, async () => {
      const loaded = await loadRecipe(path.join(dir, name));
      const usesRealData = loaded.recipe.sources.some((s) => s.path.some((p) => p.includes('shared/data/real')));
      if (usesRealData && !hasRealData) return;
      const report = await planReport(loaded);
      expect(report.points.length).toBeGreaterThan(0);
      expect(report.points[0]!.groups.length).toBeGreaterThan(0);
      expect(report.sources.every((s) => s.read > 0)).toBe(true);
    });
  }
});
