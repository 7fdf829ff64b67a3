/**
 * Auditing a sweep folder: every point is audited and verified, the grid holds the measured rows
 * and tokens per (volume, shares), and a missing point or a tampered index is reported.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/report.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { composeMixture, copyOutput, SWEEP, writeCorpora } from './mixtures.js';

const dir = tempDir('mixsmith-audit-sweep-');
let sweep: string;

async function auditJson(...argv: string[]) {
  const run = await runCli(['audit', ...argv, '--json']);
  return { ...run, result: JSON.parse(run.stdout) as AuditResult };
}

beforeAll(async () => {
  writeCorpora(dir);
  sweep = await composeMixture(dir, 'sweep', { volume: 200, sweep: SWEEP });
});

describe('audit of a sweep folder', () => {
  it('audits every point and lays them out on the volume × shares grid', async () => {
    const { code, result } = await auditJson(sweep, '--expect', 'leak.validation=0', '--expect', 'dup.exact=0');
    expect(code).toBe(0);
    const grid = result.sweep!;
    expect(grid.volumes).toEqual([100, 200]);
    expect(grid.groups).toEqual(['general', 'medical']);
    expect(
      grid.points.map((p) => [
        p.volume,
        p.shares.medical,
        p.audited?.trainRows,
        p.audited?.validationRows,
        p.audited?.ok,
      ]),
    ).toEqual([
      [100, 0.3, 100, 30, true],
      [100, 0.5, 100, 30, true],
      [200, 0.3, 200, 30, true],
      [200, 0.5, 200, 30, true],
    ]);
    const index = JSON.parse(readFileSync(path.join(sweep, 'sweep.json'), 'utf8'));
    for (const [i, point] of grid.points.entries()) {
      expect(point.index.trainRows).toBe(index.points[i].rows.train);
      const subject = result.subjects[point.subject!]!;
      expect(subject.name).toBe(`${path.relative(process.cwd(), sweep)}/${point.path}`);
      expect(point.audited!.trainTokens).toBe(subject.splits[0]!.total.tokens.sum);
      expect(subject.figures['share.medical']).toBe(point.shares.medical);
    }
  });

  it('reports a point folder the index lists but that is gone (AUDIT_FILE_MISSING)', async () => {
    const out = copyOutput(sweep, path.join(dir, 'sweep-missing'));
    rmSync(path.join(out, 'v200-medical0.5'), { recursive: true });
    const { code, result } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.findings.map((f) => f.code)).toEqual(['AUDIT_FILE_MISSING']);
    expect(result.sweep!.points.find((p) => p.path === 'v200-medical0.5')!.audited).toBeNull();
  });

  it('reports an index whose rows disagree with the files (AUDIT_MANIFEST_MISMATCH)', async () => {
    const out = copyOutput(sweep, path.join(dir, 'sweep-index'));
    const file = path.join(out, 'sweep.json');
    const index = JSON.parse(readFileSync(file, 'utf8'));
    index.points[1].rows.train = 150;
    writeFileSync(file, JSON.stringify(index));
    const { code, result } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.findings.map((f) => f.message)).toEqual([
      'sweep.json says point v100-medical0.5 has 150 train rows; its files hold 100',
    ]);
  });

  it('a sweep point is an output folder of its own', async () => {
    const { code, result } = await auditJson(path.join(sweep, 'v100-medical0.5'), '--expect', 'share.medical=0.5');
    expect(code).toBe(0);
    expect(result.sweep).toBeNull();
  });
});

describe('several PATHs', () => {
  it('audits each output folder on its own and all plain files as one dataset', async () => {
    const single = await composeMixture(dir, 'single');
    const { code, result } = await auditJson(
      single,
      path.join(sweep, 'v100-medical0.3'),
      path.join(dir, 'med.jsonl'),
      path.join(dir, 'gen.jsonl'),
    );
    expect(code).toBe(0);
    expect(result.subjects.map((s) => [s.kind, s.splits.map((x) => x.rows)])).toEqual([
      ['mixture', [300, 30]],
      ['mixture', [100, 30]],
      ['dataset', [1300]],
    ]);
  });
});
