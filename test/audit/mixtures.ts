/**
 * Mixtures for audit tests: composed for real (parseRecipe + compose) from generated corpora, then
 * tampered with in copies. `reseal` recomputes a manifest from the files as they now are, which is
 * what a compose bug would produce: a self-consistent manifest describing a flawed mixture, so
 * only the planted problem (not a checksum) can make the audit fail.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compose } from '../../src/compose/compose.js';
import { type Manifest, sealManifest } from '../../src/manifest/manifest.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { type AlpacaRecord, alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';

export const MEDICAL = alpacaRecords('med', 400);
export const GENERAL = alpacaRecords('gen', 900);
/** Eval items: medical-looking questions that are not in the corpora. */
export const EVAL = alpacaRecords('exam', 40);

/** A 2 × 2 sweep: volumes 100 and 200, medical at 0.3 and 0.5. */
export const SWEEP = 'sweep:\n  volume: [100, 200]\n  shares:\n    medical: [0.3, 0.5]\n';

export function writeCorpora(dir: string): void {
  writeJsonl(path.join(dir, 'med.jsonl'), MEDICAL);
  writeJsonl(path.join(dir, 'gen.jsonl'), GENERAL);
  writeJsonl(path.join(dir, 'eval.jsonl'), EVAL);
}

/** Compose the two-group mixture (300 train, 30 validation, 100-row shards) into dir/name. */
export async function composeMixture(
  dir: string,
  name: string,
  options: { medicalShare?: number; volume?: number; sweep?: string } = {},
): Promise<string> {
  const text = twoGroupRecipe({
    medical: 'med.jsonl',
    general: 'gen.jsonl',
    volume: options.volume ?? 300,
    validation: 30,
    medicalShare: options.medicalShare ?? 0.3,
    extra: `output:\n  max_rows_per_shard: 100\n${options.sweep ?? ''}`,
  });
  const out = path.join(dir, name);
  await compose(parseRecipe(text, 'recipe.yaml', dir), { out });
  return out;
}

export function copyOutput(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

interface ManifestLike {
  files: { path: string; split: string; rows: number; bytes: number; sha256: string }[];
  splits: Record<string, { rows: number }>;
  groups: Record<string, { selected: number; validation: { selected: number } }>;
  sources: Record<string, { selected: number; validationSelected: number }>;
}

export function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/** Rewrite manifest.json so every count and checksum (its own digest included) matches the files as they are now. */
export function reseal(out: string): void {
  const file = path.join(out, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as ManifestLike;
  for (const split of Object.values(manifest.splits)) split.rows = 0;
  for (const g of Object.values(manifest.groups)) {
    g.selected = 0;
    g.validation.selected = 0;
  }
  for (const s of Object.values(manifest.sources)) {
    s.selected = 0;
    s.validationSelected = 0;
  }
  for (const entry of manifest.files) {
    const bytes = readFileSync(path.join(out, entry.path));
    const lines = readLines(path.join(out, entry.path));
    Object.assign(entry, {
      rows: lines.length,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    manifest.splits[entry.split]!.rows += lines.length;
    for (const line of lines) {
      const record = JSON.parse(line) as { group: string; source: string };
      const isTrain = entry.split === 'train';
      if (isTrain) manifest.groups[record.group]!.selected++;
      else manifest.groups[record.group]!.validation.selected++;
      if (isTrain) manifest.sources[record.source]!.selected++;
      else manifest.sources[record.source]!.validationSelected++;
    }
  }
  // And its own digest, as compose seals it: a resealed manifest is one compose could have written.
  writeFileSync(file, `${JSON.stringify(sealManifest(manifest as unknown as Manifest), null, 2)}\n`);
}

/** An alpaca record as compose writes it (messages + provenance), for pasting into a shard. */
export function asOutputLine(
  record: AlpacaRecord,
  provenance: { source: string; group: string; origin: string },
): string {
  const user = record.input ? `${record.instruction}\n${record.input}` : record.instruction;
  return JSON.stringify({
    messages: [
      { role: 'user', content: user },
      { role: 'assistant', content: record.output },
    ],
    ...provenance,
  });
}

export function appendLine(file: string, line: string): void {
  appendFileSync(file, `${line}\n`);
}
