/**
 * The audit's verdict on a manifest (pure): every file's rows, bytes and sha256 as measured, and
 * the per-source composition recomputed from the records' provenance, against what the manifest
 * says. Composition is compared only when every file checks out, so one edited shard yields one
 * finding, not a cascade.
 */
import { type Manifest, manifestContentSha256 } from '../manifest/manifest.js';
import type { Diagnostic } from '../errors.js';
import type { FileCheck, SplitAudit } from './report.js';
import { TRAIN_SPLIT } from './subject-tally.js';

/** The split whose per-source counts the manifest's `validationSelected` describes. */
export const VALIDATION_SPLIT = 'validation';

function checksumFinding(subject: string, file: FileCheck): Diagnostic {
  const e = file.expected!;
  const parts: string[] = [];
  if (e.rows !== file.rows) parts.push(`${file.rows} rows, manifest says ${e.rows}`);
  if (e.bytes !== file.bytes) parts.push(`${file.bytes} bytes, manifest says ${e.bytes}`);
  if (e.sha256 !== file.sha256)
    parts.push(`sha256 ${file.sha256.slice(0, 12)}…, manifest says ${e.sha256.slice(0, 12)}…`);
  return {
    code: 'AUDIT_CHECKSUM',
    message: `${file.path} differs from its manifest entry: ${parts.join('; ')}`,
    where: { file: `${subject}/${file.path}` },
    hint: 'the file was changed after compose wrote it: restore it or compose the mixture again',
  };
}

/** Planned share per group for a split, from the manifest; null for splits it does not plan. */
export function plannedShares(manifest: Manifest, split: string): Record<string, number> | null {
  const groups = Object.entries(manifest.groups);
  if (split === TRAIN_SPLIT) return Object.fromEntries(groups.map(([name, g]) => [name, g.share]));
  if (split !== VALIDATION_SPLIT) return null;
  const total = groups.reduce((n, [, g]) => n + (g.validation?.quota ?? 0), 0);
  if (total === 0) return null;
  return Object.fromEntries(groups.map(([name, g]) => [name, (g.validation?.quota ?? 0) / total]));
}

function compositionFindings(
  subject: string,
  manifest: Manifest,
  splits: readonly SplitAudit[],
  compareSources: boolean,
): Diagnostic[] {
  const findings: Diagnostic[] = [];
  for (const [name, split] of Object.entries(manifest.splits)) {
    const audited = splits.find((s) => s.name === name);
    const read = audited ? audited.rows + audited.invalid : 0;
    if (read !== split.rows) {
      findings.push({
        code: 'AUDIT_MANIFEST_MISMATCH',
        message: `split ${name} has ${read} records, the manifest says ${split.rows}`,
        where: { file: `${subject}/manifest.json` },
      });
    }
  }
  if (!compareSources) return findings;
  const counted = (split: string, source: string) => splits.find((s) => s.name === split)?.sources[source]?.rows ?? 0;
  const names = new Set([
    ...Object.keys(manifest.sources),
    ...splits.flatMap((s) => (s.name === TRAIN_SPLIT || s.name === VALIDATION_SPLIT ? Object.keys(s.sources) : [])),
  ]);
  for (const source of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const entry = manifest.sources[source];
    for (const [split, planned] of [
      [TRAIN_SPLIT, entry?.selected ?? 0],
      [VALIDATION_SPLIT, entry?.validationSelected ?? 0],
    ] as const) {
      const found = counted(split, source);
      if (found === planned) continue;
      findings.push({
        code: 'AUDIT_MANIFEST_MISMATCH',
        message: `source ${source} has ${found} ${split} records by their provenance fields, the manifest says ${planned}`,
        where: { file: `${subject}/manifest.json` },
        hint: 'records were added, removed or relabelled after compose: compose the mixture again',
      });
    }
  }
  return findings;
}

/**
 * The manifest's own digest (`manifestSha256`, manifest version 2 on) against its content: a
 * manifest edited after compose (a shard's sha256 redone to match an edited shard, a count
 * changed) is AUDIT_CHECKSUM. Version 1 manifests have no digest and are not checked. Whoever
 * rewrites a manifest on purpose can recompute the digest too (docs/audit.md).
 */
export function selfDigestFinding(subject: string, manifest: Manifest): Diagnostic | undefined {
  const recorded = (manifest as { manifestSha256?: unknown }).manifestSha256;
  const where = { file: `${subject}/manifest.json` };
  if (recorded === undefined) {
    if (typeof manifest.manifestVersion === 'number' && manifest.manifestVersion < 2) return undefined;
    return {
      code: 'AUDIT_CHECKSUM',
      message: `manifest.json (version ${String(manifest.manifestVersion)}) has no manifestSha256, the digest of its own content that compose writes`,
      where,
      hint: 'the manifest was rewritten after compose: compose the mixture again',
    };
  }
  const actual = manifestContentSha256(manifest);
  if (recorded === actual) return undefined;
  return {
    code: 'AUDIT_CHECKSUM',
    message: `manifest.json was changed after compose wrote it: its content has sha256 ${actual.slice(0, 12)}…, its manifestSha256 says ${String(recorded).slice(0, 12)}…`,
    where,
    hint: 'restore the manifest (and any file edited with it) or compose the mixture again',
  };
}

export function manifestFindings(options: {
  readonly subject: string;
  readonly manifest: Manifest;
  readonly files: readonly FileCheck[];
  readonly splits: readonly SplitAudit[];
  /** Compare per-source counts: only when every record carries provenance fields. */
  readonly compareSources: boolean;
}): Diagnostic[] {
  const findings = options.files.filter((f) => f.status === 'mismatch').map((f) => checksumFinding(options.subject, f));
  const self = selfDigestFinding(options.subject, options.manifest);
  if (self) findings.unshift(self);
  const intact = !self && options.files.every((f) => f.status === 'ok');
  if (intact)
    findings.push(...compositionFindings(options.subject, options.manifest, options.splits, options.compareSources));
  return findings;
}
