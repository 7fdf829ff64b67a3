/**
 * The plan is plain data: `mixsmith plan --json` prints it without reading any input, it survives
 * a JSON round trip unchanged, and `--availability` adds the scanning view.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMixture, poolOf, sourceShares } from '../../src/plan/plan.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { twoGroupRecipe } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();

const stratified =
  `${twoGroupRecipe({ medical: 'missing/med.jsonl', general: 'missing/gen.jsonl', volume: 1000, validation: 100 })}
sweep:
  volume: [500, 1000]
`.replace(
    'mixture:\n',
    'mixture:\n  strata:\n    medical:\n      - { name: short, max_chars: 200, share: 0.4 }\n      - { name: long, min_chars: 2000, share: 0.2 }\n',
  );

describe('the plan as data', () => {
  it('is plain JSON: a round trip changes nothing', () => {
    const plan = planMixture(parseRecipe(stratified, 'r.yaml', dir).recipe);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(plan.pools).toEqual(['medical/short', 'medical/long', 'medical', 'general']);
    expect(plan.points.map((p) => p.name)).toEqual(['v500', 'v1000']);
    expect(plan.points[1]!.quotas).toEqual({ 'medical/short': 120, 'medical/long': 60, medical: 120, general: 700 });
    expect(plan.trainingCapacity).toEqual({ 'medical/short': 120, 'medical/long': 60, medical: 120, general: 700 });
  });

  it('derives pools from the data: the first stratum a record fits, else the group', () => {
    const plan = planMixture(parseRecipe(stratified, 'r.yaml', dir).recipe);
    const never = () => {
      throw new Error('tokens are not needed by character strata');
    };
    expect(poolOf(plan, 'medical', 150, never)).toBe('medical/short');
    expect(poolOf(plan, 'medical', 5000, never)).toBe('medical/long');
    expect(poolOf(plan, 'medical', 800, never)).toBe('medical');
    expect(poolOf(plan, 'general', 150, never)).toBe('general');
  });

  it('`mixsmith plan --json` reads no input; --availability scans them', async () => {
    const recipe = path.join(dir, 'plan.yaml');
    writeFileSync(recipe, stratified);
    const run = await runCli(['plan', recipe, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as { ok: boolean; plan: unknown; availability?: unknown };
    expect(printed.plan).toEqual(planMixture(parseRecipe(stratified, 'r.yaml', dir).recipe));
    expect(printed.availability).toBeUndefined();
    const human = await runCli(['plan', recipe]);
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/v1000\s+1000\s+120\s+60\s+120\s+700/);
    expect(human.stderr).toContain('--availability');
    const scanning = await runCli(['plan', recipe, '--availability', '--json']);
    expect(scanning.code).toBe(4);
    expect(JSON.parse(scanning.stdout).error.code).toBe('INPUT_NOT_FOUND');
  });

  it('splits a group by source when a source sets weight or max: one pool per source, shares by weight, caps', () => {
    const text = `name: by-source
seed: 1
sources:
  - { name: en, group: general, path: en.jsonl, max: 0.3 }
  - { name: zh, group: general, path: zh.jsonl, weight: 2 }
  - { name: fr, group: general, path: fr.jsonl, max: 50 }
  - { name: med, group: medical, path: med.jsonl }
mixture:
  volume: 1000
  shares: { medical: 0.2, general: 0.8 }
split:
  validation: 100
sweep:
  volume: [100, 1000]
`;
    const plan = planMixture(parseRecipe(text, 'r.yaml', dir).recipe);
    expect(plan.planVersion).toBe(2);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(plan.pools).toEqual(['medical', 'general/en', 'general/zh', 'general/fr']);
    expect(plan.poolGroup).toMatchObject({ 'general/en': 'general', medical: 'medical' });
    expect(plan.capped).toEqual(['general/en', 'general/fr']);
    // en would take 1/4 by weight: under its 0.3 cap it keeps it; zh 2/4, fr 1/4 (at most 50 records).
    expect(plan.sources.general!.map((p) => [p.pool, p.share])).toEqual([
      ['general/en', 0.25],
      ['general/zh', 0.5],
      ['general/fr', 0.25],
    ]);
    expect(plan.points.map((p) => p.quotas)).toEqual([
      { medical: 20, 'general/en': 20, 'general/zh': 40, 'general/fr': 20 },
      // fr's 200 is capped at 50; the 150 go to zh, not to en, which stays at its share (0.25 ≤ 0.3).
      { medical: 200, 'general/en': 200, 'general/zh': 550, 'general/fr': 50 },
    ]);
    expect(plan.validationQuotas).toEqual({ medical: 20, 'general/en': 20, 'general/zh': 40, 'general/fr': 20 });
    expect(poolOf(plan, 'general', 10, () => 0, 'zh')).toBe('general/zh');
    expect(poolOf(plan, 'medical', 10, () => 0, 'med')).toBe('medical');
  });

  it('holds a source at its share max and gives the rest to the others by weight', () => {
    const shares = sourceShares([
      { name: 'en', weight: 8, max: 0.3 },
      { name: 'zh', weight: 1 },
      { name: 'fr', weight: 1, max: 0.25 },
    ]);
    // en 0.8 > 0.3: held; zh and fr split 0.7 evenly (0.35 each), then fr 0.35 > 0.25: held, zh takes 0.45.
    expect(shares.get('en')).toBeCloseTo(0.3, 12);
    expect(shares.get('fr')).toBeCloseTo(0.25, 12);
    expect(shares.get('zh')).toBeCloseTo(0.45, 12);
  });
});
