/**
 * `sweep.json` and `sweep.csv` at the root of a sweep: one row per point with its folder, volume,
 * shares, rows and size, for scripts that launch one training job per point — and what each point
 * really holds. A point's name and `shares` are nominal; when a group's pool runs short
 * (`shortage: cap`, `redistribute`) the realized shares miss them, and two points can end up with
 * the very same training set. Both are flagged here, so a study never plots a point at a ratio it
 * does not have.
 */
import { DEFAULT_SWEEP_TOLERANCE } from '../recipe/resolve.js';
import type { Manifest } from './manifest.js';

/** `deviating`: a realized share misses the nominal one by more than the tolerance; `collapsed`: same training rows as an earlier point. */
export type SweepFlag = 'deviating' | 'collapsed';

export interface SweepPointEntry {
  readonly name: string;
  /** Folder of the point, relative to the sweep root. */
  readonly path: string;
  readonly volume: number;
  readonly shares: Readonly<Record<string, number>>;
  readonly rows: { readonly train: number; readonly validation: number };
  /** Characters of text in the training rows. */
  readonly trainChars: number;
  /** Token count of the training rows; `tokenMethod` says how it was counted. */
  readonly trainTokens: number;
  readonly tokenMethod: string;
  /** Per group, what the training rows hold: share (in the sweep's unit) and rows (copies included). */
  readonly realized: {
    readonly shares: Readonly<Record<string, number>>;
    readonly rows: Readonly<Record<string, number>>;
  };
  /** Per group, the nominal quota minus what it got (in the sweep's unit), when its pool ran out; 0 otherwise. */
  readonly shortfall: Readonly<Record<string, number>>;
  /** Per group, training rows beyond a record's first copy (shortage: repeat). */
  readonly repeated: Readonly<Record<string, number>>;
  /** The largest distance between a realized and a nominal share. */
  readonly deviation: number;
  /** Identity of the training rows (manifest `point.trainDigest`). */
  readonly trainDigest: string;
  /** The first earlier point with record-for-record the same training rows, or null. */
  readonly sameAs: string | null;
  readonly flags: readonly SweepFlag[];
}

export interface SweepIndex {
  readonly sweepVersion: 1;
  readonly recipe: { readonly name: string; readonly sha256: string };
  readonly seed: number;
  /** Every point holds this same validation set. */
  readonly validationRows: number;
  readonly points: readonly SweepPointEntry[];
  /** What shares and shortfalls count: training rows (samples) or tokens. */
  readonly unit: 'samples' | 'tokens';
  /** A realized share may miss the nominal one by this much before its point is flagged (`sweep.tolerance`). */
  readonly tolerance: number;
  /** One line per flagged point, saying what it really holds. */
  readonly warnings: readonly string[];
}

/** Shares that differ by floating-point noise only are equal. */
const SLACK = 1e-9;

export function sweepIndex(manifests: readonly Manifest[]): SweepIndex {
  const first = manifests[0]!;
  const unit = first.unit;
  const tolerance = first.recipe.resolved.sweep?.tolerance ?? DEFAULT_SWEEP_TOLERANCE; // manifests from before sweep.tolerance
  const firstWith = new Map<string, string>();
  const points = manifests.map((m): SweepPointEntry => {
    const point = m.point!;
    const groups = Object.keys(point.shares);
    const weightOf = (g: string) => (unit === 'tokens' ? (m.groups[g]?.tokens ?? 0) : (m.groups[g]?.selected ?? 0));
    const total = groups.reduce((sum, g) => sum + weightOf(g), 0);
    const per = (f: (g: string) => number) => Object.fromEntries(groups.map((g) => [g, f(g)]));
    const shares = per((g) => (total === 0 ? 0 : weightOf(g) / total));
    const deviation = Math.max(0, ...groups.map((g) => Math.abs(shares[g]! - (point.shares[g] ?? 0))));
    const sameAs = firstWith.get(point.trainDigest) ?? null;
    if (sameAs === null) firstWith.set(point.trainDigest, point.name);
    const flags: SweepFlag[] = [];
    if (deviation > tolerance + SLACK) flags.push('deviating');
    if (sameAs !== null) flags.push('collapsed');
    return {
      name: point.name,
      path: point.name,
      volume: point.volume,
      shares: point.shares,
      rows: { train: m.splits.train?.rows ?? 0, validation: m.splits.validation?.rows ?? 0 },
      trainChars: Object.values(m.groups).reduce((sum, g) => sum + g.chars, 0),
      trainTokens: Object.values(m.groups).reduce((sum, g) => sum + g.tokens, 0),
      tokenMethod: m.tokenMethod,
      realized: { shares, rows: per((g) => m.groups[g]?.selected ?? 0) },
      shortfall: per((g) => Math.max(0, (m.groups[g]?.plannedQuota ?? 0) - weightOf(g))),
      repeated: per((g) => (m.groups[g]?.selected ?? 0) - (m.groups[g]?.distinct ?? 0)),
      deviation,
      trainDigest: point.trainDigest,
      sameAs,
      flags,
    };
  });
  return {
    sweepVersion: 1,
    recipe: { name: first.recipe.name, sha256: first.recipe.sha256 },
    seed: first.seed,
    validationRows: first.splits.validation?.rows ?? 0,
    points,
    unit,
    tolerance,
    warnings: points.filter((p) => p.flags.length > 0).map((p) => pointWarning(p, tolerance, unit)),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** What a flagged point really holds, in one line: the groups that miss their share, and its twin. */
export function pointWarning(p: SweepPointEntry, tolerance: number, unit: 'samples' | 'tokens'): string {
  const missed = Object.keys(p.shares).filter(
    (g) => Math.abs((p.realized.shares[g] ?? 0) - (p.shares[g] ?? 0)) > tolerance + SLACK,
  );
  const groups = missed.map((g) => {
    const short = p.shortfall[g] ?? 0;
    return `${g} ${pct(p.realized.shares[g] ?? 0)} (nominal ${pct(p.shares[g] ?? 0)}${short > 0 ? `; its pool ran out, ${short} ${unit === 'tokens' ? 'tokens' : 'rows'} short` : ''})`;
  });
  const parts = [
    groups.length > 0 ? `holds ${groups.join(', ')}` : '',
    p.sameAs === null ? '' : `has record-for-record the same training rows as ${p.sameAs}`,
  ].filter(Boolean);
  return `${p.name} is not what its name says: it ${parts.join(' and ')}`;
}

const csvCell = (value: string | number) =>
  /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);

export function sweepCsv(index: SweepIndex): string {
  const groups = Object.keys(index.points[0]?.shares ?? {});
  const byGroup = (prefix: string) => groups.map((g) => `${prefix}_${g}`);
  const header = [
    ...[
      'name',
      'path',
      'volume',
      ...byGroup('share'),
      'train_rows',
      'validation_rows',
      'train_chars',
      'train_tokens',
      'token_method',
    ],
    // Appended, so scripts reading the columns above by position keep working.
    ...[
      ...byGroup('realized_share'),
      ...byGroup('train_rows'),
      ...byGroup('shortfall'),
      ...byGroup('repeated'),
      'same_as',
      'flags',
    ],
  ];
  const share = (x: number | undefined) => Number((x ?? 0).toFixed(6));
  const rows = index.points.map((p) => [
    ...[
      p.name,
      p.path,
      p.volume,
      ...groups.map((g) => share(p.shares[g])),
      p.rows.train,
      p.rows.validation,
      p.trainChars,
      p.trainTokens,
      p.tokenMethod,
    ],
    ...groups.map((g) => share(p.realized.shares[g])),
    ...groups.map((g) => p.realized.rows[g] ?? 0),
    ...groups.map((g) => p.shortfall[g] ?? 0),
    ...groups.map((g) => p.repeated[g] ?? 0),
    p.sameAs ?? '',
    p.flags.join(';'),
  ]);
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}
