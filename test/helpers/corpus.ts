/**
 * Small deterministic corpora for tests: alpaca/sharegpt records with planted exact duplicates,
 * normalised duplicates and cross-group copies. No randomness: records are numbered.
 */
import { writeFileSync } from 'node:fs';

export interface AlpacaRecord {
  instruction: string;
  input: string;
  output: string;
}

export function alpacaRecords(prefix: string, count: number): AlpacaRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    instruction: `${prefix} question ${i}: explain item ${(i * 7919) % 1000}`,
    input: i % 3 === 0 ? `context ${i}` : '',
    output: `${prefix} answer ${i} with detail ${(i * 104729) % 997}`,
  }));
}

export function writeJsonl(file: string, records: readonly unknown[]): void {
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
}

export function writeJsonArray(file: string, records: readonly unknown[]): void {
  writeFileSync(file, `${JSON.stringify(records, null, 2)}\n`);
}

/** A recipe as YAML text with two groups over the given files. */
export function twoGroupRecipe(options: {
  medical: string | string[];
  general: string | string[];
  volume: number;
  medicalShare?: number;
  validation?: number;
  seed?: number;
  extra?: string;
}): string {
  const share = options.medicalShare ?? 0.3;
  const list = (p: string | string[]) =>
    Array.isArray(p) ? `[${p.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(p);
  return `name: test-mix
seed: ${options.seed ?? 7}
sources:
  - name: med
    group: medical
    path: ${list(options.medical)}
  - name: gen
    group: general
    path: ${list(options.general)}
mixture:
  volume: ${options.volume}
  shares: { medical: ${share}, general: ${Number((1 - share).toFixed(10))} }
split:
  validation: ${options.validation ?? 0}
${options.extra ?? ''}`;
}
