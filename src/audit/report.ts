/**
 * The audit report: the one object `mixsmith audit` computes, prints as a table, emits with
 * `--json` and renders as HTML. Everything here is plain data (no Maps, no typed arrays), so the
 * JSON form is this object and the HTML renderer is a pure function of it.
 */
import type { Diagnostic } from '../errors.js';
import type { Distribution } from './distribution.js';
import type { RuleResult } from './rules.js';

/** One record shown as evidence: where it sits in the audited files and the start of its text. */
export interface Example {
  /** The audited file (relative to the audited folder) and line. */
  readonly file: string;
  readonly line: number;
  /** The record's provenance `origin` (input file:line), when it has one. */
  readonly origin?: string;
  readonly source: string;
  readonly group: string;
  /** The first characters of the record's text, white space collapsed. */
  readonly text: string;
  /** Copies of this content in its split (repeated records). */
  readonly copies?: number;
  /** Which eval set it matched and how (contamination). */
  readonly evalSet?: string;
  readonly match?: 'content' | 'prompt';
}

/** Figures for the records of one split that share a group, a source, or all of them. */
export interface SliceStats {
  readonly rows: number;
  /** rows / rows of the split. */
  readonly share: number;
  /** The share the manifest planned for this group in this split; null when unknown. */
  readonly plannedShare: number | null;
  readonly chars: Distribution;
  readonly tokens: Distribution;
  readonly turns: Distribution;
  /** Copies beyond the first of the same normalised content in this split (mixsmith's key). */
  readonly duplicates: number;
  /** Copies beyond the first of byte-identical text (no normalisation) in this split. */
  readonly verbatimDuplicates: number;
  /** Copies beyond the first inside the same source (one file, for plain datasets). */
  readonly sourceDuplicates: number;
  /** Records whose text is empty after normalisation (compose drops these). */
  readonly empty: number;
  /** Records whose content also appears in the train split (0 in train itself). */
  readonly leaked: number;
  /** Records that match any eval set, by content or by prompt. */
  readonly contaminated: number;
}

export interface RepeatedRecords {
  /** Distinct contents present more than once. */
  readonly keys: number;
  /** Records beyond the first copy (= the split's duplicates). */
  readonly extraCopies: number;
  readonly maxCopies: number;
  /** How many contents have 2, 3, 4, 5–9 and 10+ copies. */
  readonly byCopies: Readonly<Record<string, number>>;
  /** The most repeated contents (copies, then content order); examples where one was kept. */
  readonly top: readonly Example[];
}

export interface SplitAudit {
  readonly name: string;
  readonly rows: number;
  /** Records that could not be read (bad JSON, a preset's field missing); not in `rows`. */
  readonly invalid: number;
  readonly invalidExamples: readonly string[];
  readonly total: SliceStats;
  readonly groups: Readonly<Record<string, SliceStats>>;
  readonly sources: Readonly<Record<string, SliceStats & { readonly groups: readonly string[] }>>;
  readonly repeated: RepeatedRecords;
  readonly duplicateExamples: readonly Example[];
  /** Records of this split whose content is in train; null for train and when there is no train. */
  readonly leak: { readonly records: number; readonly examples: readonly Example[] } | null;
}

export interface EvalOverlap {
  readonly name: string;
  readonly paths: readonly string[];
  readonly records: number;
  readonly distinct: number;
  /** Per audited split: records matching by content, by prompt only, and in total. */
  readonly splits: Readonly<Record<string, { readonly content: number; readonly prompt: number; readonly records: number }>>;
  readonly examples: readonly Example[];
}

export type FileStatus = 'ok' | 'mismatch' | 'missing' | 'unlisted' | 'unverified';

/** Shards hold records; the rest are files the manifest also vouches for. */
export type FileRole = 'shard' | 'sidecar' | 'layout' | 'evidence';

export interface FileCheck {
  /** Relative to the audited folder (or to the working directory for loose files). */
  readonly path: string;
  readonly role: FileRole;
  /** '' for files that are not shards. */
  readonly split: string;
  readonly format: string;
  /** How records were read: a preset name, or `fields` (every string of the record). */
  readonly schema: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  /** What the manifest says, when it lists the file. */
  readonly expected?: { readonly rows: number; readonly bytes: number; readonly sha256: string };
  /** `unverified`: no manifest to check against (plain files, or the manifest is missing). */
  readonly status: FileStatus;
}

export interface ManifestStatus {
  /** `none`: not an output folder, so no manifest is expected. */
  readonly status: 'ok' | 'missing' | 'invalid' | 'none';
  readonly recipe?: { readonly name: string; readonly sha256: string };
  readonly seed?: number;
  readonly tool?: string;
}

/** How records were assigned to groups and sources. */
export type CompositionBasis = 'provenance' | 'file' | { readonly by: string };

export interface SubjectAudit {
  /** The folder or file list audited, as given. */
  readonly name: string;
  readonly kind: 'mixture' | 'dataset';
  readonly manifest: ManifestStatus;
  readonly composition: CompositionBasis;
  readonly tokenizer: { readonly name: string; readonly label: string; readonly estimate: boolean };
  readonly files: readonly FileCheck[];
  /** Files found in folders but not read (not a data format), with the reason. */
  readonly skipped: readonly string[];
  /** Train first, then the other splits by name. */
  readonly splits: readonly SplitAudit[];
  readonly evals: readonly EvalOverlap[];
  /** Near-duplicate figures, or why there are none. */
  readonly nearDuplicates: { readonly status: 'pending'; readonly note: string };
  /** Integrity problems (checksums, missing files, manifest disagreements): each exits 6. */
  readonly findings: readonly Diagnostic[];
  /** Every figure an `--expect` rule can name, by name. */
  readonly figures: Readonly<Record<string, number>>;
  readonly rules: readonly RuleResult[];
  readonly notes: readonly string[];
}

export interface SweepPointAudit {
  readonly name: string;
  /** The point's folder, relative to the sweep folder. */
  readonly path: string;
  readonly volume: number | null;
  readonly shares: Readonly<Record<string, number>>;
  /** What sweep.json says about the point. */
  readonly index: { readonly trainRows: number | null; readonly validationRows: number | null; readonly trainTokens: number | null; readonly tokenMethod: string | null };
  /** What the audit measured; null when the point folder is missing. */
  readonly audited: { readonly trainRows: number; readonly validationRows: number; readonly trainTokens: number; readonly ok: boolean } | null;
  /** Index into `AuditResult.subjects`, or null when the point folder is missing. */
  readonly subject: number | null;
}

export interface SweepAudit {
  readonly dir: string;
  /** The grid's axes: every volume and every share vector, sorted. */
  readonly volumes: readonly number[];
  readonly groups: readonly string[];
  readonly points: readonly SweepPointAudit[];
}

export interface AuditResult {
  readonly subjects: readonly SubjectAudit[];
  readonly sweep: SweepAudit | null;
  /** Sweep-level findings (a point folder missing, an unreadable sweep.json). */
  readonly findings: readonly Diagnostic[];
  /** No finding and no broken rule anywhere. */
  readonly ok: boolean;
}
