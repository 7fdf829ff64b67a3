/** Field paths (`a.b.0.c`) into parsed records, and what to suggest when one leads nowhere. */
import { didYouMean } from '../../recipe/did-you-mean.js';

/** Read `a.b.0.c` out of a parsed record. A key that itself holds dots is read whole first. */
export function getPath(record: unknown, path: string): unknown {
  if (record !== null && typeof record === 'object' && !Array.isArray(record) && Object.hasOwn(record, path)) {
    return (record as Record<string, unknown>)[path];
  }
  let node = record;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(segment)] : (node as Record<string, unknown>)[segment];
  }
  return node;
}

/**
 * A hint for a path that found nothing: the keys that are there at the level where it broke, and
 * the one the path probably meant ("anwer" for "answer": eval sets have such typos).
 */
export function missingPathHint(record: unknown, path: string): string | undefined {
  const segments = path.split('.');
  let node = record;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    const fields = node as Record<string, unknown>;
    if (fields[segment] === undefined || fields[segment] === null) {
      const keys = Object.keys(fields);
      if (keys.length === 0) return undefined;
      const guess = didYouMean(segment, keys);
      return `${guess ? `did you mean "${guess}"? ` : ''}the record has: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', …' : ''}`;
    }
    node = fields[segment];
  }
  return undefined;
}
