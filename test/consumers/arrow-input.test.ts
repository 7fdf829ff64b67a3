/**
 * Arrow input against the real writer (issue #20 item 9): a DatasetDict saved by Hugging Face
 * `datasets` with `save_to_disk` and a `datasets` cache file (Dataset.map's stream-format
 * cache), written at test time in the project's Python environment
 * (test/consumers/py/save_to_disk_fixture.py), read back by mixsmith record for record, and a
 * split folder composed into a mixture whose every origin is distinct and names the row it came
 * from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { expandPaths } from '../../src/records/read/expand-paths.js';
import { readRecords } from '../../src/records/read/read-records.js';
import { runCli } from '../helpers/cli.js';
import { describePython, lastJsonLine, pythonEnv, runPython } from '../helpers/python.js';
import { tempDir } from '../helpers/temp.js';

const py = pythonEnv();
const TIMEOUT = 180_000;

interface Fixture {
  readonly train: readonly unknown[];
  readonly test: readonly unknown[];
  readonly cache: readonly unknown[];
}

let written: Promise<{ dir: string; fixture: Fixture }> | undefined;
function fixture(dir: string): Promise<{ dir: string; fixture: Fixture }> {
  written ??= runPython(py, 'save_to_disk_fixture.py', [dir]).then((run) => ({
    dir,
    fixture: lastJsonLine<Fixture>(run),
  }));
  return written;
}

async function valuesOf(patterns: string[], baseDir: string): Promise<{ origins: string[]; values: unknown[] }> {
  const origins: string[] = [];
  const values: unknown[] = [];
  for (const file of await expandPaths(patterns, baseDir, 'src')) {
    for await (const batch of readRecords(file.absolutePath, { format: 'arrow', displayPath: file.displayPath })) {
      for (const record of batch) {
        origins.push(`${file.displayPath}#row=${record.row}`);
        values.push(record.value);
      }
    }
  }
  return { origins, values };
}

describePython(py, 'Arrow written by datasets, read by mixsmith', () => {
  const dir = tempDir('mixsmith-arrow-py-');

  it(
    'every split of a save_to_disk DatasetDict, record for record (list<struct> turns, nested structs, nulls)',
    async () => {
      const { fixture: expected } = await fixture(dir);
      const train = await valuesOf(['saved/train'], dir);
      expect(train.values).toEqual(expected.train);
      expect(train.values).toHaveLength(90);
      // Three shards, rows numbered within each file.
      expect(train.origins[0]).toBe('saved/train/data-00000-of-00003.arrow#row=1');
      expect(new Set(train.origins).size).toBe(90);
      const test = await valuesOf(['saved/test'], dir);
      expect(test.values).toEqual(expected.test);
    },
    TIMEOUT,
  );

  it(
    'a datasets cache file (stream format, several record batches)',
    async () => {
      const { fixture: expected } = await fixture(dir);
      const cache = await valuesOf(['cache-map.arrow'], dir);
      expect(cache.values).toEqual(expected.cache);
    },
    TIMEOUT,
  );

  it(
    'the DatasetDict folder itself is refused with the split paths to name',
    async () => {
      await fixture(dir);
      const recipe = path.join(dir, 'whole.yaml');
      writeFileSync(
        recipe,
        [
          'name: whole',
          'seed: 1',
          'sources: [{name: s, group: g, path: saved, schema: sharegpt}]',
          'mixture: {volume: 10, shares: {g: 1.0}}',
        ].join('\n'),
      );
      const run = await runCli(['compose', recipe, '--out', path.join(dir, 'whole-out')]);
      expect(run.code, run.stderr).toBe(4);
      expect(run.stderr).toContain('DatasetDict');
      expect(run.stderr).toContain('path: saved/train');
    },
    TIMEOUT,
  );

  it(
    'a composed split: sharegpt turns mapped, every origin distinct and pointing at its row',
    async () => {
      const { fixture: expected } = await fixture(dir);
      const recipe = path.join(dir, 'mix.yaml');
      writeFileSync(
        recipe,
        [
          'name: from-save-to-disk',
          'seed: 3',
          'sources: [{name: s, group: g, path: saved/train, schema: sharegpt}]',
          'mixture: {volume: 60, shares: {g: 1.0}}',
          'output: {format: jsonl, schema: sharegpt, provenance: true}',
        ].join('\n'),
      );
      const out = path.join(dir, 'mix-out');
      const run = await runCli(['compose', recipe, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const records = readFileSync(path.join(out, 'train-00000-of-00001.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { conversations: { value: string }[]; origin: string });
      expect(records).toHaveLength(60);
      expect(new Set(records.map((r) => r.origin)).size).toBe(60);
      for (const record of records) {
        const match = /^saved\/train\/data-0000(\d)-of-00003\.arrow#row=(\d+)$/.exec(record.origin)!;
        expect(match).not.toBeNull();
        const source = expected.train[Number(match[1]) * 30 + Number(match[2]) - 1] as {
          conversations: { value: string }[];
        };
        expect(record.conversations.map((t) => t.value)).toEqual(source.conversations.map((t) => t.value));
      }
    },
    TIMEOUT,
  );
});
