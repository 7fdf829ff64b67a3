/**
 * Everything that makes an audit exit 6, as diagnostics in the order they are printed: sweep
 * findings, then per subject its integrity findings and its broken `--expect` rules. Each names
 * the rule and the figure, so a CI log says what failed without opening the report.
 */
import type { Diagnostic } from '../errors.js';
import type { AuditResult } from './report.js';

function shown(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

export function auditViolations(result: AuditResult): Diagnostic[] {
  const out: Diagnostic[] = [...result.findings];
  for (const subject of result.subjects) {
    out.push(...subject.findings);
    for (const rule of subject.rules) {
      if (rule.ok) continue;
      out.push({
        code: 'AUDIT_EXPECT',
        message: `--expect ${rule.rule} does not hold: ${rule.figure} is ${shown(rule.actual)}`,
        where: { file: subject.name },
        hint: `run mixsmith audit ${subject.name} --json and look under "figures" and "splits" for what makes up ${rule.figure}`,
      });
    }
  }
  return out;
}
