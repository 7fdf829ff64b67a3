/**
 * A sweep's points as the audit measured them, next to what `sweep.json` claims (pure). A point
 * whose rows disagree with the index is a finding: the index is what launch scripts read.
 */
import type { Diagnostic } from '../errors.js';
import type { LocatedSweep } from './locate-all.js';
import type { SubjectAudit, SweepAudit, SweepPointAudit } from './report.js';
import { SWEEP_INDEX_FILE } from './sweep-index.js';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function summarizeSweep(located: LocatedSweep, subjects: readonly SubjectAudit[]): { sweep: SweepAudit; findings: Diagnostic[] } {
  const findings: Diagnostic[] = [];
  const points = located.points.map(({ point, subject }): SweepPointAudit => {
    const audited = subject === null ? undefined : subjects[subject];
    const split = (name: string) => audited?.splits.find((s) => s.name === name);
    const measured = audited && {
      trainRows: split('train')?.rows ?? 0,
      validationRows: split('validation')?.rows ?? 0,
      trainTokens: split('train')?.total.tokens.sum ?? 0,
      ok: audited.findings.length === 0 && audited.rules.every((r) => r.ok),
    };
    if (measured) {
      for (const [label, claimed, found] of [
        ['train', point.trainRows, measured.trainRows],
        ['validation', point.validationRows, measured.validationRows],
      ] as const) {
        if (claimed === null || claimed === found) continue;
        findings.push({
          code: 'AUDIT_MANIFEST_MISMATCH',
          message: `${SWEEP_INDEX_FILE} says point ${point.path} has ${claimed} ${label} rows; its files hold ${found}`,
          where: { file: `${located.dir}/${SWEEP_INDEX_FILE}` },
          hint: 'the sweep folder was changed after compose: compose it again',
        });
      }
    }
    return {
      name: point.name,
      path: point.path,
      volume: point.volume,
      shares: point.shares,
      index: { trainRows: point.trainRows, validationRows: point.validationRows, trainTokens: point.trainTokens, tokenMethod: point.tokenMethod },
      audited: measured ?? null,
      subject,
    };
  });
  const volumes = [...new Set(points.flatMap((p) => (p.volume === null ? [] : [p.volume])))].sort((a, b) => a - b);
  const groups = [...new Set(points.flatMap((p) => Object.keys(p.shares)))].sort(byName);
  return { sweep: { dir: located.dir, volumes, groups, points }, findings };
}
