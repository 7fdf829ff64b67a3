/**
 * The OpenAI target (#19 point 9): one training file and one validation file, each a valid
 * fine-tuning file, provenance in sidecars; and `datasets.load_dataset(DIR)` on the folder gives
 * the lines of those two files and nothing of the sidecars (the card lists the files and declares
 * the features; ShareGPT tool-call records are converted, so some lines have `tools` and most not).
 * glaive's records with a function_call turn only: one has an observation no call precedes, which
 * OpenAI would refuse (and compose does, INPUT_TARGET).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { openAiFileProblems } from '../../src/materialize/openai-format.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { describePython, lastJsonLine, pythonEnv, runPython } from '../helpers/python.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const py = pythonEnv();
const root = py.ok && hasRealData ? tempDir('mixsmith-openai-') : '';

/** load_outputs.py's comparison, with the folder as its own reference (its lines hold no provenance). */
const LOAD = `
import json, sys
sys.path.insert(0, sys.argv[1])
import datasets, load_outputs
datasets.disable_progress_bars()
folder = sys.argv[2]
print(json.dumps(load_outputs.check_load_dataset(folder, load_outputs.reference_rows(folder))))
`;

describePython(py, 'OpenAI target: one file per split, loadable as a folder (#19 point 9)', () => {
  it.runIf(hasRealData)(
    'a tool-call mix: one valid file per split, sidecars beside them, load_dataset(DIR) gives exactly their lines',
    async () => {
      const recipe = path.join(root, 'openai.yaml');
      writeFileSync(
        recipe,
        [
          'name: openai-mix',
          'seed: 2',
          'sources:',
          `  - { name: glaive, group: tools, path: ${JSON.stringify(realFile('llama-factory-demo', 'glaive_toolcall_zh_demo.json'))}, schema: sharegpt, filters: { require_roles: [function_call] } }`,
          `  - { name: alpaca, group: general, path: ${JSON.stringify(realFile('llama-factory-demo', 'alpaca_en_demo.json'))}, schema: alpaca }`,
          'mixture: { volume: 300, shares: { tools: 0.15, general: 0.85 } }',
          'split: { validation: 30 }',
          'output: { target: openai }',
          '',
        ].join('\n'),
      );
      const out = path.join(root, 'out');
      const { manifest } = await compose(await loadRecipe(recipe), { out, workers: 0 });
      expect(manifest.files.map((f) => [f.path, f.rows])).toEqual([
        ['train-00000-of-00001.jsonl', 300],
        ['validation-00000-of-00001.jsonl', 30],
      ]);
      expect(readdirSync(out).filter((f) => f.endsWith('.provenance.jsonl'))).toHaveLength(2);
      const train = readFileSync(path.join(out, manifest.files[0]!.path), 'utf8');
      expect(openAiFileProblems(train)).toEqual([]);
      expect(train).toContain('"tool_calls":');

      const run = await runPython(py, LOAD, [path.join(import.meta.dirname, 'py'), out], {
        env: { HF_HOME: path.join(root, 'hf-home') },
      });
      const loaded = lastJsonLine<{
        error: unknown;
        split_names: string[];
        splits: Record<string, { rows: number; mismatches: unknown[] }>;
      }>(run);
      expect(loaded.error).toBeNull();
      expect(loaded.split_names).toEqual(['train', 'validation']);
      expect(loaded.splits.train).toMatchObject({ rows: 300, mismatches: [] });
      expect(loaded.splits.validation).toMatchObject({ rows: 30, mismatches: [] });
    },
    300_000,
  );
});
