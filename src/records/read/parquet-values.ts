/**
 * Parquet values as plain JSON values. hyparquet returns INT64 as BigInt, timestamps as Date and
 * undecoded binary as Uint8Array; none of them survives `JSON.stringify`, and the output, meta and
 * hashing all serialise records. Conversion is per value, so a row costs what its fields cost.
 */

/** BigInt within ±2⁵³ becomes a number, larger ones a decimal string; Date an ISO string; bytes base64. */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  switch (typeof value) {
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    case 'object':
      break;
    default:
      return value;
  }
  if (Array.isArray(value)) return value.map(plainValue);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (x) => plainValue(x));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = plainValue(field);
  return out;
}
