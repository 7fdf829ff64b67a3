/**
 * Worker threads change where records are analysed, never what comes out: the same recipe gives
 * byte-identical outputs, manifests (minus `run`) and removal logs with 0, 1, 2 or 3 workers;
 * errors point at the same file:line; an interrupted run leaves no staged folder and no worker.
 *
 * The inputs are over 1 MiB per file, so each file is read in several batches that workers
 * finish in any order, and they hold every kind of record the ordered step must see in order:
 * a bad first line (the schema is detected from the next), exact, normalised and cross-group
 * duplicates, bad rows skipped, filtered rows, near duplicates, a JSON array, a gzip and a CSV file.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { planReport } from '../../src/compose/plan-report.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { liveRenderWorkers, RenderPool } from '../../src/materialize/render-pool.js';
import { liveScanWorkers } from '../../src/records/facts/scan-pool.js';
import { runCli } from '../helpers/cli.js';
import { type AlpacaRecord, alpacaRecords, twoGroupRecipe, writeJsonArray } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
const words = [
  'amber',
  'basil',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'grove',
  'harbor',
  'island',
  'juniper',
  'kelp',
  'lagoon',
  'meadow',
  'nectar',
  'orchid',
  'prairie',
];
/** 30 words that differ from record to record, so unrelated records are not near duplicates. */
const filler = (i: number) =>
  Array.from({ length: 30 }, (_, k) => ` ${words[(i * 7 + k * 3) % words.length]}${(i * 31 + k) % 97}`).join('');
const line = (r: unknown) => JSON.stringify(r);

/** 6,000 medical lines (~1.9 MB): a bad first line, duplicates of three kinds, bad and short rows. */
function medicalLines(): string[] {
  const records = alpacaRecords('med', 6000).map((r, i): AlpacaRecord => ({ ...r, output: r.output + filler(i) }));
  const lines = records.map(line);
  lines[0] = '{"instruction": "cut off';
  for (let i = 100; i < 6000; i += 97) lines[i] = line(records[i - 50]); // exact copies
  for (let i = 130; i < 6000; i += 211)
    lines[i] = line({ ...records[i - 70]!, output: `  ${records[i - 70]!.output.toUpperCase()}\u00a0` }); // normalised copies
  for (let i = 170; i < 6000; i += 41)
    lines[i] = line({ ...records[i - 1]!, output: `${records[i - 1]!.output} changed` }); // near copies
  for (let i = 250; i < 6000; i += 601) lines[i] = i % 2 ? '{oops' : line({ instruction: 'no output' });
  return lines;
}

/** General records, some copied from the medical group, some too short for the filter. */
function generalRecords(prefix: string, count: number, copiesOf: readonly string[]): unknown[] {
  const records: unknown[] = alpacaRecords(prefix, count).map((r, i) => ({ ...r, output: r.output + filler(i) }));
  for (let i = 40; i < count; i += 173) records[i] = JSON.parse(copiesOf[(i * 7) % copiesOf.length]!);
  for (let i = 60; i < count; i += 251) records[i] = { instruction: 'hi', input: '', output: `short ${i}` };
  return records;
}

const medical = medicalLines();
beforeAll(() => {
  writeFileSync(path.join(dir, 'med.jsonl'), `${medical.join('\n')}\n`);
  writeJsonArray(path.join(dir, 'gen-a.json'), generalRecords('gena', 5000, medical.slice(1)));
  writeFileSync(
    path.join(dir, 'gen-b.jsonl.gz'),
    gzipSync(`${generalRecords('genb', 5000, medical.slice(1)).map(line).join('\n')}\n`),
  );
  writeFileSync(path.join(dir, 'gen-c.csv'), csv(generalRecords('genc', 4000, medical.slice(1)) as AlpacaRecord[]));
});

/** CSV rows go to workers as the values the reader parsed, not as text. */
function csv(records: readonly AlpacaRecord[]): string {
  const field = (text: string) => `"${text.replaceAll('"', '""')}"`;
  return [
    'instruction,input,output',
    ...records.map((r) => [r.instruction, r.input, r.output].map(field).join(',')),
  ].join('\n');
}

const recipeText = twoGroupRecipe({
  medical: 'med.jsonl',
  general: ['gen-a.json', 'gen-b.jsonl.gz', 'gen-c.csv'],
  volume: 4000,
  validation: 200,
  extra: 'dedup:\n  near: { threshold: 0.8 }\nsweep:\n  volume: [2000, 4000]\n',
})
  .replace('group: medical\n', 'group: medical\n    on_error: skip\n')
  .replace('group: general\n', 'group: general\n    filters: { min_chars: 60 }\n');

/** Every file under an output folder, path → text, manifests without their `run` block. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const file = path.join(folder, name);
      if (statSync(file).isDirectory()) {
        walk(file);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      const key = path.relative(root, file);
      if (name !== 'manifest.json') files.set(key, text);
      else {
        const { run: _run, ...rest } = JSON.parse(text);
        files.set(key, JSON.stringify(rest, null, 1));
      }
    }
  };
  walk(root);
  return files;
}

describe('scan workers', () => {
  it('the inputs are read in several batches per file', () => {
    // Line readers take 1 MiB at a time.
    expect(statSync(path.join(dir, 'med.jsonl')).size).toBeGreaterThan(1.5 * 2 ** 20);
    expect(statSync(path.join(dir, 'gen-a.json')).size).toBeGreaterThan(1.2 * 2 ** 20);
    expect(statSync(path.join(dir, 'gen-c.csv')).size).toBeGreaterThan(1.2 * 2 ** 20);
  });

  it('output, manifests and removal log are byte-identical for 0, 1, 2 and 3 workers', async () => {
    const outputs: Map<string, string>[] = [];
    const rendered = vi.spyOn(RenderPool.prototype, 'render');
    for (const workers of [0, 1, 2, 3]) {
      rendered.mockClear();
      const result = await compose(parseRecipe(recipeText, 'r.yaml', dir), {
        out: path.join(dir, `out-${workers}`),
        workers,
      });
      outputs.push(snapshot(result.out));
      // With workers, the write phase renders the JSONL records in them too.
      expect(rendered.mock.calls.length > 0, `${workers} workers`).toBe(workers > 0);
    }
    rendered.mockRestore();
    const [inline, ...threaded] = outputs;
    // The run saw what the comparison is about: every kind of record, and removals logged.
    expect(inline!.get('removed.jsonl')).toMatch(/"reason":"invalid"/);
    for (const reason of ['filtered', 'dup-exact', 'dup-near'])
      expect(inline!.get('removed.jsonl')).toContain(`"reason":"${reason}"`);
    const manifests = [...inline!].filter(([file]) => file.endsWith('manifest.json'));
    expect(manifests).toHaveLength(2);
    expect(manifests[0]![1]).toMatch(/"crossGroupDuplicates": [1-9]/);
    for (const other of threaded) {
      expect([...other.keys()]).toEqual([...inline!.keys()]);
      for (const [file, text] of inline!) expect(other.get(file), file).toBe(text);
    }
    expect(liveScanWorkers()).toBe(0);
    expect(liveRenderWorkers()).toBe(0);
  }, 300_000);

  it('plan reports the same with and without workers', async () => {
    const inline = await planReport(parseRecipe(recipeText, 'r.yaml', dir), { workers: 0 });
    const threaded = await planReport(parseRecipe(recipeText, 'r.yaml', dir), { workers: 2 });
    expect(threaded).toEqual(inline);
  }, 120_000);
});

describe('errors with workers', () => {
  /** A copy of the medical file with `bad` at 1-based `at`, failing on the first bad record. */
  function failing(name: string, lines: string[]): string {
    writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
    const recipe = path.join(dir, `${name}.yaml`);
    writeFileSync(recipe, twoGroupRecipe({ medical: name, general: 'gen-a.json', volume: 100 }));
    return recipe;
  }
  const clean = medical.map((l, i) =>
    i === 0 || l.startsWith('{oops') || l.includes('no output')
      ? line({ instruction: `fixed ${i}`, output: `fixed answer ${i}` })
      : l,
  );

  const cases = [
    { name: 'late-json.jsonl', at: 5123, bad: '{"instruction": ', code: 'INPUT_JSON' },
    { name: 'late-field.jsonl', at: 4001, bad: line({ instruction: 'q', output: 7 }), code: 'INPUT_FIELD_TYPE' },
  ];
  for (const c of cases) {
    it(`on_error: fail reports ${c.code} at ${c.name}:${c.at} with any worker count`, async () => {
      const lines = clean.slice();
      lines[c.at - 1] = c.bad;
      lines[c.at + 400] = '{"second": '; // a later bad record, possibly finished first by another worker
      const recipe = failing(c.name, lines);
      for (const workers of ['0', '2', '3']) {
        const result = await runCli([
          'compose',
          recipe,
          '--out',
          path.join(dir, `${c.name}-${workers}`),
          '--workers',
          workers,
        ]);
        expect(result.code).toBe(4);
        expect(result.stderr.split('\n')[0]).toContain(`${c.name}:${c.at}: error[${c.code}]`);
      }
    });
  }

  it('a truncated gzip reports the bad record read before the cut, as without workers', async () => {
    const lines = clean.slice();
    lines[2999] = '{"instruction": ';
    const whole = gzipSync(`${lines.join('\n')}\n`);
    writeFileSync(path.join(dir, 'cut.jsonl.gz'), whole.subarray(0, Math.floor(whole.length * 0.8)));
    const recipe = path.join(dir, 'cut.yaml');
    writeFileSync(recipe, twoGroupRecipe({ medical: 'cut.jsonl.gz', general: 'gen-a.json', volume: 100 }));
    for (const workers of ['0', '2']) {
      const result = await runCli(['compose', recipe, '--out', path.join(dir, `cut-${workers}`), '--workers', workers]);
      expect(result.stderr.split('\n')[0]).toContain('cut.jsonl.gz:3000: error[INPUT_JSON]');
    }
  });

  it('refuses a --workers value that is not a whole number', async () => {
    const result = await runCli([
      'compose',
      path.join(dir, 'cut.yaml'),
      '--out',
      path.join(dir, 'never'),
      '--workers',
      '-1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[USAGE]: --workers must be a whole number of 0 or more');
  });
});

describe('interrupting a run with workers', () => {
  it('leaves no staged folder and no live worker', async () => {
    const controller = new AbortController();
    const out = path.join(dir, 'aborted');
    let progress = 0;
    const run = compose(parseRecipe(recipeText, 'r.yaml', dir), {
      out,
      workers: 2,
      signal: controller.signal,
      // The first progress event comes after the first batch: workers are running by then.
      onEvent: (event) => {
        if (event.type === 'scan-progress' && ++progress === 1) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(progress).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((name) => name.startsWith('.aborted'))).toEqual([]);
    expect(readdirSync(dir)).not.toContain('aborted');
    expect(liveScanWorkers()).toBe(0);
  });

  it('interrupted while rendering in workers: INTERRUPTED, no staged folder, no render worker left', async () => {
    const controller = new AbortController();
    const original = RenderPool.prototype.render;
    const render = vi.spyOn(RenderPool.prototype, 'render').mockImplementation(function (this: RenderPool, ...args) {
      controller.abort();
      return original.apply(this, args);
    });
    const run = compose(parseRecipe(recipeText, 'r.yaml', dir), {
      out: path.join(dir, 'aborted-write'),
      workers: 2,
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(render).toHaveBeenCalled();
    render.mockRestore();
    expect(readdirSync(dir).filter((name) => name.includes('aborted-write'))).toEqual([]);
    expect(liveRenderWorkers()).toBe(0);
  });
});
