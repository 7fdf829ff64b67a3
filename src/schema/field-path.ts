/** Read `a.b.0.c` out of a parsed record. */
export function getPath(record: unknown, path: string): unknown {
  let node = record;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(segment)] : (node as Record<string, unknown>)[segment];
  }
  return node;
}
