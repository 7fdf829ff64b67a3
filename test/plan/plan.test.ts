/**
 * The plan is plain data: `mixsmith plan --json` prints it without reading any input, it survives
 * a JSON round trip unchanged, and `--availability` adds the scanning view.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMixture, poolOf } from '../../src/plan/plan.js';
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
});
