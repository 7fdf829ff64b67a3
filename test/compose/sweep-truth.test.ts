/**
 * Sweeps tell the truth (issue #18): when a group's pool is smaller than the grid needs,
 * `shortage: cap` and `redistribute` give points whose realized shares miss their names, and
 * points whose training rows are record-for-record those of another point. sweep.json, sweep.csv
 * and compose's output (human and --json) must say so for every such point, judged here from the
 * written files alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepIndex } from '../../src/manifest/sweep-index.js';
import { runCli } from '../helpers/cli.js';
import { keyText, readSplit } from '../helpers/outputs.js';
import { writeShortPools, writeShortSweepRecipe } from '../helpers/short-sweep.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-sweep-truth-');
const GROUPS = ['medical', 'general'] as const;
const TOLERANCE = 0.005;

beforeAll(() => writeShortPools(dir));

/** What each point's files hold: ordered training keys and realized shares by row. */
function measured(out: string, index: SweepIndex) {
  const seen: { name: string; keys: string }[] = [];
  return index.points.map((p) => {
    const train = readSplit(path.join(out, p.path), 'train');
    const keys = train.map(keyText).join('\n');
    const twin = seen.find((s) => s.keys === keys)?.name ?? null;
    seen.push({ name: p.name, keys });
    const share = Object.fromEntries(GROUPS.map((g) => [g, train.filter((r) => r.group === g).length / train.length]));
    const deviating = GROUPS.some((g) => Math.abs(share[g]! - p.shares[g]!) > TOLERANCE);
    return {
      name: p.name,
      sameAs: twin,
      share,
      deviating,
      rows: Object.fromEntries(GROUPS.map((g) => [g, train.filter((r) => r.group === g).length])),
    };
  });
}

function csvRows(out: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path.join(out, 'sweep.csv'), 'utf8').trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i]!, cell])));
}

describe.each([
  // cap: v400-medical0.75 takes all 54 medical and 100 general rows, as v200-medical0.5 does.
  ['cap', { collapsed: ['v400-medical0.75'], deviating: 6 }],
  // redistribute: medical's missing rows go to general, so every point past 54 medical rows at a volume is the same.
  ['redistribute', { collapsed: ['v200-medical0.75', 'v400-medical0.5', 'v400-medical0.75'], deviating: 6 }],
] as const)('shortage: %s with a medical pool smaller than the grid needs', (shortage, expected) => {
  let out: string;
  let index: SweepIndex;
  let json: { ok: boolean; warnings: string[]; sweep: SweepIndex };
  let human: string;

  beforeAll(async () => {
    const file = writeShortSweepRecipe(dir, shortage, shortage);
    out = path.join(dir, `${shortage}-out`);
    const run = await runCli(['compose', file, '--out', out, '--json']);
    expect(run.code).toBe(0);
    json = JSON.parse(run.stdout);
    index = JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8'));
    const again = await runCli(['compose', file, '--out', path.join(dir, `${shortage}-human`)]);
    expect(again.code).toBe(0);
    human = again.stderr;
  });

  it('gives every collapsed point same_as and flags every deviating point, as the files show (sweep.json)', () => {
    const truth = measured(out, index);
    expect(truth.filter((t) => t.sameAs !== null).map((t) => t.name)).toEqual(expected.collapsed);
    expect(truth.filter((t) => t.deviating)).toHaveLength(expected.deviating);
    for (const [i, t] of truth.entries()) {
      const p = index.points[i]!;
      expect(p.sameAs, t.name).toBe(t.sameAs);
      expect(p.flags.includes('collapsed'), t.name).toBe(t.sameAs !== null);
      expect(p.flags.includes('deviating'), t.name).toBe(t.deviating);
      for (const g of GROUPS) {
        expect(p.realized.shares[g], `${t.name} ${g}`).toBeCloseTo(t.share[g]!, 12);
        expect(p.realized.rows[g]).toBe(t.rows[g]);
      }
    }
    expect(index.tolerance).toBe(TOLERANCE);
    expect(index.warnings).toHaveLength(truth.filter((t) => t.deviating || t.sameAs !== null).length);
  });

  it('reports per group what each point got: shortfall against the nominal quota, repeats', () => {
    const p = index.points.find((x) => x.name === 'v400-medical0.75')!;
    expect(p.realized.rows.medical).toBe(54); // 60 medical records, 6 of them in validation
    expect(p.shortfall.medical).toBe(300 - 54);
    expect(p.repeated).toEqual({ medical: 0, general: 0 });
    const healthy = index.points.find((x) => x.name === 'v100-medical0.25')!;
    expect(healthy).toMatchObject({
      flags: [],
      sameAs: null,
      shortfall: { medical: 0, general: 0 },
      realized: { shares: { medical: 0.25, general: 0.75 } },
    });
  });

  it('writes the same in sweep.csv, after the columns scripts already read', () => {
    const rows = csvRows(out);
    const header = readFileSync(path.join(out, 'sweep.csv'), 'utf8').split('\n')[0];
    expect(header).toBe(
      'name,path,volume,share_medical,share_general,train_rows,validation_rows,train_chars,train_tokens,token_method,' +
        'realized_share_medical,realized_share_general,train_rows_medical,train_rows_general,shortfall_medical,shortfall_general,repeated_medical,repeated_general,same_as,flags',
    );
    for (const [i, p] of index.points.entries()) {
      const row = rows[i]!;
      expect(row.name).toBe(p.name);
      expect(row.same_as).toBe(p.sameAs ?? '');
      expect(row.flags).toBe(p.flags.join(';'));
      expect(Number(row.realized_share_medical)).toBeCloseTo(p.realized.shares.medical!, 6);
      expect(Number(row.shortfall_medical)).toBe(p.shortfall.medical);
    }
  });

  it('says so in compose --json (per point flags, warnings) and as loud lines in the human summary', () => {
    expect(json.ok).toBe(true);
    expect(json.sweep.points.map((p) => [p.name, p.flags, p.sameAs])).toEqual(
      index.points.map((p) => [p.name, p.flags, p.sameAs]),
    );
    expect(json.warnings).toEqual(index.warnings);
    const flagged = index.points.filter((p) => p.flags.length > 0);
    const lines = human.split('\n').filter((l) => l.startsWith('WARNING: '));
    expect(lines).toHaveLength(flagged.length + 1);
    for (const p of flagged)
      expect(lines.some((l) => l.startsWith(`WARNING: ${p.name} is not what its name says`))).toBe(true);
    for (const name of expected.collapsed) {
      const twin = index.points.find((p) => p.name === name)!.sameAs!;
      expect(human).toContain(`WARNING: ${name} is not what its name says: it holds`);
      expect(lines.find((l) => l.startsWith(`WARNING: ${name} `))).toContain(`the same training rows as ${twin}`);
    }
  });
});

describe('sweep.tolerance', () => {
  it('is read from the recipe: a wide tolerance leaves only collapsed points flagged', async () => {
    const file = writeShortSweepRecipe(dir, 'tolerant', 'cap', '  tolerance: 0.6\n');
    const run = await runCli(['compose', file, '--out', path.join(dir, 'tolerant'), '--json']);
    expect(run.code).toBe(0);
    const { sweep } = JSON.parse(run.stdout) as { sweep: SweepIndex };
    expect(sweep.tolerance).toBe(0.6);
    expect(sweep.points.filter((p) => p.flags.length > 0).map((p) => [p.name, p.flags])).toEqual([
      ['v400-medical0.75', ['collapsed']],
    ]);
  });

  it('is checked by the schema', async () => {
    const file = writeShortSweepRecipe(dir, 'bad-tolerance', 'cap', '  tolerance: -1\n');
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('tolerance');
  });
});
