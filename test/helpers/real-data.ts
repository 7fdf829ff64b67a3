/**
 * Where the real third-party datasets live (../shared/data/real, or MIXSMITH_REAL_DATA).
 * On a user's clone the folder is absent: tests skip with a visible notice. Under CI its absence
 * is a failure, so a missing folder can never pass silently.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REAL_DATA_DIR =
  process.env.MIXSMITH_REAL_DATA ?? path.resolve(import.meta.dirname, '../../../shared/data/real');

export const hasRealData = existsSync(REAL_DATA_DIR);

if (!hasRealData) {
  if (process.env.CI === 'true')
    throw new Error(`real data folder ${REAL_DATA_DIR} is missing under CI; set MIXSMITH_REAL_DATA`);
  process.stderr.write(
    `\nNOTICE: real-data tests skipped: ${REAL_DATA_DIR} not found (set MIXSMITH_REAL_DATA to run them)\n`,
  );
}

export function realFile(...parts: string[]): string {
  return path.join(REAL_DATA_DIR, ...parts);
}
