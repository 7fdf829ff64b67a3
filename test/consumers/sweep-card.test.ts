/**
 * A sweep folder's root card (#19 point 10): `datasets.load_dataset(SWEEP)` names the points
 * instead of merging every mixture into one train split (and the shared validation set once per
 * point); `load_dataset(SWEEP, point)` is that point, row for row.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { describePython, lastJsonLine, pythonEnv, REPO_ROOT, runPython } from '../helpers/python.js';
import { hasRealData } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const py = pythonEnv();
const root = py.ok && hasRealData ? tempDir('mixsmith-sweep-card-') : '';

const LOAD = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
import datasets, load_outputs
datasets.disable_progress_bars()
sweep, points = sys.argv[2], sys.argv[3:]
report = {"whole": None, "points": {}}
try:
    loaded = datasets.load_dataset(sweep)
    report["whole"] = {"loaded": {name: len(split) for name, split in loaded.items()}}
except Exception as exc:
    report["whole"] = {"error": type(exc).__name__, "message": str(exc)}
for point in points:
    loaded = datasets.load_dataset(sweep, point)
    reference = load_outputs.reference_rows(os.path.join(sweep, point))
    report["points"][point] = {name: load_outputs.compare_rows([r for shard in reference[name] for r in shard], split.to_list()) for name, split in loaded.items()}
print(json.dumps(report))
`;

describePython(py, 'sweep root card (#19 point 10)', () => {
  it.runIf(hasRealData)(
    'load_dataset(SWEEP) asks for a point; load_dataset(SWEEP, point) is that point',
    async () => {
      const loaded = await loadRecipe(path.join(REPO_ROOT, 'recipes', 'medical-general.yaml'), {
        set: ['sweep.volume=[200, 400]', 'sweep.shares.medical=[0, 0.5]', 'output.max_rows_per_shard=150'],
      });
      const out = path.join(root, 'sweep');
      const { points } = await compose(loaded, { out, workers: 0 });
      const names = points.map((p) => p.name);
      expect(names).toHaveLength(4);
      const run = await runPython(py, LOAD, [path.join(import.meta.dirname, 'py'), out, ...names], {
        env: { HF_HOME: path.join(root, 'hf-home') },
        timeoutMs: 240_000,
      });
      const report = lastJsonLine<{
        whole: { error?: string; message?: string; loaded?: unknown };
        points: Record<string, Record<string, { rows: number; expected_rows: number; mismatch_count: number }>>;
      }>(run);
      expect(report.whole.loaded).toBeUndefined();
      expect(report.whole.error).toBe('ValueError');
      for (const name of names) expect(report.whole.message).toContain(`'${name}'`);
      for (const point of points) {
        const splits = report.points[point.name]!;
        expect(Object.keys(splits).sort()).toEqual(['train', 'validation']);
        expect(splits.train).toMatchObject({
          rows: point.manifest.splits.train!.rows,
          expected_rows: point.manifest.splits.train!.rows,
          mismatch_count: 0,
        });
        expect(splits.validation).toMatchObject({ rows: 200, expected_rows: 200, mismatch_count: 0 });
      }
    },
    300_000,
  );
});
