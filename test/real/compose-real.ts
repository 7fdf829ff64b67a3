/** Compose one real file as the only source of a one-group recipe, and check what the manifest says. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { realFile } from '../helpers/real-data.js';
import { readSplit } from '../helpers/outputs.js';
import type { RealFile } from './real-files.js';

const VOLUME = 20;

export async function composeRealFile(file: RealFile, dir: string, index: number): Promise<void> {
  const recipe = {
    name: `real-${index}`,
    seed: 11,
    sources: [
      {
        name: 'src',
        group: 'all',
        path: realFile(file.path),
        ...(file.schema === 'auto' ? {} : { schema: file.schema }),
        ...(file.filters ? { filters: file.filters } : {}),
      },
    ],
    mixture: { volume: VOLUME, shares: { all: 1 }, shortage: 'cap' },
    // Tool-call files (glaive, ToolBench) in schema messages: LLaMA-Factory's dataset_info.json
    // cannot describe OpenAI tool calls, so compose refuses that layout for them (render.ts).
    ...(file.toolCalls ? { output: { layouts: ['huggingface', 'axolotl'] } } : {}),
  };
  const recipePath = path.join(dir, `recipe-${index}.json`);
  writeFileSync(recipePath, JSON.stringify(recipe));
  const out = path.join(dir, `out-${index}`);
  const { manifest } = await compose(await loadRecipe(recipePath), { out });
  const source = manifest.sources.src!;
  expect(source.read).toBe(file.records);
  expect(source.invalid).toBe(0);
  expect(source.files.map((f) => [f.format, f.schema, f.records])).toEqual([
    [file.format, file.detected, file.records],
  ]);
  expect(source.filtered).toEqual(file.filtered ?? {});
  expect(source.duplicates).toBeGreaterThanOrEqual(file.duplicates ?? 0);
  expect(source.available).toBe(
    file.records - source.duplicates - Object.values(source.filtered).reduce((a, b) => a + b, 0),
  );
  const rows = readSplit(out, 'train');
  expect(rows).toHaveLength(Math.min(VOLUME, source.available));
  // Each record its own place: line (JSONL, CSV/TSV), row (Parquet), element (JSON arrays).
  const marker = file.format === 'parquet' ? '#row=' : file.format === 'json' ? '#element=' : ':';
  for (const row of rows) {
    expect(row.origin).toContain(`${path.basename(file.path)}${marker}`);
    expect(row.messages!.length).toBeGreaterThan(0);
  }
  expect(new Set(rows.map((row) => row.origin)).size).toBe(rows.length);
}
