/**
 * Which mixsmith configurations work today: each recipe is checked with `mixsmith validate`,
 * then composed once over a tiny corpus. Features other engineers are still adding (Parquet
 * output, .zst input, near-dup, decontamination) show up as "not supported yet (reason)" instead
 * of failing the benchmark.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recipeFor } from './recipes.mjs';

function firstError(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? 'no output';
  return line.replace(/^.*?error\[/, 'error[').slice(0, 160);
}

function mixsmith(bin, args) {
  const result = spawnSync('node', [bin, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  return { ok: result.status === 0, output: `${result.stderr ?? ''}\n${result.stdout ?? ''}` };
}

/** Returns Map(config id → null when supported, or the reason it is not). */
export function probeConfigs({ bin, configs, probeData, dir, seed, w2RecipeFile }) {
  mkdirSync(dir, { recursive: true });
  const verdicts = new Map();
  for (const config of configs) {
    const recipe = path.join(dir, `${config.id}.yaml`);
    writeFileSync(recipe, recipeFor(config, { dataDir: probeData, volume: 1000, seed, w2RecipeFile }));
    const validated = mixsmith(bin, ['validate', recipe]);
    if (!validated.ok) {
      verdicts.set(config.id, `validate: ${firstError(validated.output)}`);
      continue;
    }
    const composed = mixsmith(bin, [
      'compose',
      recipe,
      '--out',
      path.join(dir, `out-${config.id}`),
      '--force',
      '--quiet',
    ]);
    verdicts.set(config.id, composed.ok ? null : `compose: ${firstError(composed.output)}`);
  }
  return verdicts;
}
