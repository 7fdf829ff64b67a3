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
}

/** Two records that are near duplicates: `earlier` was read first (for a leak, the train record). */
export interface NearDupPair {
  /** Exact Jaccard of their shingle sets. */
  readonly jaccard: number;
  readonly earlier: Example;
  readonly later: Example;
}

/** Near duplicates of one kind in one split: how many records, and the first pairs found. */
export interface NearDupFinding {
  readonly records: number;
  readonly examples: readonly NearDupPair[];
}

/** How near duplicates were looked for, or that they were not (`--no-near`). */
export type NearDupSummary =
  | {
      readonly status: 'checked';
      readonly threshold: number;
      readonly fields: 'all' | 'user' | 'assistant';
      /** Shingle unit and sizes (`auto`: characters for CJK-dominant texts, else words). */
      readonly shingles: { readonly unit: string; readonly wordSize: number; readonly charSize: number };
      readonly bands: number;
      readonly rows: number;
      /** Records whose shingle sets were indexed (non-empty, not exact duplicates). */
      readonly stored: number;
      /** LSH candidate pairs verified, and those below the threshold. */
      readonly candidates: number;
      readonly rejectedCandidates: number;
    }
  | { readonly status: 'off' };

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
  /** Records that contaminate an item of any eval set (n-gram rule, as compose's decontaminate). */
  readonly contaminated: number;
  /** Records that near-duplicate an earlier record of the split, exact duplicates not counted (0 when the check is off). */
  readonly nearDuplicates: number;
  /** Records that near-duplicate a train record, exact leaks not counted (0 in train, and when off). */
  readonly nearLeaked: number;
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
  /** Near duplicates inside the split; null when the check is off. */
  readonly nearDuplicates: NearDupFinding | null;
  /** Records near-duplicating a train record; null for train, without train, and when off. */
  readonly nearLeak: NearDupFinding | null;
}

/** One eval set's overlap with one audited split. */
export interface EvalSplitOverlap {
  /** Records that contain at least the threshold share of an item's n-grams (compose's rule). */
  readonly records: number;
  /** Records whose whole normalised content is an item (exact). */
  readonly content: number;
  /** Records whose prompt (user turns) is an item's prompt, content not (exact). */
  readonly prompt: number;
  /** `records` by source, sorted by name; sources without a hit left out. */
  readonly sources: Readonly<Record<string, number>>;
}

/** A record overlapping an eval set: by the n-gram rule (with the item and a matched n-gram), or exactly only. */
export interface EvalExample {
  readonly record: Example;
  readonly match: 'question' | 'n-gram' | 'content' | 'prompt';
  /** `<set>:<file>:<line>` of the item, as compose's removed.jsonl cites it (n-gram matches). */
  readonly evalId?: string;
  readonly evalText?: string;
  /** Share of the item's distinct n-grams found in the record. */
  readonly matchedShare?: number;
  /** One matched n-gram as it reads in the (normalised) item. */
  readonly gram?: string;
}

export interface EvalOverlap {
  readonly name: string;
  readonly paths: readonly string[];
  /** Items read. */
  readonly records: number;
  /** Distinct items by normalised content. */
  readonly distinct: number;
  /** Items in the n-gram index; shorter ones cannot match by n-grams. */
  readonly indexed: number;
  /** Items too short for either layer, and the first few of their ids. */
  readonly tooShort: number;
  readonly tooShortIds: readonly string[];
  /** Distinct items some audited record contaminates (exact layer or n-gram rule). */
  readonly itemsHit: number;
  /** Of those, by the exact layer (question whole), and by n-gram overlap only. */
  readonly itemsHitExact: number;
  readonly itemsHitOverlap: number;
  readonly splits: Readonly<Record<string, EvalSplitOverlap>>;
  readonly examples: readonly EvalExample[];
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
  /** The text encoding the records were read in, when not UTF-8 (declared with --encoding or detected). */
  readonly encoding?: string;
  /** Records whose bytes could not be read as a value (wrong encoding, not JSON, a broken CSV row), when any. */
  readonly unreadable?: number;
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
  /** How near duplicates were looked for; the counts are in `splits`. */
  readonly nearDuplicates: NearDupSummary;
  /** Integrity problems (checksums, missing files, manifest disagreements): each exits 6. */
  readonly findings: readonly Diagnostic[];
  /** Every figure an `--expect` rule can name, by name. */
  readonly figures: Readonly<Record<string, number>>;
  readonly rules: readonly RuleResult[];
  readonly notes: readonly string[];
  /**
   * sha256 over the train split's content keys in reading order (order-digest.ts), or null without
   * a train split: equal values, record-for-record the same training data.
   */
  readonly trainSequence: string | null;
}

/** `deviating`: a realized share misses the nominal one by more than the tolerance; `collapsed`: same training data as an earlier point. */
export type SweepPointFlag = 'deviating' | 'collapsed';

/** What one group got at one sweep point, as audited. */
export interface SweepGroupAudit {
  /** The share the point's name and sweep.json promise. */
  readonly nominal: number;
  /** The share it holds in the train split: of rows, or of tokens (as the manifest counts them) for a sweep in tokens. */
  readonly share: number;
  /** Training rows of the group, copies included, and their tokens (by the audit's tokenizer). */
  readonly rows: number;
  readonly tokens: number;
  /** Rows beyond a content's first copy in the train split (shortage: repeat). */
  readonly repeated: number;
  /** The nominal quota (manifest `plannedQuota`) minus what the group got, in the sweep's unit; 0 when it got it; null without a manifest. */
  readonly shortfall: number | null;
  /** Distinct records the group's pool held for training: manifest `available` less its validation records; null without a manifest. */
  readonly pool: number | null;
}

export interface SweepPointAudit {
  readonly name: string;
  /** The point's folder, relative to the sweep folder. */
  readonly path: string;
  readonly volume: number | null;
  readonly shares: Readonly<Record<string, number>>;
  /** What sweep.json says about the point (`sameAs` and `flags` are null in an index written before they existed). */
  readonly index: {
    readonly trainRows: number | null;
    readonly validationRows: number | null;
    readonly trainTokens: number | null;
    readonly tokenMethod: string | null;
    readonly sameAs: string | null;
    readonly flags: readonly string[] | null;
  };
  /** What the audit measured; null when the point folder is missing. */
  readonly audited: {
    readonly trainRows: number;
    readonly validationRows: number;
    readonly trainTokens: number;
    readonly ok: boolean;
    /** Per group of the sweep: what the train split really holds. */
    readonly groups: Readonly<Record<string, SweepGroupAudit>>;
    /** The largest distance between a realized and a nominal share. */
    readonly deviation: number;
    /** The first earlier point whose train split is record-for-record this one's, or null. */
    readonly sameAs: string | null;
  } | null;
  /** Measured flags (empty for a missing point). */
  readonly flags: readonly SweepPointFlag[];
  /** Index into `AuditResult.subjects`, or null when the point folder is missing. */
  readonly subject: number | null;
}

export interface SweepAudit {
  readonly dir: string;
  /** The grid's axes: every volume and every share vector, sorted. */
  readonly volumes: readonly number[];
  readonly groups: readonly string[];
  readonly points: readonly SweepPointAudit[];
  /** What shares and shortfalls count (the manifests' unit). */
  readonly unit: 'samples' | 'tokens';
  /** A realized share may miss the nominal one by this much (the recipe's `sweep.tolerance`). */
  readonly tolerance: number;
  /** Sweep figures for `--expect` (`sweep.collapsed`, `sweep.deviating`, …; see figures.ts). */
  readonly figures: Readonly<Record<string, number>>;
  readonly rules: readonly RuleResult[];
}

export interface AuditResult {
  readonly subjects: readonly SubjectAudit[];
  readonly sweep: SweepAudit | null;
  /** Sweep-level findings (a point folder missing, an unreadable sweep.json). */
  readonly findings: readonly Diagnostic[];
  /** No finding and no broken rule anywhere (sweep rules included). */
  readonly ok: boolean;
}
