/**
 * Everything that makes an audit exit 6, as diagnostics in the order they are printed: sweep
 * findings and broken sweep rules, then per subject its integrity findings and its broken
 * `--expect` rules. Each names the rule and the figure (and for a sweep figure, the points), so a
 * CI log says what failed without opening the report.
 */
import type { Diagnostic } from '../errors.js';
import type { AuditResult, SweepAudit } from './report.js';

function shown(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/** The points behind a sweep figure, for the message: `v400-medical0.75 = v200-medical0.5`, `v100-medical0.75 (off by 6.6 pt)`. */
function sweepPointsOf(sweep: SweepAudit, figure: string): string {
  const named = sweep.points.flatMap((p) => {
    const sameAs = p.audited?.sameAs ?? null;
    const off = `${p.path} (off by ${((p.audited?.deviation ?? 0) * 100).toFixed(1)} pt)`;
    if (figure === 'sweep.collapsed') return sameAs === null ? [] : [`${p.path} = ${sameAs}`];
    if (figure === 'sweep.deviating') return p.flags.includes('deviating') ? [off] : [];
    if (figure === 'sweep.flagged')
      return p.flags.length === 0 ? [] : [sameAs === null ? off : `${p.path} = ${sameAs}`];
    return [];
  });
  const MAX = 8;
  if (named.length === 0) return '';
  return `: ${named.slice(0, MAX).join(', ')}${named.length > MAX ? `, and ${named.length - MAX} more` : ''}`;
}

export function auditViolations(result: AuditResult): Diagnostic[] {
  const out: Diagnostic[] = [...result.findings];
  const { sweep } = result;
  for (const rule of sweep?.rules ?? []) {
    if (rule.ok) continue;
    out.push({
      code: 'AUDIT_EXPECT',
      message: `--expect ${rule.rule} does not hold: ${rule.figure} is ${shown(rule.actual)}${sweepPointsOf(sweep!, rule.figure)}`,
      where: { file: sweep!.dir },
      hint: `run mixsmith audit ${sweep!.dir} --json and look under "sweep.points" (flags, audited.sameAs, audited.groups) for what makes up ${rule.figure}`,
    });
  }
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
