/**
 * `diffMixtures(a, b)`: what changed between two mixtures (or sweep points): row counts per
 * group and source, contents added and removed (with examples), the Jaccard index of the two
 * sets of contents, where the recipes differ, which sweep points the sides are, and whether they
 * hold record for record the same data. Contents are compared by mixsmith's content
 * key, held as one fingerprint per distinct content with a bit per side; A is read a second time
 * only to find examples of removed contents.
 */
import type { Manifest } from '../manifest/manifest.js';
import { FingerprintMap } from '../audit/fingerprint-map.js';
import type { SubjectInput } from '../audit/locate.js';
import type { AuditSchema } from '../audit/record-body.js';
import type { Example } from '../audit/report.js';
import { OrderDigest } from '../audit/order-digest.js';
import { snippet } from '../audit/record-keys.js';
import { TRAIN_SPLIT } from '../audit/subject-tally.js';
import { bump, type CountDelta, countDeltas, type Counts } from './count-deltas.js';
import { forEachRecord, openSide, type SideRecord } from './diff-side.js';
import { type JsonDifference, jsonDifferences } from './json-diff.js';

export interface DiffSideSummary {
  readonly name: string;
  readonly kind: 'mixture' | 'dataset';
  readonly rows: number;
  readonly distinct: number;
  readonly recipe: { readonly name: string; readonly sha256: string } | null;
  readonly seed: number | null;
  /** The sweep point the side is (from its manifest), or null for a single mixture or plain files. */
  readonly point: {
    readonly name: string;
    readonly volume: number;
    readonly shares: Readonly<Record<string, number>>;
  } | null;
}

export interface DiffReport {
  readonly a: DiffSideSummary;
  readonly b: DiffSideSummary;
  readonly groups: readonly CountDelta[];
  readonly sources: readonly CountDelta[];
  /** Distinct contents (normalised content keys), all splits together. */
  readonly contents: {
    readonly common: number;
    readonly added: number;
    readonly removed: number;
    /** common / (common + added + removed); 1 for two empty mixtures. */
    readonly jaccard: number;
    readonly addedExamples: readonly Example[];
    readonly removedExamples: readonly Example[];
  };
  readonly recipe: {
    readonly compared: boolean;
    readonly same: boolean;
    readonly differences: readonly JsonDifference[];
    readonly note?: string;
  };
  /**
   * Whether A and B hold record for record the same data (the same contents, copies of each and
   * order): in their train splits, and in every split. Two sweep points with `train: true` are one
   * training run under two names.
   */
  readonly same: { readonly train: boolean; readonly all: boolean };
}

export interface DiffOptions {
  readonly cwd: string;
  readonly schema?: AuditSchema;
  readonly by?: string | undefined;
  readonly examples?: number;
  readonly signal?: AbortSignal | undefined;
}

const IN_A = 1;
const IN_B = 2;

function example(r: SideRecord): Example {
  return {
    file: r.file,
    line: r.line,
    ...(r.origin === undefined ? {} : { origin: r.origin }),
    source: r.source,
    group: r.group,
    text: snippet(r.keys.text),
  };
}

function manifestOf(side: SubjectInput): Manifest | undefined {
  return side.manifest?.status === 'ok' ? side.manifest.manifest : undefined;
}

function recipeComparison(a: SubjectInput, b: SubjectInput): DiffReport['recipe'] {
  const ma = manifestOf(a);
  const mb = manifestOf(b);
  if (!ma || !mb)
    return {
      compared: false,
      same: false,
      differences: [],
      note: `${!ma ? a.name : b.name} has no usable manifest, so its recipe is unknown`,
    };
  const differences = jsonDifferences(
    { seed: ma.seed, recipe: ma.recipe?.resolved },
    { seed: mb.seed, recipe: mb.recipe?.resolved },
  );
  return { compared: true, same: differences.length === 0, differences };
}

export async function diffMixtures(a: string, b: string, options: DiffOptions): Promise<DiffReport> {
  const sides = [await openSide(a, options.cwd), await openSide(b, options.cwd)] as const;
  const read = { schema: options.schema ?? ('auto' as const), by: options.by, signal: options.signal };
  const limit = options.examples ?? 5;
  const keys = new FingerprintMap();
  const counts = {
    groups: [new Map(), new Map()] as Counts[],
    sources: [new Map(), new Map()] as Counts[],
    rows: [0, 0],
    distinct: [0, 0],
  };
  const addedExamples: Example[] = [];
  const sequences = [new Map<string, OrderDigest>(), new Map<string, OrderDigest>()];
  for (const [i, side] of sides.entries()) {
    const bit = i === 0 ? IN_A : IN_B;
    await forEachRecord(side, read, (r) => {
      counts.rows[i]!++;
      let sequence = sequences[i]!.get(r.split);
      if (!sequence) {
        sequence = new OrderDigest();
        sequences[i]!.set(r.split, sequence);
      }
      sequence.add(r.keys.key);
      bump(counts.groups[i]!, r.split, r.group);
      bump(counts.sources[i]!, r.split, r.source);
      if (r.keys.empty) return;
      const before = keys.or(r.keys.key, bit);
      if (before & bit) return;
      counts.distinct[i]!++;
      if (bit === IN_B && !(before & IN_A) && addedExamples.length < limit) addedExamples.push(example(r));
    });
  }
  let common = 0;
  let added = 0;
  let removed = 0;
  for (const [, , bits] of keys.entries()) {
    if (bits === (IN_A | IN_B)) common++;
    else if (bits === IN_B) added++;
    else removed++;
  }
  const removedExamples: Example[] = [];
  if (removed > 0 && limit > 0) {
    const shown = new FingerprintMap();
    await forEachRecord(sides[0], read, (r) => {
      if (removedExamples.length >= limit || r.keys.empty || keys.get(r.keys.key) !== IN_A || shown.or(r.keys.key, 1))
        return;
      removedExamples.push(example(r));
    });
  }
  const summary = (i: 0 | 1): DiffSideSummary => {
    const m = manifestOf(sides[i]);
    const point = m?.point ? { name: m.point.name, volume: m.point.volume, shares: m.point.shares } : null;
    return {
      name: sides[i].name,
      kind: sides[i].kind,
      rows: counts.rows[i]!,
      distinct: counts.distinct[i]!,
      recipe: m ? { name: m.recipe.name, sha256: m.recipe.sha256 } : null,
      seed: m ? m.seed : null,
      point,
    };
  };
  const digests = sequences.map((bySplit) => new Map([...bySplit].map(([split, d]) => [split, d.digest()])));
  const [da, db] = [digests[0]!, digests[1]!];
  const sameTrain = da.has(TRAIN_SPLIT) && da.get(TRAIN_SPLIT) === db.get(TRAIN_SPLIT);
  const sameAll = da.size === db.size && [...da].every(([split, d]) => db.get(split) === d);
  const union = common + added + removed;
  return {
    a: summary(0),
    b: summary(1),
    groups: countDeltas(counts.groups[0]!, counts.groups[1]!),
    sources: countDeltas(counts.sources[0]!, counts.sources[1]!),
    contents: { common, added, removed, jaccard: union === 0 ? 1 : common / union, addedExamples, removedExamples },
    recipe: recipeComparison(sides[0], sides[1]),
    same: { train: sameTrain, all: sameAll },
  };
}
