#!/usr/bin/env node
// bench/run.mjs (`npm run bench`): mixsmith beside its peers in one run, as issue #8 asks.
//
//   npm run bench                                  2 × 10k records, 3 repeats, peers on (~2 min)
//   npm run bench -- --n 100000                    W1 as the issue states it: 30k + 70k sample
//   npm run bench -- --n 1000000 --repeat 1        the issue's W1 size (3.4 GB)
//   npm run bench -- --only mixsmith-w1,node-floor,python --repeat 5
//
// Builds mixsmith once, generates (or reuses) a corpus with bench/gen-corpus.mjs, writes the
// recipes, probes which configurations work today (validate + a tiny compose), then times every
// configuration and peer with /usr/bin/time -v, round-robin (repeat 1 of everything, then
// repeat 2, …), verifies the outputs, and prints medians, ratios and one PASS/FAIL line per
// target. Everything lands in SCRATCH/results/<stamp>/ (raw.tsv, results.json, report.md, logs).
//
// Options [defaults]:
//   --n N [10000]           records per source
//   --volume V [min(n, 100000)]  training records, 30 % domain + 70 % general (the issue's W1:
//                           100000); the peers run with their sample sizes set to match
//   --repeat R [3]          timed runs per configuration; the table shows medians
//   --only LIST []          comma list of run ids (mixsmith-w1, mixsmith-w1-gz, mixsmith-w1-zst,
//                           mixsmith-w1-parquet, mixsmith-w2, sweep, sweep-largest, cat,
//                           node-floor, node-w1, duckdb, python, datasets-w1, datasets-w2, shell);
//                           "mixsmith" stands for all mixsmith ids (the sweeps included)
//   --peers on|off|all [on] on: every peer in ../shared/bench/peers except the slow shell
//                           pipeline, and the `datasets` peers in bench/peers (their venv,
//                           SCRATCH/venv, is built by scripts/python-env.sh --bench on first use;
//                           skipped with the reason when it cannot be); all: with the shell
//                           pipeline; off: mixsmith only
//   --scratch DIR [.bench]  corpora, builds and results (gitignored)
//   --rev REV []            time a committed revision (git archive + build in SCRATCH) instead of
//                           the working tree
//   --generator own|shared [own]  shared: ../shared/bench/gen.mjs (no eval set: W2 n/a)
//   --seed S [42]           the recipes' seed; --corpus-seed S [1] the generator's
//   --w2-recipe FILE []     W2 recipe to use instead of the built-in one ({data}: corpus folder)
//   --timeout S [900]       per run, in seconds (4 × for the `datasets` peers)
//   --keep-outputs          keep every run's output (default: deleted once verified and hashed)
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intArg, parseArgs, usageOf } from './lib/args.mjs';
import { buildMixsmith } from './lib/build.mjs';
import { ensureCorpus } from './lib/corpus-cache.mjs';
import { describeMachine, machineFacts } from './lib/machine.mjs';
import { manifestPhases, outputDigest } from './lib/output-files.mjs';
import { warmPageCache } from './lib/page-cache.mjs';
import { chooseRuns } from './lib/choose-runs.mjs';
import { ensureBenchVenv } from './lib/bench-venv.mjs';
import { PYTHON_PEERS, peersFor } from './lib/peers.mjs';
import { probeConfigs } from './lib/probe.mjs';
import { expectedRows, MIXSMITH_CONFIGS, recipeFor, sweepGrid } from './lib/recipes.mjs';
import { busyNote, ratioTable, resultsTable, summarize, targetLines } from './lib/report.mjs';
import { gnuTimeAvailable, logTail, timeCommand } from './lib/time-command.mjs';
import { verifyRun } from './lib/verify-run.mjs';

const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const REPO_DIR = path.dirname(BENCH_DIR);
const SHARED_DIR = path.resolve(REPO_DIR, '..', 'shared', 'bench');

const DEFAULTS = {
  n: '10000',
  volume: '',
  repeat: '3',
  only: '',
  peers: 'on',
  scratch: path.join(REPO_DIR, '.bench'),
  rev: '',
  generator: 'own',
  seed: '42',
  corpusSeed: '1',
  w2Recipe: '',
  timeout: '900',
  keepOutputs: '',
  help: '',
};

const log = (line) => console.error(line);

async function main() {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  if (args.help) {
    console.log(usageOf(readFileSync(new URL(import.meta.url), 'utf8')));
    return 0;
  }
  if (!gnuTimeAvailable()) throw new Error('needs GNU time at /usr/bin/time (apt-get install time)');
  const records = intArg(args.n, 'n');
  const volume = args.volume ? intArg(args.volume, 'volume') : Math.min(records, 100_000);
  const repeats = intArg(args.repeat, 'repeat');
  const timeoutSeconds = intArg(args.timeout, 'timeout');
  const seed = intArg(args.seed, 'seed');
  const scratch = path.resolve(args.scratch);
  const sharedDir = existsSync(path.join(SHARED_DIR, 'peers')) ? SHARED_DIR : null;
  const w2RecipeFile = args.w2Recipe ? path.resolve(args.w2Recipe) : null;
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const resultsDir = path.join(scratch, 'results', `${stamp}-n${records}`);
  mkdirSync(resultsDir, { recursive: true });
  const machine = machineFacts();
  log(`[bench] ${describeMachine(machine)}`);
  log(`[bench] peers: ${sharedDir ?? 'none (../shared/bench not found)'}; results: ${resultsDir}`);

  const build = buildMixsmith({ repoDir: REPO_DIR, scratchDir: scratch, runDir: resultsDir, rev: args.rev, log });
  const probe = await ensureCorpus({
    generator: 'own',
    scratchDir: scratch,
    records: 3000,
    seed: args.corpusSeed,
    variants: ['gz', 'zst'],
    log,
  });
  log('[bench] probing which mixsmith configurations work today');
  const unsupported = probeConfigs({
    bin: build.bin,
    configs: MIXSMITH_CONFIGS,
    probeData: probe.dir,
    dir: path.join(resultsDir, 'probe'),
    seed,
    w2RecipeFile,
  });
  if (args.generator === 'shared')
    unsupported.set('mixsmith-w2', unsupported.get('mixsmith-w2') ?? 'the shared generator writes no eval set');
  for (const [id, reason] of unsupported) log(`[bench]   ${id}: ${reason ? `not supported yet (${reason})` : 'ok'}`);

  const expect = expectedRows(volume);
  const peers = peersFor({ sharedDir, scratchDir: scratch, expect });
  peers.expect = expect;
  const onlyIds = args.only ? args.only.split(',') : null;
  const wantsPython = args.peers !== 'off' && (!onlyIds || onlyIds.some((id) => PYTHON_PEERS.includes(id)));
  peers.python = wantsPython ? ensureBenchVenv({ repoDir: REPO_DIR, scratchDir: scratch, log }) : null;
  const { runs, skipped } = chooseRuns({
    only: args.only,
    peersMode: args.peers,
    unsupported,
    peers,
    repoDir: REPO_DIR,
  });
  const variants = ['gz', 'zst'].filter((v) => runs.some((r) => r.input === `.jsonl.${v}`));
  const corpus = await ensureCorpus({
    generator: args.generator,
    scratchDir: scratch,
    sharedDir,
    records,
    seed: args.corpusSeed,
    variants,
    log,
  });
  const inputBytes = ['domain', 'general'].reduce(
    (sum, s) => sum + statSync(path.join(corpus.dir, `${s}.jsonl`)).size,
    0,
  );
  const recipesDir = path.join(resultsDir, 'recipes');
  mkdirSync(recipesDir, { recursive: true });
  const grid = sweepGrid(records);
  for (const run of runs) {
    if (run.kind !== 'mixsmith') continue;
    run.recipe = path.join(recipesDir, `${run.id}.yaml`);
    writeFileSync(run.recipe, recipeFor(run, { dataDir: corpus.dir, volume, seed, w2RecipeFile, records }));
    if (run.workload === 'sweep') run.expect = grid.expect;
  }

  warmPageCache(
    ['domain', 'general'].flatMap((s) =>
      ['', ...variants.map((v) => `.${v}`)].map((suffix) => path.join(corpus.dir, `${s}.jsonl${suffix}`)),
    ),
  );
  const results = [];
  const raw = ['id\trepeat\twall_s\tuser_s\tsys_s\tmax_rss_kb\texit\tload1\tverify\tdigest'];
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const run of runs) {
      const dir = path.join(resultsDir, run.id, `r${repeat}`);
      const outDir = path.join(dir, 'out');
      mkdirSync(dir, { recursive: true });
      const argv =
        run.kind === 'mixsmith'
          ? ['node', build.bin, 'compose', run.recipe, '--out', outDir, '--force']
          : run.argv(corpus.dir, outDir);
      writeFileSync(path.join(dir, 'cmd.txt'), `${argv.join(' ')}\n`);
      const timed = timeCommand({
        argv,
        dir,
        cwd: REPO_DIR,
        env: { SEED: String(seed), ...run.env },
        timeoutSeconds: timeoutSeconds * (run.timeoutFactor ?? 1),
      });
      const result = {
        id: run.id,
        kind: run.kind,
        what: run.what,
        repeat,
        ...timed,
        verify: null,
        digest: null,
        failure: null,
      };
      if (timed.exit !== 0) result.failure = `exit ${timed.exit}: ${logTail(timed.logFile, 2)}`;
      else if (run.workload) {
        if (run.kind === 'mixsmith') result.phases = manifestPhases(outDir);
        result.digest = outputDigest(outDir);
        if (repeat === 1) {
          const checkDir = run.id === 'sweep' ? path.join(outDir, grid.largestFolder) : outDir;
          const verified = await verifyRun({
            workload: run.workload,
            outDir,
            checkDir,
            dataDir: corpus.dir,
            expect: run.expect ?? expect,
            sharedDir,
            repoDir: REPO_DIR,
          });
          result.verify = verified.text;
          result.quality = verified.quality;
        }
      }
      if (!args.keepOutputs) rmSync(outDir, { recursive: true, force: true });
      results.push(result);
      raw.push(
        [
          run.id,
          repeat,
          timed.wallSeconds,
          timed.userSeconds,
          timed.systemSeconds,
          timed.maxRssKb,
          timed.exit,
          timed.load1.toFixed(2),
          result.verify ?? '',
          result.digest ?? '',
        ].join('\t'),
      );
      log(
        `[bench] r${repeat} ${run.id}: ${timed.wallSeconds} s wall, ${timed.cpuSeconds.toFixed(1)} s CPU, ${(timed.maxRssKb / 1024).toFixed(0)} MiB${result.failure ? `, FAILED ${result.failure}` : ''}${result.verify ? `, ${result.verify}` : ''}`,
      );
    }
  }
  writeFileSync(path.join(resultsDir, 'raw.tsv'), `${raw.join('\n')}\n`);

  const rows = summarize(
    results,
    runs.map((r) => r.id),
  );
  const header = [
    `## npm run bench: 2 × ${records.toLocaleString('en-US')} alpaca records (${(inputBytes / 1e6).toFixed(0)} MB JSONL), volume ${volume.toLocaleString('en-US')} (${expect.domain} + ${expect.general}), ${repeats} repeat${repeats === 1 ? '' : 's'}`,
    '',
    `- command: \`${['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ')}\``,
    `- machine: ${describeMachine(machine)}`,
    `- mixsmith: ${build.label}${build.warning ? ` (${build.warning})` : ''}; corpus: ${corpus.dir}`,
    ...(runs.some((r) => r.workload === 'sweep')
      ? [
          `- sweep: the study's 30-point grid (volumes 10k, 20k, 50k, 100k, 150k, 200k × domain share 0, 0.25, 0.5, 0.75, 1; shortage: cap)${grid.scale < 1 ? ` scaled by n / 1M = ${grid.scale} to volumes ${grid.volumes.join(', ')}` : ''}; sweep-largest is v${grid.largest} at domain 0.5 alone; checked through that point's folder`,
        ]
      : []),
    ...(peers.python && !peers.python.missing
      ? [
          `- Python peers: ${peers.python.python} (bench/python/requirements.lock.txt; set up or checked in ${peers.python.seconds.toFixed(1)} s)`,
        ]
      : []),
    ...skipped.map((s) => `- not run: ${s}`),
    ...busyNote(results, machine.cores),
  ];
  const report = [
    ...header,
    '',
    resultsTable(rows, inputBytes),
    '',
    ratioTable(rows),
    '',
    '```',
    ...targetLines(rows, unsupported, records),
    '```',
  ].join('\n');
  writeFileSync(path.join(resultsDir, 'report.md'), `${report}\n`);
  writeFileSync(
    path.join(resultsDir, 'results.json'),
    `${JSON.stringify({ machine, records, volume, repeats, inputBytes, corpus: corpus.dir, build: { label: build.label, warning: build.warning }, skipped, unsupported: Object.fromEntries(unsupported), runs: results, rows }, null, 2)}\n`,
  );
  console.log(report);
  log(`[bench] results: ${resultsDir}`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
