/**
 * Per-point training configs of a sweep (#19, `configs/<point>/` beside sweep.csv), each used as
 * its header says, from the sweep folder:
 *
 * - `trl-sft.sh` run by sh with a `trl` on PATH that records its argv; the argv parsed by TRL's own
 *   sft parser, the point loaded as trl/scripts/sft.py loads it, and SFTTrainer preparing it;
 * - `llama-factory.yaml`: every entry it names loaded and converted by the ported LLaMA-Factory loader;
 * - `axolotl.yaml`: every entry loaded by the ported axolotl loader, paths as written.
 *
 * Each gives the point's own rows: its training rows and the shared validation set.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { describePython, lastJsonLine, pythonEnv, REPO_ROOT, runPython, TRL_MODULES } from '../helpers/python.js';
import { hasRealData } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const py = pythonEnv(TRL_MODULES);
const root = py.ok && hasRealData ? tempDir('mixsmith-sweep-configs-') : '';
const TIMEOUT = 600_000;

interface Loaded {
  readonly splits: Readonly<Record<string, number>>;
  readonly errors: readonly unknown[];
  readonly mismatches: number;
  readonly dropped?: number;
  readonly template_errors?: number;
  readonly dataset_dir?: string;
  readonly paths?: readonly string[];
}

/** The argv `sh trl-sft.sh` gives `trl`, recorded by a stand-in on PATH. */
function trlArgv(sweep: string, point: string): string[] {
  const bin = path.join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const fake = path.join(bin, 'trl');
  writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
  chmodSync(fake, 0o755);
  const run = spawnSync('sh', [path.join('configs', point, 'trl-sft.sh')], {
    cwd: sweep,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, MODEL: 'MODEL' },
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').slice(0, -1);
}

describePython(py, 'per-point training configs of a sweep (#19)', () => {
  it.runIf(hasRealData)(
    'configs/<point>/: trl-sft.sh through TRL, llama-factory.yaml and axolotl.yaml through the ported loaders, each the point’s rows',
    async () => {
      const loaded = await loadRecipe(path.join(REPO_ROOT, 'recipes', 'medical-general.yaml'), {
        set: [
          'sweep.volume=[100, 250]',
          'sweep.shares.medical=[0.5]',
          'split.validation=20',
          'output.max_rows_per_shard=100',
          'output.layouts=[huggingface, llama-factory, axolotl, trl]',
        ],
      });
      const sweep = path.join(root, 'sweep');
      const { points } = await compose(loaded, { out: sweep, workers: 0 });
      const names = points.map((p) => p.name);
      expect(readdirSync(path.join(sweep, 'configs')).sort()).toEqual([...names].sort());
      for (const name of names) {
        expect(readdirSync(path.join(sweep, 'configs', name)).sort()).toEqual([
          'axolotl.yaml',
          'llama-factory.yaml',
          'trl-sft.sh',
        ]);
      }
      const rowsOf = (p: (typeof points)[number]) => ({
        train: p.manifest.splits.train!.rows,
        validation: p.manifest.splits.validation!.rows,
      });

      const work = path.join(root, 'work');
      mkdirSync(work, { recursive: true });
      const trl = await runPython(py, 'trl_prepare.py', [], {
        input: JSON.stringify({
          work,
          checks: [],
          configs: names.map((name) => ({
            label: name,
            cwd: sweep,
            argv: trlArgv(sweep, name).slice(1), // `sft`, then its arguments
            template: 'qwen2_5',
          })),
        }),
        timeoutMs: TIMEOUT - 120_000,
        env: { HF_HOME: path.join(root, 'hf-home') },
      });
      const trlReport = lastJsonLine<{
        configs: Record<
          string,
          {
            error: { message: string; traceback?: string } | null;
            args?: Record<string, string>;
            prepared?: {
              error: unknown;
              splits: Record<string, { rows: number; prepared: number; problems: unknown[] }>;
            };
          }
        >;
      }>(trl);
      for (const p of points) {
        const config = trlReport.configs[p.name]!;
        expect(config.error?.traceback ?? null).toBeNull();
        expect(config.args).toMatchObject({ dataset_name: p.name, test_split: 'validation' });
        expect(config.prepared!.error).toBeNull();
        const splits = config.prepared!.splits;
        expect({ train: splits.train!.prepared, validation: splits.validation!.prepared }).toEqual(rowsOf(p));
        expect([...splits.train!.problems, ...splits.validation!.problems]).toEqual([]);
      }

      const ported = await runPython(py, 'point_configs.py', [sweep, ...names], {
        timeoutMs: TIMEOUT - 120_000,
        env: { HF_HOME: path.join(root, 'hf-home') },
      });
      const report = lastJsonLine<Record<string, Record<'llama-factory' | 'axolotl', Loaded>>>(ported);
      for (const p of points) {
        const lf = report[p.name]!['llama-factory'];
        expect({ dir: lf.dataset_dir, errors: lf.errors, dropped: lf.dropped, mismatches: lf.mismatches }).toEqual({
          dir: p.name,
          errors: [],
          dropped: 0,
          mismatches: 0,
        });
        expect(lf.splits).toEqual(rowsOf(p));
        const ax = report[p.name]!.axolotl;
        expect({ paths: ax.paths, errors: ax.errors, mismatches: ax.mismatches, template: ax.template_errors }).toEqual(
          {
            paths: [p.name, p.name],
            errors: [],
            mismatches: 0,
            template: 0,
          },
        );
        expect(ax.splits).toEqual(rowsOf(p));
      }
      // Paths are relative to the sweep folder, so the files do not depend on --out.
      expect(readFileSync(path.join(sweep, 'configs', names[0]!, 'llama-factory.yaml'), 'utf8')).not.toContain(root);
    },
    TIMEOUT,
  );
});
