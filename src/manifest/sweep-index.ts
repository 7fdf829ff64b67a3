/**
 * `sweep.json` and `sweep.csv` at the root of a sweep: one row per point with its folder, volume,
 * shares, rows and size, for scripts that launch one training job per point.
 */
import type { Manifest } from './manifest.js';

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
}

export interface SweepIndex {
  readonly sweepVersion: 1;
  readonly recipe: { readonly name: string; readonly sha256: string };
  readonly seed: number;
  /** Every point holds this same validation set. */
  readonly validationRows: number;
  readonly points: readonly SweepPointEntry[];
}

export function sweepIndex(manifests: readonly Manifest[]): SweepIndex {
  const first = manifests[0]!;
  return {
    sweepVersion: 1,
    recipe: { name: first.recipe.name, sha256: first.recipe.sha256 },
    seed: first.seed,
    validationRows: first.splits.validation?.rows ?? 0,
    points: manifests.map((m) => ({
      name: m.point!.name,
      path: m.point!.name,
      volume: m.point!.volume,
      shares: m.point!.shares,
      rows: { train: m.splits.train?.rows ?? 0, validation: m.splits.validation?.rows ?? 0 },
      trainChars: Object.values(m.groups).reduce((sum, g) => sum + g.chars, 0),
      trainTokens: Object.values(m.groups).reduce((sum, g) => sum + g.tokens, 0),
      tokenMethod: m.tokenMethod,
    })),
  };
}

const csvCell = (value: string | number) => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));

export function sweepCsv(index: SweepIndex): string {
  const groups = Object.keys(index.points[0]?.shares ?? {});
  const header = ['name', 'path', 'volume', ...groups.map((g) => `share_${g}`), 'train_rows', 'validation_rows', 'train_chars', 'train_tokens', 'token_method'];
  const rows = index.points.map((p) => [p.name, p.path, p.volume, ...groups.map((g) => Number((p.shares[g] ?? 0).toFixed(6))), p.rows.train, p.rows.validation, p.trainChars, p.trainTokens, p.tokenMethod]);
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}
