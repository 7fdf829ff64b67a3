/**
 * Where two JSON values differ, as paths (`mixture.shares.medical`, `sources[1].path`) with both
 * values (pure). Used to say how two mixtures' resolved recipes differ.
 */

export interface JsonDifference {
  readonly path: string;
  /** undefined: the key is absent on that side. */
  readonly a: unknown;
  readonly b: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function join(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

function walk(a: unknown, b: unknown, at: string, out: JsonDifference[], limit: number): void {
  if (out.length >= limit) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], join(at, i), out, limit);
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    for (const key of keys) walk(a[key], b[key], join(at, key), out, limit);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path: at === '' ? '(root)' : at, a, b });
}

/** Up to `limit` differences, in path order. */
export function jsonDifferences(a: unknown, b: unknown, limit = 50): JsonDifference[] {
  const out: JsonDifference[] = [];
  walk(a, b, '', out, limit);
  return out;
}
