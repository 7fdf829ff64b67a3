/**
 * `mixsmith results` (issue #23): a 30-point sweep (6 volumes × 5 medical shares, the medical
 * pool running out at the large volumes) composed in the test, made-up results for two tasks in
 * each of the three formats joined to its points with no manual step, the saturation read-out,
 * and every mismatch (a point the sweep lacks, a point without results, two results for one
 * point, a metric name typo, a run tied to nothing) stopped or warned by name. The real
 * lm-evaluation-harness format is tested on a results file from the harness's repository.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepIndex } from '../../src/manifest/sweep-index.js';
import type { ResultsReport } from '../../src/results/join.js';
import { parseResultsText } from '../../src/results/read-results.js';
import { runCli } from '../helpers/cli.js';
import { composeResultsSweep } from '../helpers/results-sweep.js';
import { tempDir } from '../helpers/temp.js';
import { CPU_REGRESSION_EXPECTED } from './fixtures/lm-eval-harness-examples.js';
import {
  STDERR,
  syntheticValue,
  TASKS,
  writeLmEval,
  writeOpenCompass,
  writePlain,
} from './fixtures/synthetic-results.js';

const dir = tempDir('mixsmith-results-');
let out: string;
let index: SweepIndex;
let lm: string;
let oc: string;
let plain: { csv: string; jsonl: string };

const MATCH_LM = 'ckpt/(?<point>[^/]+)';
const MATCH_OC = 'mix-(?<point>.+)';

async function json(
  args: readonly string[],
): Promise<{ code: number; report: ResultsReport; stderr: string; warnings: string[] }> {
  const run = await runCli(['results', ...args, '--json']);
  const parsed = JSON.parse(run.stdout) as { results: ResultsReport; warnings: string[] };
  return { code: run.code, report: parsed.results, stderr: run.stderr, warnings: parsed.warnings };
}

async function failure(
  args: readonly string[],
): Promise<{ code: number; error: { code: string; message: string; diagnostics: { hint?: string }[] } }> {
  const run = await runCli(['results', ...args, '--json']);
  return {
    code: run.code,
    error: (JSON.parse(run.stdout) as { error: { code: string; message: string; diagnostics: { hint?: string }[] } })
      .error,
  };
}

/** The report holds, for every point, the made-up values and the point's realized composition from sweep.json. */
function expectJoined(report: ResultsReport, stderr: 'written' | 'none'): void {
  expect(report.points).toHaveLength(30);
  expect(report.group).toBe('medical');
  expect(report.tasks.map((t) => t.task)).toEqual([...TASKS]);
  for (const [i, p] of report.points.entries()) {
    const entry = index.points[i]!;
    expect(p.name).toBe(entry.name);
    expect(p.domainRows).toBe(entry.realized.rows.medical);
    const manifest = JSON.parse(readFileSync(path.join(out, entry.path, 'manifest.json'), 'utf8')) as {
      groups: { medical: { tokens: number } };
    };
    expect(p.domainTokens).toBe(manifest.groups.medical.tokens);
    expect(p.domainShare).toBe(entry.realized.shares.medical);
    expect(p.share).toBe(entry.shares.medical);
    expect(p.trainTokens).toBe(entry.trainTokens);
    expect(p.shortfall).toBe(entry.shortfall.medical);
    expect(p.sameAs).toBe(entry.sameAs);
    for (const t of TASKS) {
      expect(p.metrics[t], `${p.name} ${t}`).toMatchObject({
        value: syntheticValue(t, entry),
        stderr: stderr === 'written' ? STDERR[t] : null,
      });
    }
  }
  expect(report.warnings).toEqual([]);
  // 5 nominal shares × 2 tasks
  expect(report.curves).toHaveLength(10);
}

beforeAll(async () => {
  ({ out, index } = await composeResultsSweep(dir));
  lm = writeLmEval(path.join(dir, 'lm-eval'), index);
  oc = writeOpenCompass(path.join(dir, 'opencompass-summary.csv'), index);
  plain = writePlain(dir, index);
}, 120_000);

describe('mixsmith results: the three formats joined to a 30-point sweep', () => {
  it('the sweep is 6 volumes × 5 shares, with collapsed points where the medical pool ran out', () => {
    expect(index.points).toHaveLength(30);
    expect(index.points.filter((p) => p.sameAs !== null).map((p) => `${p.name}=${p.sameAs}`)).toEqual([
      'v100-medical1=v80-medical1',
      'v120-medical1=v80-medical1',
    ]);
  });

  it('joins lm-evaluation-harness output (a results_*.json per point) by --match on the model name', async () => {
    const run = await json([out, lm, '--match', MATCH_LM, '--metric', 'acc']);
    expect(run.code).toBe(0);
    expectJoined(run.report, 'written');
    expect(run.report.tasks.every((t) => t.metric === 'acc' && t.higherIsBetter)).toBe(true);
  });

  it('joins an OpenCompass summary CSV by --match on its model columns (no stderr there)', async () => {
    const run = await json([out, oc, '--match', MATCH_OC]);
    expect(run.code).toBe(0);
    expectJoined(run.report, 'none');
    expect(run.report.tasks.map((t) => t.metric)).toEqual(['accuracy', 'accuracy']);
  });

  it('joins plain CSV and JSONL with no mapping: the file names the point', async () => {
    const run = await json([out, plain.csv, plain.jsonl]);
    expect(run.code).toBe(0);
    expectJoined(run.report, 'written');
  });

  it('ties runs to points with --map, by results path (JSON) or by model name (CSV)', async () => {
    const byPath = path.join(dir, 'map.json');
    writeFileSync(byPath, JSON.stringify(Object.fromEntries(index.points.map((p) => [p.name, `lm-eval/${p.name}`]))));
    const a = await json([out, lm, '--map', byPath, '--metric', 'acc']);
    expect(a.code).toBe(0);
    expectJoined(a.report, 'written');
    const byModel = path.join(dir, 'map.csv');
    writeFileSync(byModel, `point,run\n${index.points.map((p) => `${p.name},mix-${p.name}`).join('\n')}\n`);
    const b = await json([out, oc, '--map', byModel]);
    expect(b.code).toBe(0);
    expectJoined(b.report, 'none');
  });

  it('prints the table on stderr: each point with its realized composition, metric ± stderr, and the read-outs', async () => {
    const run = await runCli(['results', out, plain.csv, plain.jsonl]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines.find((l) => l.startsWith('point'))).toMatch(
      /volume\s+medical share\s+medical rows\s+medical tokens\s+realized medical\s+train tokens\s+medical shortfall\s+same as\s+domain_qa acc\s+long_context acc/,
    );
    expect(lines.find((l) => l.startsWith('v120-medical1 '))).toMatch(
      /120\s+100\.0%\s+70\s+[\d\u202f]+\s+100\.0%.*50\s+v80-medical1\s+0\.7226 ±0\.0120\s+0\.4500 ±0\.0150/,
    );
    expect(run.stderr).toContain('saturation read-out (read from the data, not a fitted law');
    expect(run.stderr).toContain(
      'domain_qa, medical 100.0%: reaches 0.7226 at volume 80 (70 medical rows, v80-medical1)',
    );
  });
});

describe('docs/results.md', () => {
  it('shows the table as the command prints it, and the README links it', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const doc = readFileSync(path.join(root, 'docs/results.md'), 'utf8');
    const sample = doc
      .slice(doc.indexOf('```\npoint ') + 4, doc.indexOf('```', doc.indexOf('```\npoint ') + 4))
      .trimEnd()
      .split('\n');
    expect(sample).toHaveLength(4);
    const run = await runCli(['results', out, plain.csv, plain.jsonl]);
    const printed = run.stderr.split('\n');
    for (const line of sample) expect(printed, line).toContain(line);
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('[results](docs/results.md)');
  });
});

describe('mixsmith results: the saturation read-out', () => {
  it('per share, the smallest volume within one stderr of the best, said to be a reading of the data', async () => {
    const { report } = await json([out, plain.csv, plain.jsonl]);
    const curve = (task: string, share: number) =>
      report.curves.find((c) => c.task === task && c.share === share)!.saturation;
    // Share 1: the medical pool ran out at v80 (70 rows); v100 and v120 are the same training set.
    expect(curve('domain_qa', 1)).toMatchObject({
      point: 'v80-medical1',
      volume: 80,
      domainRows: 70,
      tolerance: 0.012,
      toleranceFrom: 'stderr of the best point',
    });
    expect(curve('domain_qa', 1).note).toContain('no fitted law');
    // Share 0.25 still climbs at the largest volume: no flat stretch inside the sweep.
    expect(curve('domain_qa', 0.25)).toMatchObject({ point: 'v120-medical0.25', volume: 120 });
    expect(curve('domain_qa', 0.25).note).toContain('no flat stretch');
    // Every curve's read-out value is within its tolerance of the curve's best.
    for (const c of report.curves)
      expect(c.saturation.best.value - c.saturation.value!).toBeLessThanOrEqual(c.saturation.tolerance + 1e-12);
  });

  it('--tolerance replaces the stderr, and without stderr there is no read-out unless it is given', async () => {
    const wide = await json([out, plain.csv, plain.jsonl, '--tolerance', '0.05']);
    expect(wide.report.curves.find((c) => c.task === 'domain_qa' && c.share === 1)!.saturation).toMatchObject({
      point: 'v60-medical1',
      toleranceFrom: '--tolerance',
    });
    const none = await json([out, oc, '--match', MATCH_OC]);
    expect(
      none.report.curves.every((c) => c.saturation.point === null && c.saturation.note.includes('give --tolerance')),
    ).toBe(true);
  });
});

describe('mixsmith results: mismatched inputs are named, never guessed', () => {
  it('a result for a point the sweep does not have stops with RESULTS_MATCH, the name and a did-you-mean', async () => {
    const extra = path.join(dir, 'extra.csv');
    writeFileSync(
      extra,
      `${readFileSync(plain.csv, 'utf8')}v140-medical0.5,domain_qa,acc,0.7,0.01\nv20-medica0.5,domain_qa,acc,0.4,0.01\n`,
    );
    const run = await failure([out, extra, plain.jsonl]);
    expect(run.code).toBe(4);
    expect(run.error.code).toBe('RESULTS_MATCH');
    expect(run.error.message).toContain('v140-medical0.5');
    expect(run.error.message).toContain('v20-medica0.5 (did you mean v20-medical0.5?)');
  });

  it('a point with no results is a warning naming it (and what it is the same as); the rest is drawn', async () => {
    const partial = path.join(dir, 'lm-partial');
    writeLmEval(
      partial,
      index,
      index.points.filter((p) => p.name !== 'v60-medical0.5' && p.name !== 'v120-medical1'),
    );
    const run = await json([out, partial, '--match', MATCH_LM, '--metric', 'acc']);
    expect(run.code).toBe(0);
    expect(run.warnings).toHaveLength(2);
    expect(run.warnings[0]).toContain(
      'task domain_qa: no acc for 2 of 30 points: v60-medical0.5, v120-medical1 (the same training rows as v80-medical1)',
    );
    expect(run.report.points.find((p) => p.name === 'v60-medical0.5')!.metrics.domain_qa).toBeNull();
    const human = await runCli(['results', out, partial, '--match', MATCH_LM, '--metric', 'acc']);
    expect(human.stderr).toContain('WARNING: task long_context: no acc for 2 of 30 points: v60-medical0.5');
  });

  it('two results for one point stop with RESULTS_DUPLICATE, naming the point and both sources', async () => {
    const again = writeLmEval(
      path.join(dir, 'lm-rerun'),
      index,
      index.points.filter((p) => p.name === 'v40-medical0.5'),
    );
    const run = await failure([out, lm, again, '--match', MATCH_LM, '--metric', 'acc']);
    expect(run.code).toBe(4);
    expect(run.error.code).toBe('RESULTS_DUPLICATE');
    const value = syntheticValue('domain_qa', index.points.find((p) => p.name === 'v40-medical0.5')!);
    const first = path.join(lm, 'v40-medical0.5', 'results_2026-01-01T00-00-00.000000.json');
    const second = path.join(again, 'v40-medical0.5', 'results_2026-01-01T00-00-00.000000.json');
    expect(run.error.message).toBe(
      `two results for one point (2 times): v40-medical0.5 domain_qa acc: ${value} from ${first} (--match on the model name "ckpt/v40-medical0.5") and ${value} from ${second} (--match on the model name "ckpt/v40-medical0.5"); v40-medical0.5 long_context acc: ${syntheticValue('long_context', index.points.find((p) => p.name === 'v40-medical0.5')!)} from ${first} (--match on the model name "ckpt/v40-medical0.5") and ${syntheticValue('long_context', index.points.find((p) => p.name === 'v40-medical0.5')!)} from ${second} (--match on the model name "ckpt/v40-medical0.5")`,
    );
    // A plain file and a harness run for the same points: named too, the list cut after five.
    const mixed = await failure([out, plain.csv, lm, '--match', MATCH_LM, '--metric', 'acc']);
    expect(mixed.error.message).toMatch(/^two results for one point \(30 times\): .*; and 25 more$/);
  });

  it('a metric name typo, on the command line or inside the results, stops with RESULTS_METRIC and a did-you-mean', async () => {
    const cli = await failure([
      out,
      lm,
      '--match',
      MATCH_LM,
      '--metric',
      'domain_qa=acc_nrom',
      '--metric',
      'long_context=acc',
    ]);
    expect(cli.error.code).toBe('RESULTS_METRIC');
    expect(cli.error.message).toBe('task domain_qa has no metric acc_nrom (did you mean acc_norm?)');
    const task = await failure([out, lm, '--match', MATCH_LM, '--metric', 'domian_qa=acc']);
    expect(task.error.message).toContain(
      'names the task domian_qa, which is not in the results (did you mean domain_qa?)',
    );
    const typo = path.join(dir, 'typo.csv');
    writeFileSync(
      typo,
      readFileSync(plain.csv, 'utf8').replace('v40-medical0.5,domain_qa,acc,', 'v40-medical0.5,domain_qa,accc,'),
    );
    const data = await failure([out, typo, plain.jsonl]);
    expect(data.error.code).toBe('RESULTS_METRIC');
    expect(data.error.message).toContain('"accc" (at v40-medical0.5) looks like a typo of "acc" (29 points)');
    const several = await failure([out, lm, '--match', MATCH_LM]);
    expect(several.error.message).toBe(
      'task domain_qa reports several metrics: acc (30 points), acc_norm (30 points); which one to draw?',
    );
    expect(several.error.diagnostics[0]!.hint).toBe('choose one with --metric domain_qa=acc');
  });

  it('a run tied to no point stops with RESULTS_MATCH naming it; so does a --map entry that names nothing', async () => {
    const none = await failure([out, lm, '--metric', 'acc']);
    expect(none.error.code).toBe('RESULTS_MATCH');
    expect(none.error.message).toContain('no --map or --match was given');
    expect(none.error.message).toContain('(model "ckpt/v20-medical0")');
    const wrong = await failure([out, oc, '--match', 'model-(?<point>.+)']);
    expect(wrong.error.message).toContain('these 30 runs');
    const map = path.join(dir, 'stale-map.json');
    writeFileSync(map, JSON.stringify({ 'v20-medical0': 'lm-eval/v20-medical0', 'v40-medical0': 'old-runs/v40' }));
    const stale = await failure([out, path.join(lm, 'v20-medical0'), '--map', map, '--metric', 'acc']);
    expect(stale.error.code).toBe('RESULTS_MATCH');
    expect(stale.error.message).toContain('old-runs/v40 for v40-medical0');
    const twice = path.join(dir, 'twice-map.json');
    writeFileSync(
      twice,
      JSON.stringify({ 'v20-medical0': 'lm-eval/v20-medical0', 'v40-medical0': 'lm-eval/v20-medical0' }),
    );
    const both = await failure([out, path.join(lm, 'v20-medical0'), '--map', twice, '--metric', 'acc']);
    expect(both.error.code).toBe('RESULTS_MATCH');
    expect(both.error.message).toContain('--map sends one run to several points');
    expect(both.error.message).toContain('to v20-medical0');
  });

  it('an OpenCompass cell "-" (not evaluated) is a missing result, warned by point name; quoted model names are read', async () => {
    const partial = path.join(dir, 'opencompass-partial.csv');
    const rows = readFileSync(oc, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => line.split(','));
    const column = rows[0]!.indexOf('mix-v40-medical0.75');
    rows[1]![column] = '-';
    rows[0]![column] = '"mix-v40-medical0.75"';
    writeFileSync(partial, `${rows.map((r) => r.join(',')).join('\n')}\n`);
    const run = await json([out, partial, '--match', MATCH_OC]);
    expect(run.code).toBe(0);
    expect(run.warnings).toEqual([
      'task domain_qa: no accuracy for 1 of 30 points: v40-medical0.75; the curves are drawn without them',
    ]);
    expect(run.report.points.find((p) => p.name === 'v40-medical0.75')!.metrics.long_context).not.toBeNull();
  });

  it('no results at all is a usage error', async () => {
    const run = await failure([out]);
    expect(run.code).toBe(2);
    expect(run.error.code).toBe('USAGE');
  });

  it('a file in no known format stops with RESULTS_FORMAT', async () => {
    const odd = path.join(dir, 'odd.csv');
    writeFileSync(odd, 'model,score\na,1\n');
    const run = await failure([out, odd]);
    expect(run.error.code).toBe('RESULTS_FORMAT');
    expect(run.error.message).toContain('neither OpenCompass');
  });
});

describe('mixsmith results --html', () => {
  it('writes the page, never over an existing file without --force, never inside the sweep or over an input', async () => {
    const html = path.join(dir, 'results.html');
    const first = await runCli(['results', out, plain.csv, plain.jsonl, '--html', html, '--quiet']);
    expect(first.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain("default-src 'none'");
    expect(page).not.toContain('<script');
    expect(page.match(/<svg data-chart="results"/g)).toHaveLength(2);
    expect((await failure([out, plain.csv, plain.jsonl, '--html', html])).error.code).toBe('OUTPUT_EXISTS');
    expect((await runCli(['results', out, plain.csv, plain.jsonl, '--html', html, '--force', '--quiet'])).code).toBe(0);
    const inside = await failure([out, plain.csv, plain.jsonl, '--html', path.join(out, 'results.html')]);
    expect(inside.error.code).toBe('OUTPUT_UNSAFE');
    expect(inside.error.message).toContain('lies inside the sweep');
    const overInput = await failure([out, plain.csv, plain.jsonl, '--html', plain.csv, '--force']);
    expect(overInput.error.code).toBe('OUTPUT_UNSAFE');
    expect(readFileSync(plain.csv, 'utf8')).toMatch(/^point,task,metric,value,stderr\n/);
  });
});

describe('mixsmith results: the real lm-evaluation-harness format', () => {
  it("reads the harness's results file: metric,filter keys, N/A stderr, higher_is_better", () => {
    const [run] = parseResultsText('results.json', CPU_REGRESSION_EXPECTED);
    expect(run!.format).toBe('lm-eval');
    expect(run!.values).toEqual([
      { task: 'arc_easy', metric: 'acc', value: 0.3, stderr: null },
      { task: 'arc_easy', metric: 'acc_norm', value: 0.1, stderr: null },
      { task: 'lambada_openai', metric: 'acc', value: 0.1, stderr: null },
      { task: 'lambada_openai', metric: 'perplexity', value: 605.5452047779999, stderr: null },
      { task: 'wikitext', metric: 'bits_per_byte', value: 1.3393660745008342, stderr: null },
      { task: 'wikitext', metric: 'byte_perplexity', value: 2.530401076099876, stderr: null },
      { task: 'wikitext', metric: 'word_perplexity', value: 130.4813590639406, stderr: null },
    ]);
    expect(run!.higherIsBetter.lambada_openai).toEqual({ acc: true, perplexity: false });
  });

  it('joins it to a point with --map; a metric must be chosen for a task with several', async () => {
    const runDir = path.join(dir, 'harness-run', 'EleutherAI__pythia-14m');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(path.join(runDir, 'results_2024-06-01T12-00-00.000000.json'), CPU_REGRESSION_EXPECTED);
    const map = path.join(dir, 'harness-map.json');
    writeFileSync(map, JSON.stringify({ 'v60-medical0.5': 'harness-run/EleutherAI__pythia-14m' }));
    const ambiguous = await failure([out, path.join(dir, 'harness-run'), '--map', map]);
    expect(ambiguous.error.code).toBe('RESULTS_METRIC');
    expect(ambiguous.error.message).toContain(
      'task arc_easy reports several metrics: acc (1 point), acc_norm (1 point)',
    );
    const run = await json([
      out,
      path.join(dir, 'harness-run'),
      '--map',
      map,
      '--task',
      'arc_easy',
      '--task',
      'lambada_openai',
      '--metric',
      'arc_easy=acc',
      '--metric',
      'lambada_openai=perplexity',
    ]);
    expect(run.code).toBe(0);
    const point = run.report.points.find((p) => p.name === 'v60-medical0.5')!;
    expect(point.metrics).toMatchObject({
      arc_easy: { value: 0.3, stderr: null },
      lambada_openai: { value: 605.5452047779999, stderr: null },
    });
    expect(run.report.tasks).toEqual([
      { task: 'arc_easy', metric: 'acc', higherIsBetter: true },
      { task: 'lambada_openai', metric: 'perplexity', higherIsBetter: false },
    ]);
    expect(run.warnings[0]).toContain('task arc_easy: no acc for 29 of 30 points');
  });
});
