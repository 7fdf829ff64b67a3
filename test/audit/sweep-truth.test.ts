/**
 * The audit of a sweep says which points are not what their names say, from the files (issue
 * #18): realized shares, rows, shortfalls and repeats per group, and points whose train split is
 * record for record an earlier point's. `--expect sweep.collapsed=0` / `sweep.deviating=0` exit 6
 * on such a sweep and pass on a healthy one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/report.js';
import type { Diagnostic } from '../../src/errors.js';
import type { SweepIndex } from '../../src/manifest/sweep-index.js';
import { runCli } from '../helpers/cli.js';
import { composeShortSweep, writeShortPools } from '../helpers/short-sweep.js';
import { tempDir } from '../helpers/temp.js';
import { composeMixture, copyOutput, SWEEP, writeCorpora } from './mixtures.js';

const dir = tempDir('mixsmith-audit-sweep-truth-');
let capped: string;
let redistributed: string;
let healthy: string;

async function auditJson(...argv: string[]) {
  const run = await runCli(['audit', ...argv, '--no-near', '--json']);
  return { ...run, result: JSON.parse(run.stdout) as AuditResult & { violations: Diagnostic[] } };
}

const indexOf = (sweep: string) => JSON.parse(readFileSync(path.join(sweep, 'sweep.json'), 'utf8')) as SweepIndex;

beforeAll(async () => {
  writeShortPools(dir);
  writeCorpora(dir);
  capped = await composeShortSweep(dir, 'capped', 'cap');
  redistributed = await composeShortSweep(dir, 'redistributed', 'redistribute');
  healthy = await composeMixture(dir, 'healthy', { volume: 200, sweep: SWEEP });
});

describe('audit of a sweep whose medical pool ran out', () => {
  it('shortage: cap — --expect sweep.collapsed=0 exits 6 and names the twin points', async () => {
    const { code, result } = await auditJson(capped, '--expect', 'sweep.collapsed=0');
    expect(code).toBe(6);
    expect(result.ok).toBe(false);
    expect(result.sweep!.figures).toMatchObject({
      'sweep.points': 9,
      'sweep.collapsed': 1,
      'sweep.deviating': 6,
      'sweep.flagged': 6,
      'sweep.short': 6,
      'sweep.repeated': 0,
    });
    expect(result.sweep!.rules).toEqual([
      { rule: 'sweep.collapsed=0', figure: 'sweep.collapsed', actual: 1, ok: false },
    ]);
    expect(result.violations.map((v) => [v.code, v.message])).toEqual([
      [
        'AUDIT_EXPECT',
        '--expect sweep.collapsed=0 does not hold: sweep.collapsed is 1: v400-medical0.75 = v200-medical0.5',
      ],
    ]);
    // every point itself is intact: only the sweep rule fails
    expect(result.sweep!.points.every((p) => p.audited!.ok)).toBe(true);
  });

  it('measures what compose claims in sweep.json: realized shares, rows, shortfalls, same_as, flags', async () => {
    const { result } = await auditJson(capped);
    const index = indexOf(capped);
    for (const [i, p] of result.sweep!.points.entries()) {
      const claimed = index.points[i]!;
      expect(p.flags, p.path).toEqual(claimed.flags);
      expect(p.audited!.sameAs).toBe(claimed.sameAs);
      expect(p.index).toMatchObject({ sameAs: claimed.sameAs, flags: claimed.flags });
      for (const g of ['medical', 'general']) {
        expect(p.audited!.groups[g]!.share).toBeCloseTo(claimed.realized.shares[g]!, 12);
        expect(p.audited!.groups[g]!.rows).toBe(claimed.realized.rows[g]);
        expect(p.audited!.groups[g]!.shortfall).toBe(claimed.shortfall[g]);
        expect(p.audited!.groups[g]!.nominal).toBe(claimed.shares[g]);
      }
    }
    const last = result.sweep!.points.find((p) => p.path === 'v400-medical0.75')!;
    expect(last.audited!.groups.medical).toMatchObject({ rows: 54, shortfall: 246, repeated: 0, pool: 54 });
  });

  it('finds collapsed points from the files even when sweep.json does not say so (an index from before)', async () => {
    const out = copyOutput(capped, path.join(dir, 'old-index'));
    const index = indexOf(out) as unknown as { points: Record<string, unknown>[] };
    for (const p of index.points)
      for (const key of ['realized', 'shortfall', 'repeated', 'deviation', 'trainDigest', 'sameAs', 'flags'])
        delete p[key];
    writeFileSync(path.join(out, 'sweep.json'), JSON.stringify(index));
    const { code, result } = await auditJson(out, '--expect', 'sweep.collapsed=0');
    expect(code).toBe(6);
    const twin = result.sweep!.points.find((p) => p.path === 'v400-medical0.75')!;
    expect(twin.audited!.sameAs).toBe('v200-medical0.5');
    expect(twin.index).toMatchObject({ sameAs: null, flags: null });
  });

  it('shortage: redistribute — both rules exit 6; the text says which points and why', async () => {
    const collapsed = await auditJson(redistributed, '--expect', 'sweep.collapsed=0');
    expect(collapsed.code).toBe(6);
    expect(
      collapsed.result.sweep!.points.filter((p) => p.audited!.sameAs !== null).map((p) => [p.path, p.audited!.sameAs]),
    ).toEqual([
      ['v200-medical0.75', 'v200-medical0.5'],
      ['v400-medical0.5', 'v400-medical0.25'],
      ['v400-medical0.75', 'v400-medical0.25'],
    ]);
    const deviating = await auditJson(redistributed, '--expect', 'sweep.deviating=0');
    expect(deviating.code).toBe(6);
    expect(deviating.result.sweep!.figures['sweep.deviating']).toBe(6);
    const text = await runCli([
      'audit',
      redistributed,
      '--no-near',
      '--expect',
      'sweep.collapsed=0',
      '--expect',
      'sweep.deviation<=0.005',
    ]);
    expect(text.code).toBe(6);
    expect(text.stderr).toContain('6 of 9 points do not hold what their names say (tolerance 0.005):');
    expect(text.stderr).toMatch(
      /v400-medical0\.5: general \d+\.\d% \(nominal 50\.0%\), medical \d+\.\d% \(nominal 50\.0%\); same training records as v400-medical0\.25/,
    );
    expect(text.stderr).toContain('FAIL sweep.collapsed=0  (sweep.collapsed = 3)');
    expect(text.stderr).toContain(
      'error[AUDIT_EXPECT]: --expect sweep.collapsed=0 does not hold: sweep.collapsed is 3: v200-medical0.75 = v200-medical0.5, v400-medical0.5 = v400-medical0.25, v400-medical0.75 = v400-medical0.25',
    );
  });
});

describe('audit of a sweep that repeats records where the pool ran out (shortage: repeat)', () => {
  it('counts the repeated rows per group as compose reports them; shares hold, nothing collapses', async () => {
    const repeated = await composeShortSweep(dir, 'repeated', 'repeat');
    const { code, result } = await auditJson(
      repeated,
      '--expect',
      'sweep.collapsed=0',
      '--expect',
      'sweep.deviating=0',
      '--expect',
      'sweep.short=0',
    );
    expect(code).toBe(0);
    expect(result.sweep!.figures['sweep.repeated']).toBe(6);
    const index = indexOf(repeated);
    for (const [i, p] of result.sweep!.points.entries()) {
      for (const g of ['medical', 'general'])
        expect(p.audited!.groups[g]!.repeated, `${p.path} ${g}`).toBe(index.points[i]!.repeated[g]);
    }
    const last = index.points.find((p) => p.name === 'v400-medical0.75')!;
    expect(last).toMatchObject({
      flags: [],
      sameAs: null,
      repeated: { medical: 300 - 54, general: 0 },
      shortfall: { medical: 0, general: 0 },
      realized: { rows: { medical: 300, general: 100 } },
    });
  });
});

describe('sweep rules', () => {
  it('pass on a healthy sweep (exit 0)', async () => {
    const { code, result } = await auditJson(
      healthy,
      '--expect',
      'sweep.collapsed=0',
      '--expect',
      'sweep.deviating=0',
      '--expect',
      'sweep.deviation<=0.005',
      '--expect',
      'sweep.short=0',
    );
    expect(code).toBe(0);
    expect(result.sweep!.rules.every((r) => r.ok)).toBe(true);
    expect(result.sweep!.points.every((p) => p.flags.length === 0 && p.audited!.sameAs === null)).toBe(true);
  });

  it('are checked once for the sweep, not per point; a point or a mixture has no sweep figures (exit 2)', async () => {
    const { result } = await auditJson(healthy, '--expect', 'sweep.collapsed=0');
    expect(result.subjects.every((s) => s.rules.length === 0)).toBe(true);
    const point = await runCli(['audit', path.join(healthy, 'v100-medical0.3'), '--expect', 'sweep.collapsed=0']);
    expect(point.code).toBe(2);
    expect(point.stderr).toContain('sweep figures need a sweep folder');
  });

  it('a misspelt sweep figure is a usage error with a suggestion, before any point is read', async () => {
    const run = await runCli(['audit', healthy, '--expect', 'sweep.colapsed=0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean "sweep.collapsed"?');
  });
});
