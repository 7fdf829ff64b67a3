#!/usr/bin/env node
// bench/scaling-checks.mjs: two cost checks the issues state as ratios, timed with /usr/bin/time.
//
//   node bench/scaling-checks.mjs --n 200000           2 × 200k records (a few minutes)
//   node bench/scaling-checks.mjs --n 1000000          the issues' sizes (2 × 1M records)
//
// sweep (issue #6): a 6-volume × 5-share sweep (10k … 200k × domain 0 … 1, 30 points) from one
//   scan, against composing only its largest point; target: sweep < 3 × largest point.
// filters (issue #5): W1-like (30 % domain + 70 % general, 100k out) with dedup.near and
//   decontaminate against the corpus's eval set, against the same run without them;
//   target: with < 2 × without.
// staged (issue #21): W1 and W2 (W1 + near-dup + decontamination) composed, and through the staged
//   pipeline (`mixsmith staged`, local executor, 2 facts parts, 1 materialize part): the cost of
//   staging, and every output file compared (manifests without their run block and digest).
// Options: --n N [200000] records per source, --scratch DIR [.bench], --only sweep|filters|staged,
//   --keep (keep outputs), --rev REV [HEAD] the committed revision to time, --filters-volume V
//   [100k × n / 1M] the output volume of the filters pair. Results: SCRATCH/results/scaling-<stamp>/report.md.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intArg, parseArgs } from './lib/args.mjs';
import { buildMixsmith } from './lib/build.mjs';
import { ensureCorpus } from './lib/corpus-cache.mjs';
import { describeMachine, machineFacts } from './lib/machine.mjs';
import { gnuTimeAvailable, timeCommand } from './lib/time-command.mjs';

const repoDir = path.resolve(import.meta.dirname, '..');
const args = parseArgs(process.argv.slice(2), {
  n: '200000',
  scratch: '.bench',
  only: '',
  keep: false,
  rev: 'HEAD',
  filtersVolume: '',
});
const records = intArg(args.n, 'n');
const scratchDir = path.resolve(repoDir, args.scratch);
const runDir = path.join(scratchDir, 'results', `scaling-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(runDir, { recursive: true });
const log = (line) => process.stderr.write(`${line}\n`);
if (!gnuTimeAvailable()) throw new Error('/usr/bin/time is needed (Debian package "time")');

const { bin, label } = buildMixsmith({ repoDir, scratchDir, runDir, rev: args.rev, log });
const { dir: corpus } = await ensureCorpus({ generator: 'own', scratchDir, records, seed: 1, variants: [], log });

const base = (volume, extra = '') => `name: scaling
seed: 42
sources:
  - { name: domain, group: domain, path: ${JSON.stringify(path.join(corpus, 'domain.jsonl'))}, schema: alpaca, on_error: skip }
  - { name: general, group: general, path: ${JSON.stringify(path.join(corpus, 'general.jsonl'))}, schema: alpaca, on_error: skip }
mixture:
  volume: ${volume}
  shares: { domain: 0.3, general: 0.7 }
  shortage: cap
dedup:
  prefer: [domain, general]
${extra}`;
const scale = (v) => Math.max(1, Math.round((v * records) / 1_000_000));
const volumes = [10_000, 20_000, 50_000, 100_000, 150_000, 200_000].map(scale);
const largest = volumes.at(-1);
// Issue #5 states 1,000,000 input records and 100,000 out: --n 500000 --filters-volume 100000.
const filtersVolume = args.filtersVolume ? intArg(args.filtersVolume, 'filters-volume') : scale(100_000);
const runs = {
  sweep: [
    ['largest-point', base(largest)],
    [
      'sweep-30-points',
      base(largest, `sweep:\n  volume: [${volumes.join(', ')}]\n  shares:\n    domain: [0, 0.25, 0.5, 0.75, 1]\n`),
    ],
  ],
  filters: [
    ['w1-plain', base(filtersVolume)],
    ['w1-near-decontam', withFilters(base(filtersVolume))],
  ],
  // Issue #21: the staged pipeline (facts ×2 → select → materialize → assemble, local executor)
  // against compose on the same recipe; outputs compared file by file.
  staged: [
    ['w1-compose', base(filtersVolume)],
    ['w1-staged', base(filtersVolume)],
    ['w2-compose', withFilters(base(filtersVolume))],
    ['w2-staged', withFilters(base(filtersVolume))],
  ],
};
function withFilters(recipe) {
  return `${recipe.replace('dedup:\n', 'dedup:\n  near: true\n')}decontaminate:\n  eval:\n    - { name: eval, path: ${JSON.stringify(path.join(corpus, 'eval.jsonl'))} }\n`;
}
/** Every output file's sha256 (manifests without their run block), for comparing two runs. */
function outputDigests(root, prefix = '') {
  const digests = {};
  for (const name of readdirSync(path.join(root, prefix)).sort()) {
    const relative = path.join(prefix, name);
    const full = path.join(root, relative);
    if (statSync(full).isDirectory()) Object.assign(digests, outputDigests(root, relative));
    else if (name === 'manifest.json') {
      const { run: _run, manifestSha256: _sha, ...rest } = JSON.parse(readFileSync(full, 'utf8'));
      digests[relative] = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
    } else digests[relative] = createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return digests;
}
const digestsOf = {};

const results = {};
for (const [check, pair] of Object.entries(runs)) {
  if (args.only && args.only !== check) continue;
  for (const [name, recipe] of pair) {
    const dir = path.join(runDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'recipe.yaml'), recipe);
    log(`[bench] ${name}…`);
    const out = path.join(dir, 'out');
    const command = name.endsWith('-staged')
      ? ['staged', path.join(dir, 'recipe.yaml'), '--dir', path.join(dir, 'stages'), '--out', out]
      : ['compose', path.join(dir, 'recipe.yaml'), '--out', out];
    const staged = name.endsWith('-staged') ? ['--map-parts', '2', '--materialize-parts', '1'] : [];
    const timed = timeCommand({
      argv: ['node', bin, ...command, ...staged, '--quiet'],
      dir,
      cwd: dir,
      timeoutSeconds: 3600,
    });
    results[name] = timed;
    log(
      `[bench] ${name}: ${timed.wallSeconds.toFixed(1)} s wall, ${timed.cpuSeconds.toFixed(1)} s CPU, ${(timed.maxRssKb / 1024).toFixed(0)} MB peak RSS, exit ${timed.exit}`,
    );
    if (check === 'staged' && timed.exit === 0) digestsOf[name] = outputDigests(out);
    if (!args.keep) {
      rmSync(out, { recursive: true, force: true });
      rmSync(path.join(dir, 'stages'), { recursive: true, force: true });
    }
  }
}

function sameOutput(w) {
  const a = digestsOf[`${w}-compose`];
  const b = digestsOf[`${w}-staged`];
  if (!a || !b) return 'outputs not compared (a run failed)';
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const differ = names.filter((n) => a[n] !== b[n]);
  return differ.length === 0
    ? `output identical (${names.length} files): PASS`
    : `outputs differ in ${differ.join(', ')}: FAIL`;
}

const row = (name) => {
  const r = results[name];
  return r
    ? `| ${name} | ${r.wallSeconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${(r.maxRssKb / 1024).toFixed(0)} | ${r.exit} |`
    : '';
};
const ok = (name) => results[name]?.exit === 0;
const ratio = (a, b) => (results[a] && results[b] ? results[a].wallSeconds / results[b].wallSeconds : Number.NaN);
const verdict = (a, b, limit) => {
  if (!results[a] || !results[b]) return 'not run';
  if (!ok(a) || !ok(b)) return `FAIL: a run did not exit 0 (see ${runDir})`;
  const value = ratio(a, b);
  return `${value.toFixed(2)}× (target < ${limit}×): ${value < limit ? 'PASS' : 'FAIL'}`;
};
const report = [
  `# scaling checks, 2 × ${records.toLocaleString('en-US')} records`,
  '',
  `mixsmith: ${label}; ${describeMachine(machineFacts())}`,
  '',
  '| run | wall s | CPU s | peak RSS MB | exit |',
  '|---|---|---|---|---|',
  ...Object.keys(results).map(row),
  '',
  `- sweep of 30 points vs its largest point alone (issue #6): ${verdict('sweep-30-points', 'largest-point', 3)}`,
  `- near-dup + decontamination vs neither (issue #5): ${verdict('w1-near-decontam', 'w1-plain', 2)}`,
  ...['w1', 'w2'].map(
    (w) =>
      `- staged ${w} (facts ×2, select, materialize, assemble) vs compose: ${results[`${w}-staged`] ? `${ratio(`${w}-staged`, `${w}-compose`).toFixed(2)}× wall, ${sameOutput(w)}` : 'not run'}`,
  ),
].join('\n');
writeFileSync(path.join(runDir, 'report.md'), `${report}\n`);
console.log(report);
