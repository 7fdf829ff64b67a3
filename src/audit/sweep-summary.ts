/**
 * A sweep's points as the audit measured them, next to what `sweep.json` claims (pure). A point
 * whose rows disagree with the index is a finding: the index is what launch scripts read. Per
 * point and group the summary also says what the train split really holds — share, rows,
 * repeats, the shortfall against the nominal quota — and which points are record-for-record the
 * same training data, so a point that is not what its name says is flagged, whatever the index says.
 */
import type { Diagnostic } from '../errors.js';
import type { Manifest } from '../manifest/manifest.js';
import { DEFAULT_SWEEP_TOLERANCE } from '../recipe/resolve.js';
import { sweepFiguresOf } from './figures.js';
import type { LocatedSweep } from './locate-all.js';
import type { SubjectInput } from './locate.js';
import type {
  SplitAudit,
  SubjectAudit,
  SweepAudit,
  SweepGroupAudit,
  SweepPointAudit,
  SweepPointFlag,
} from './report.js';
import { evaluateRules, type Rule } from './rules.js';
import { TRAIN_SPLIT } from './subject-tally.js';
import { SWEEP_INDEX_FILE } from './sweep-index.js';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Shares that differ by floating-point noise only are equal. */
const SLACK = 1e-9;

const manifestOf = (input: SubjectInput | undefined): Manifest | undefined =>
  input?.manifest?.status === 'ok' ? input.manifest.manifest : undefined;

function groupAudits(
  train: SplitAudit | undefined,
  manifest: Manifest | undefined,
  nominal: Readonly<Record<string, number>>,
  groups: readonly string[],
  unit: SweepAudit['unit'],
): Record<string, SweepGroupAudit> {
  const rowsOf = (g: string) => train?.groups[g]?.rows ?? 0;
  // In a sweep by tokens the shares are of tokens as compose counted them: the audit's --tokenizer may count otherwise.
  const weightOf = (g: string) => (unit === 'tokens' ? (manifest?.groups[g]?.tokens ?? 0) : rowsOf(g));
  const total = groups.reduce((sum, g) => sum + weightOf(g), 0);
  const planned = (g: string) => manifest?.groups[g]?.plannedQuota;
  return Object.fromEntries(
    groups.map((g) => [
      g,
      {
        nominal: nominal[g] ?? 0,
        share: total === 0 ? 0 : weightOf(g) / total,
        rows: rowsOf(g),
        tokens: train?.groups[g]?.tokens.sum ?? 0,
        repeated: train?.groups[g]?.duplicates ?? 0,
        shortfall: planned(g) === undefined ? null : Math.max(0, planned(g)! - weightOf(g)),
        pool: manifest?.groups[g]
          ? Math.max(0, manifest.groups[g].available - (manifest.groups[g].validation?.selected ?? 0))
          : null,
      },
    ]),
  );
}

export function summarizeSweep(
  located: LocatedSweep,
  subjects: readonly SubjectAudit[],
  inputs: readonly SubjectInput[],
  rules: readonly Rule[] = [],
): { sweep: SweepAudit; findings: Diagnostic[] } {
  const findings: Diagnostic[] = [];
  const groups = [...new Set(located.points.flatMap(({ point }) => Object.keys(point.shares)))].sort(byName);
  const manifests = located.points.map(({ subject }) => (subject === null ? undefined : manifestOf(inputs[subject])));
  const first = manifests.find((m) => m !== undefined);
  const unit = first?.unit === 'tokens' ? 'tokens' : 'samples';
  const tolerance = first?.recipe?.resolved?.sweep?.tolerance ?? DEFAULT_SWEEP_TOLERANCE;
  const firstWith = new Map<string, string>();
  const points = located.points.map(({ point, subject }, i): SweepPointAudit => {
    const audited = subject === null ? undefined : subjects[subject];
    const split = (name: string) => audited?.splits.find((s) => s.name === name);
    let measured: SweepPointAudit['audited'] = null;
    const flags: SweepPointFlag[] = [];
    if (audited) {
      const perGroup = groupAudits(split(TRAIN_SPLIT), manifests[i], point.shares, groups, unit);
      const deviation = Math.max(0, ...Object.values(perGroup).map((g) => Math.abs(g.share - g.nominal)));
      const sequence = audited.trainSequence;
      const sameAs = sequence === null ? null : (firstWith.get(sequence) ?? null);
      if (sequence !== null && sameAs === null) firstWith.set(sequence, point.name);
      if (deviation > tolerance + SLACK) flags.push('deviating');
      if (sameAs !== null) flags.push('collapsed');
      measured = {
        trainRows: split(TRAIN_SPLIT)?.rows ?? 0,
        validationRows: split('validation')?.rows ?? 0,
        trainTokens: split(TRAIN_SPLIT)?.total.tokens.sum ?? 0,
        ok: audited.findings.length === 0 && audited.rules.every((r) => r.ok),
        groups: perGroup,
        deviation,
        sameAs,
      };
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
      index: {
        trainRows: point.trainRows,
        validationRows: point.validationRows,
        trainTokens: point.trainTokens,
        tokenMethod: point.tokenMethod,
        sameAs: point.sameAs,
        flags: point.flags,
      },
      audited: measured,
      flags,
      subject,
    };
  });
  const volumes = [...new Set(points.flatMap((p) => (p.volume === null ? [] : [p.volume])))].sort((a, b) => a - b);
  const figures = sweepFiguresOf(points);
  return {
    sweep: {
      dir: located.dir,
      volumes,
      groups,
      points,
      unit,
      tolerance,
      figures,
      rules: evaluateRules(rules, figures, located.dir),
    },
    findings,
  };
}
