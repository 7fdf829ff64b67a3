/**
 * `sweep.json`, the index compose writes at the root of a sweep (`manifest/sweep-index.ts`): one
 * entry per point with its folder, volume, shares, rows and training tokens, and what compose
 * flagged. Read leniently — a
 * damaged index is something the audit reports, not something it crashes on.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const SWEEP_INDEX_FILE = 'sweep.json';

export interface SweepIndexPoint {
  readonly name: string;
  /** The point's folder, relative to the sweep folder. */
  readonly path: string;
  readonly volume: number | null;
  readonly shares: Readonly<Record<string, number>>;
  readonly trainRows: number | null;
  readonly validationRows: number | null;
  readonly trainTokens: number | null;
  /** How the index counted tokens (e.g. "estimate: ceil(chars / 4)"). */
  readonly tokenMethod: string | null;
  /** The earlier point the index says has the same training rows; null when it names none (or predates the field). */
  readonly sameAs: string | null;
  /** The index's flags for the point; null in an index written before they existed. */
  readonly flags: readonly string[] | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const numberOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function pointOf(entry: Record<string, unknown> & { path: string }): SweepIndexPoint {
  const shares: Record<string, number> = {};
  if (isObject(entry.shares))
    for (const [group, share] of Object.entries(entry.shares)) if (typeof share === 'number') shares[group] = share;
  const rows = entry.rows;
  return {
    name: typeof entry.name === 'string' ? entry.name : entry.path,
    path: entry.path,
    volume: numberOrNull(entry.volume),
    shares,
    trainRows: isObject(rows) ? numberOrNull(rows.train) : numberOrNull(rows),
    validationRows: isObject(rows) ? numberOrNull(rows.validation) : null,
    trainTokens: numberOrNull(entry.trainTokens ?? entry.tokens),
    tokenMethod: typeof entry.tokenMethod === 'string' ? entry.tokenMethod : null,
    sameAs: typeof entry.sameAs === 'string' ? entry.sameAs : null,
    flags: Array.isArray(entry.flags) ? entry.flags.filter((f): f is string => typeof f === 'string') : null,
  };
}

/** The points of a parsed index, or the reason it is unusable. */
export function parseSweepIndex(value: unknown): { points: SweepIndexPoint[] } | { problem: string } {
  const list = Array.isArray(value) ? value : isObject(value) ? value.points : undefined;
  if (!Array.isArray(list)) return { problem: 'it is neither a list of points nor an object with "points"' };
  const points: SweepIndexPoint[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isObject(entry) || typeof entry.path !== 'string' || entry.path === '')
      return { problem: `points[${i}] has no "path"` };
    points.push(pointOf(entry as Record<string, unknown> & { path: string }));
  }
  return { points };
}

export async function loadSweepIndex(dir: string): Promise<{ points: SweepIndexPoint[] } | { problem: string }> {
  let text: string;
  try {
    text = await readFile(path.join(dir, SWEEP_INDEX_FILE), 'utf8');
  } catch (error) {
    return { problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  try {
    return parseSweepIndex(JSON.parse(text));
  } catch (error) {
    return { problem: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}
