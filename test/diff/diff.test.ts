/**
 * `mixsmith diff A B` on sweep points: nested points differ only by what was added, count deltas
 * per group and source, the Jaccard index of the contents, where the recipes differ, which sweep
 * points the sides are, and whether they hold the same records.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiffReport } from '../../src/diff/diff.js';
import { jsonDifferences } from '../../src/diff/json-diff.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { composeMixture, copyOutput, SWEEP, writeCorpora } from '../audit/mixtures.js';
import { composeShortSweep, writeShortPools } from '../helpers/short-sweep.js';

const dir = tempDir('mixsmith-diff-');
let sweep: string;

async function diff(a: string, b: string, ...more: string[]) {
  const run = await runCli(['diff', a, b, '--json', ...more]);
  return { ...run, report: (JSON.parse(run.stdout) as { diff: DiffReport }).diff };
}

beforeAll(async () => {
  writeCorpora(dir);
  sweep = await composeMixture(dir, 'sweep', { volume: 200, sweep: SWEEP });
});

describe('diff', () => {
  it('a nested pair of sweep points differs only by what the larger one adds', async () => {
    const { code, report } = await diff(path.join(sweep, 'v100-medical0.3'), path.join(sweep, 'v200-medical0.3'));
    expect(code).toBe(0);
    expect(report.contents).toMatchObject({ common: 130, added: 100, removed: 0, removedExamples: [] });
    expect(report.contents.jaccard).toBeCloseTo(130 / 230, 10);
    expect(report.contents.addedExamples).toHaveLength(5);
    expect(report.groups).toEqual([
      { split: 'train', name: 'general', a: 70, b: 140, delta: 70 },
      { split: 'train', name: 'medical', a: 30, b: 60, delta: 30 },
      { split: 'validation', name: 'general', a: 21, b: 21, delta: 0 },
      { split: 'validation', name: 'medical', a: 9, b: 9, delta: 0 },
    ]);
    expect(report.sources.map((s) => [s.split, s.name, s.delta])).toEqual([
      ['train', 'gen', 70],
      ['train', 'med', 30],
      ['validation', 'gen', 0],
      ['validation', 'med', 0],
    ]);
    expect(report.recipe).toEqual({ compared: true, same: true, differences: [] });
  });

  it('shares that differ: records removed and added, with examples from each side', async () => {
    const { report } = await diff(path.join(sweep, 'v100-medical0.3'), path.join(sweep, 'v100-medical0.5'));
    // the general group shrinks from 70 to 50 (nested: 50 of the 70 stay), medical grows 30 → 50
    expect(report.contents).toMatchObject({ common: 110, added: 20, removed: 20 });
    expect(report.contents.removedExamples.every((e) => e.group === 'general')).toBe(true);
    expect(report.contents.addedExamples.every((e) => e.group === 'medical')).toBe(true);
  });

  it('says where two recipes differ', async () => {
    const a = await composeMixture(dir, 'a', { medicalShare: 0.3 });
    const b = await composeMixture(dir, 'b', { medicalShare: 0.4, volume: 250 });
    const { report, stderr } = await diff(a, b);
    expect(stderr).toBe('');
    expect(report.recipe.same).toBe(false);
    expect(report.recipe.differences.map((d) => [d.path, d.a, d.b])).toEqual([
      ['recipe.mixture.shares.general', 0.7, 0.6],
      ['recipe.mixture.shares.medical', 0.3, 0.4],
      ['recipe.mixture.volume', 300, 250],
    ]);
    const text = await runCli(['diff', a, b]);
    expect(text.stderr).toMatch(/recipes differ at 3 places:\n {2}recipe\.mixture\.shares\.general: 0\.7 → 0\.6/);
  });

  it('compares mixtures without a manifest by content only, and says so', async () => {
    const copy = copyOutput(path.join(sweep, 'v100-medical0.3'), path.join(dir, 'plain'));
    writeFileSync(
      path.join(copy, 'manifest.json'),
      readFileSync(path.join(copy, 'manifest.json'), 'utf8').slice(0, 50),
    );
    const { report } = await diff(copy, path.join(sweep, 'v100-medical0.3'));
    expect(report.contents).toMatchObject({ common: 130, added: 0, removed: 0, jaccard: 1 });
    expect(report.recipe.compared).toBe(false);
    expect(report.recipe.note).toMatch(/has no usable manifest/);
  });

  it('names the sweep points it compares, and says when they hold the same records', async () => {
    writeShortPools(dir);
    const short = await composeShortSweep(dir, 'short-sweep', 'cap');
    const [a, b] = [path.join(short, 'v200-medical0.5'), path.join(short, 'v400-medical0.75')];
    const { code, report } = await diff(a, b);
    expect(code).toBe(0);
    expect(report.a.point).toEqual({ name: 'v200-medical0.5', volume: 200, shares: { medical: 0.5, general: 0.5 } });
    expect(report.b.point).toMatchObject({ name: 'v400-medical0.75', volume: 400, shares: { medical: 0.75 } });
    expect(report.same).toEqual({ train: true, all: true });
    const text = await runCli(['diff', a, b]);
    expect(text.stderr).toContain(
      '(sweep point v200-medical0.5: volume 200, shares medical 0.5 / general 0.5; mixture, ',
    );
    expect(text.stderr).toContain(
      '(sweep point v400-medical0.75: volume 400, shares medical 0.75 / general 0.25; mixture, ',
    );
    expect(text.stderr).toContain(
      'SAME RECORDS: every split holds record for record the same data in A and B (contents, copies and order): sweep points v200-medical0.5 and v400-medical0.75 are one training set under two names',
    );
    const other = await diff(a, path.join(short, 'v400-medical0.5'));
    expect(other.report.same).toEqual({ train: false, all: false });
    expect((await runCli(['diff', a, path.join(short, 'v400-medical0.5')])).stderr).toContain(
      '\ntrain records: different\n',
    );
  });

  it('a nested pair of points does not hold the same train records', async () => {
    const { report } = await diff(path.join(sweep, 'v100-medical0.3'), path.join(sweep, 'v200-medical0.3'));
    expect(report.same).toEqual({ train: false, all: false });
    expect(report.a.point).toMatchObject({ name: 'v100-medical0.3', volume: 100 });
  });

  it('refuses a whole sweep folder (exit 2)', async () => {
    const run = await runCli(['diff', sweep, path.join(sweep, 'v100-medical0.3')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is a sweep folder; diff compares two mixtures/);
  });
});

describe('jsonDifferences', () => {
  it('lists changed, added and removed paths in order', () => {
    expect(jsonDifferences({ a: 1, b: [1, 2], c: { d: 'x' } }, { a: 1, b: [1, 3, 4], c: {}, e: null })).toEqual([
      { path: 'b[1]', a: 2, b: 3 },
      { path: 'b[2]', a: undefined, b: 4 },
      { path: 'c.d', a: 'x', b: undefined },
      { path: 'e', a: undefined, b: null },
    ]);
    expect(jsonDifferences({ x: [1] }, { x: [1] })).toEqual([]);
    expect(jsonDifferences(1, 2)).toEqual([{ path: '(root)', a: 1, b: 2 }]);
  });
});
