/**
 * `manifest.json`: everything needed to say what went into a mixture and to verify it. Every field
 * except the `run` block is a function of inputs, recipe and seed; determinism tests compare the
 * rest byte for byte.
 */
import { createHash } from 'node:crypto';
import { UNICODE_VERSION } from '../keys/unicode-version.js';
import type { LoggedFile } from '../io/removal-log.js';
import type { WrittenFile } from '../materialize/shard-writer.js';
import type { EvalSetReport } from '../decontam/contamination-tally.js';
import type { NearDupStats } from '../near-dup/near-dup-index.js';
import type { FilterResult } from '../select/filter-candidates.js';
import type { LayoutFile } from './layouts/write-layouts.js';
import { trainDigest } from './train-digest.js';
import { stableStringify } from '../json/stable-json.js';
import { toolVersion } from '../package-info.js';
import { splitsBySource } from '../plan/plan.js';
import type { Recipe } from '../recipe/types.js';
import type { ScanResult } from '../select/scan.js';
import type { GroupSelection, PointSelection } from '../select/select.js';

/** 2: the manifest carries `manifestSha256`, the digest of its own content (`sealManifest`). */
export const MANIFEST_VERSION = 2;

/** How the run went: the only part of a manifest allowed to differ between identical runs. */
export interface RunInfo {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Wall time per phase (scan, select, write). */
  readonly durationMs: Readonly<Record<string, number>>;
  /** Bytes of input files read (compressed size for compressed files). */
  readonly inputBytes?: number;
  readonly scanMBPerSecond?: number;
  /** The process's peak resident memory at the end of each phase (when the caller measures it). */
  readonly peakRssBytes?: Readonly<Record<string, number>>;
}

export interface Manifest {
  readonly manifestVersion: number;
  readonly tool: { readonly name: 'mixsmith'; readonly version: string };
  readonly recipe: { readonly name: string; readonly sha256: string; readonly resolved: Recipe };
  readonly seed: number;
  readonly selection: {
    readonly hash: 'md5';
    readonly normalization: string;
    readonly keyVersion: number;
    /** The runtime's Unicode version (process.versions.unicode): its NFKC and case tables are part of the key. */
    readonly unicode: string;
  };
  /** What volumes count (samples or tokens) and how tokens were counted. */
  readonly unit: 'samples' | 'tokens';
  readonly tokenMethod: string;
  /**
   * The sweep point this folder holds; null for a single mixture. `trainDigest` identifies its
   * training rows (train-digest.ts): equal digests, record-for-record identical training sets.
   */
  readonly point: {
    readonly name: string;
    readonly volume: number;
    readonly shares: Readonly<Record<string, number>>;
    readonly trainDigest: string;
  } | null;
  readonly groups: Readonly<Record<string, GroupEntry>>;
  readonly sources: Readonly<Record<string, SourceEntry>>;
  readonly splits: Readonly<Record<string, { readonly rows: number }>>;
  readonly files: readonly WrittenFile[];
  /** Evidence for every record left out (removed.jsonl) and the near-duplicate guard's warnings. */
  readonly evidence: {
    readonly removed: LoggedFile;
    readonly warnings: readonly string[];
    readonly nearDup: NearDupStats | null;
    readonly decontamination: readonly EvalSetReport[] | null;
  };
  /** Trainer layout files (dataset card, dataset_info.json, axolotl.yaml) written beside the shards. */
  readonly layouts: readonly LayoutFile[];
  readonly run: RunInfo;
  /**
   * sha256 of the manifest's own content (`manifestContentSha256`), set by `sealManifest` when
   * compose writes it (manifest version 2 on). The audit recomputes it: see `sealManifest` for
   * what it protects against and what it cannot.
   */
  readonly manifestSha256?: string;
}

export interface GroupEntry {
  readonly share: number;
  /** After redistribution; `plannedQuota` is what the shares asked for. */
  readonly quota: number;
  readonly plannedQuota: number;
  readonly available: number;
  /** Training rows, repeats included. */
  readonly selected: number;
  readonly distinct: number;
  readonly epochs: number;
  readonly shortfall: number;
  /** Characters and tokens of the training rows (see the manifest's `tokenMethod`). */
  readonly chars: number;
  readonly tokens: number;
  readonly validation: {
    readonly quota: number;
    readonly selected: number;
    readonly shortfall: number;
    readonly tokens: number;
  };
  /** Per source, when the group is split by source (a source sets `weight` or `max`: docs/recipe.md). */
  readonly sources?: Readonly<
    Record<
      string,
      {
        quota: number;
        plannedQuota: number;
        available: number;
        selected: number;
        shortfall: number;
        tokens: number;
        validation: number;
      }
    >
  >;
  /** Per length stratum (and `rest`), when the group has strata. */
  readonly strata?: Readonly<
    Record<string, { quota: number; available: number; selected: number; tokens: number; validation: number }>
  >;
}

export interface SourceEntry {
  readonly group: string;
  readonly files: readonly {
    path: string;
    bytes: number;
    sha256: string;
    format: string;
    schema: string;
    records: number;
  }[];
  readonly read: number;
  readonly invalid: number;
  readonly invalidByCode: Readonly<Record<string, number>>;
  readonly invalidExamples: readonly string[];
  readonly filtered: Readonly<Record<string, number>>;
  readonly duplicates: number;
  readonly crossGroupDuplicates: number;
  /** Candidates removed after the scan: `dup-near`, `contaminated`. */
  readonly removed: Readonly<Record<string, number>>;
  readonly available: number;
  /** Training rows from this source, repeats included. */
  readonly selected: number;
  readonly distinct: number;
  readonly validationSelected: number;
}

export function recipeHash(recipe: Recipe): string {
  return createHash('sha256').update(stableStringify(recipe)).digest('hex');
}

/**
 * The digest of a manifest's content: sha256 of its canonical JSON (keys sorted at every depth,
 * json/stable-json.ts) without `run` (timings, allowed to differ between identical runs) and
 * without `manifestSha256` itself. The same for the object in memory and for the file parsed back,
 * whatever its indentation or key order.
 */
export function manifestContentSha256(manifest: object): string {
  const { run: _run, manifestSha256: _self, ...content } = manifest as Record<string, unknown>;
  return createHash('sha256').update(stableStringify(content)).digest('hex');
}

/**
 * The manifest with `manifestSha256` set, as compose writes it. It makes a manifest edited after
 * compose detectable: a shard changed together with its sha256 in `files`, a count or a recipe
 * value changed by hand or by a tool, a manifest copied from another output. It cannot stop
 * anyone who rewrites the manifest on purpose: the digest is not a signature, so whoever can edit
 * the manifest can recompute it (or drop it and lower `manifestVersion`). Trust in an output
 * folder then rests on where it came from (a read-only store, a signed archive or a recorded
 * digest of manifest.json kept elsewhere), as docs/audit.md says.
 */
export function sealManifest<M extends Manifest>(manifest: M): M {
  return { ...manifest, manifestSha256: manifestContentSha256(manifest) };
}

export interface ManifestInput {
  readonly recipe: Recipe;
  readonly scan: ScanResult;
  readonly selection: PointSelection;
  /** Whether the recipe is a sweep (then `point` names this folder's point). */
  readonly isSweep: boolean;
  readonly tokenMethod: string;
  /** removed.jsonl, relative to this manifest's folder. */
  readonly removed: LoggedFile;
  /** What the near-duplicate and decontamination filters removed. */
  readonly filtered: FilterResult;
  readonly files: readonly WrittenFile[];
  /** Absent while the layouts are being built from this very manifest. */
  readonly layouts?: readonly LayoutFile[];
  readonly run: RunInfo;
  /** The Unicode version the content keys were computed under, when not this runtime's (staged runs: the facts'). */
  readonly unicode?: string | undefined;
}

export function buildManifest({
  recipe,
  scan,
  selection,
  isSweep,
  tokenMethod,
  files,
  removed,
  filtered,
  layouts = [],
  run,
  unicode,
}: ManifestInput): Manifest {
  const removedBySource = new Map<string, Record<string, number>>();
  for (const r of filtered.removals) {
    const counts = removedBySource.get(r.source) ?? {};
    counts[r.reason] = (counts[r.reason] ?? 0) + 1;
    removedBySource.set(r.source, counts);
  }
  const charsByGroup = new Map<string, number>();
  for (const r of selection.records)
    if (r.split === 'train') charsByGroup.set(r.group, (charsByGroup.get(r.group) ?? 0) + r.candidate.chars);
  const selectedBySource = new Map<string, { train: number; distinct: number; validation: number }>();
  for (const record of selection.records) {
    const source = scan.files[record.candidate.fileIndex]!.source;
    const counts = selectedBySource.get(source) ?? { train: 0, distinct: 0, validation: 0 };
    if (record.split === 'validation') counts.validation++;
    else {
      counts.train++;
      if (record.copy === 0) counts.distinct++;
    }
    selectedBySource.set(source, counts);
  }
  const groups: Record<string, GroupEntry> = {};
  const byGroup = new Map<string, GroupSelection[]>();
  for (const g of selection.groups) byGroup.set(g.group, [...(byGroup.get(g.group) ?? []), g]);
  for (const [group, pools] of byGroup) {
    const sum = (f: (g: GroupSelection) => number) => pools.reduce((total, g) => total + f(g), 0);
    const bySource = splitsBySource(recipe.sources.filter((spec) => spec.group === group));
    const strata = bySource ? [] : pools.filter((g) => g.pool !== group);
    groups[group] = {
      share: sum((g) => g.share),
      quota: sum((g) => g.quota),
      plannedQuota: sum((g) => g.plannedQuota),
      available: sum((g) => g.available),
      selected: sum((g) => g.selected),
      distinct: sum((g) => g.distinct),
      epochs: Math.max(...pools.map((g) => g.epochs)),
      shortfall: sum((g) => g.shortfall),
      chars: charsByGroup.get(group) ?? 0,
      tokens: sum((g) => g.tokens),
      validation: {
        quota: sum((g) => g.validationQuota),
        selected: sum((g) => g.validationSelected),
        shortfall: sum((g) => g.validationShortfall),
        tokens: sum((g) => g.validationTokens),
      },
      ...(bySource
        ? {
            sources: Object.fromEntries(
              pools.map((g) => [
                g.pool.slice(group.length + 1),
                {
                  quota: g.quota,
                  plannedQuota: g.plannedQuota,
                  available: g.available,
                  selected: g.selected,
                  shortfall: g.shortfall,
                  tokens: g.tokens,
                  validation: g.validationSelected,
                },
              ]),
            ),
          }
        : {}),
      ...(strata.length > 0
        ? {
            strata: Object.fromEntries(
              pools.map((g) => [
                g.pool === group ? 'rest' : g.pool.slice(group.length + 1),
                {
                  quota: g.quota,
                  available: g.available,
                  selected: g.selected,
                  tokens: g.tokens,
                  validation: g.validationSelected,
                },
              ]),
            ),
          }
        : {}),
    };
  }
  const sources: Record<string, SourceEntry> = {};
  for (const spec of recipe.sources) {
    const stats = scan.sources.find((s) => s.name === spec.name)!;
    const selected = selectedBySource.get(spec.name) ?? { train: 0, distinct: 0, validation: 0 };
    sources[spec.name] = {
      group: stats.group,
      files: stats.files.map((f) => ({
        path: f.displayPath,
        bytes: f.bytes,
        sha256: f.sha256,
        format: f.format,
        schema: f.schema,
        records: f.records,
      })),
      read: stats.read,
      invalid: stats.invalid,
      invalidByCode: stats.invalidByCode,
      invalidExamples: stats.invalidExamples,
      filtered: stats.filtered,
      duplicates: stats.duplicates,
      crossGroupDuplicates: stats.crossGroupDuplicates,
      removed: removedBySource.get(spec.name) ?? {},
      available: stats.available,
      selected: selected.train,
      distinct: selected.distinct,
      validationSelected: selected.validation,
    };
  }
  const splits: Record<string, { rows: number }> = { train: { rows: selection.rows.train } };
  if (selection.rows.validation > 0) splits.validation = { rows: selection.rows.validation };
  return {
    manifestVersion: MANIFEST_VERSION,
    tool: { name: 'mixsmith', version: toolVersion() },
    recipe: { name: recipe.name, sha256: recipeHash(recipe), resolved: recipe },
    seed: recipe.seed,
    selection: {
      hash: 'md5',
      normalization: 'nfkc+lowercase+collapse-whitespace+trim',
      keyVersion: 1,
      unicode: unicode ?? UNICODE_VERSION,
    },
    unit: recipe.mixture.unit,
    tokenMethod,
    point: isSweep
      ? {
          name: selection.point.name,
          volume: selection.point.volume,
          shares: selection.point.shares,
          trainDigest: trainDigest(selection),
        }
      : null,
    groups,
    sources,
    splits,
    files,
    evidence: {
      removed,
      warnings: filtered.warnings,
      nearDup: filtered.nearDup,
      decontamination: filtered.decontamination,
    },
    layouts,
    run,
  };
}
