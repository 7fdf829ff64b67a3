/**
 * Every random-looking decision in mixsmith is a keyed md5 of (seed, label, content key).
 *
 * md5 was chosen over faster hashes because DuckDB, Spark, Trino, BigQuery and Postgres all have it
 * with the same hex output, so a selection can be reproduced in SQL (docs/determinism.md). Ordering
 * by the lower-case hex string equals ordering by the 128-bit big-endian integer.
 */
import { hash } from 'node:crypto';

/** 32 hex chars: md5 of the normalised text. Exact duplicates share it. */
export function contentKey(normalizedText: string): string {
  return hash('md5', normalizedText, 'hex');
}

/**
 * One md5 gives two independent ranks: hex 0–15 orders selection (priority), hex 16–31 draws the
 * validation split. SQL: `md5(seed || ':' || key)`.
 */
export function ranksOf(seed: number, key: string): { priority: string; splitRank: string } {
  const digest = rankDigest(seed, key);
  return { priority: digest.slice(0, 16), splitRank: digest.slice(16) };
}

/** Both ranks as one 32-hex digest: priority, then split rank. */
export function rankDigest(seed: number, key: string): string {
  return hash('md5', `${seed}:${key}`, 'hex');
}

/** Output order key of one copy of a record. SQL: `md5(seed || ':order:' || key || ':' || copy)`. */
export function orderRank(seed: number, key: string, copy: number): string {
  return hash('md5', `${seed}:order:${key}:${copy}`, 'hex');
}

/** First 64 bits of a hex key as two unsigned 32-bit halves, for the fingerprint table. */
export function fingerprintOf(key: string): readonly [number, number] {
  return [Number.parseInt(key.slice(0, 8), 16) >>> 0, Number.parseInt(key.slice(8, 16), 16) >>> 0];
}
