#!/usr/bin/env node
// bench/memory-scaling.mjs: does peak memory follow the output, not the input? (issues #2, #8)
//
//   node bench/memory-scaling.mjs                         2 × 100k vs 2 × 1M records, volume 100k
//   node bench/memory-scaling.mjs --small 20000 --large 200000 --volume 20000    a quick look
//
// Composes W1 (the same recipe and output volume) over a small and a large corpus from
// bench/gen-corpus.mjs, each run under /usr/bin/time -v, and compares peak RSS. PASS when the
// large input's peak RSS is within 20 % of the small one's. Results go to SCRATCH/results/.
//
// Options [defaults]:
//   --small N [100000]      records per source, small input
//   --large N [1000000]     records per source, large input (2 × 1M is 3.4 GB on disk)
//   --volume V [100000]     training records, the same for both
//   --repeat R [1]          runs per size (medians of RSS and wall)
//   --scratch DIR [.bench]  corpora, build, results
//   --rev REV []            measure a committed revision instead of the working tree
//   --seed S [42]  --corpus-seed S [1]  --timeout S [1200]
//   --no-verify             skip output verification
//   --delete-corpora        delete the generated corpora afterwards
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intArg, parseArgs, usageOf } from './lib/args.mjs';
import { buildMixsmith } from './lib/build.mjs';
import { ensureCorpus } from './lib/corpus-cache.mjs';
import { describeMachine, machineFacts } from './lib/machine.mjs';
import { expectedRows, MIXSMITH_CONFIGS, recipeFor } from './lib/recipes.mjs';
import { median, mib, seconds } from './lib/stats.mjs';
import { gnuTimeAvailable, logTail, timeCommand } from './lib/time-command.mjs';
import { verifyRun } from './lib/verify-run.mjs';

const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const REPO_DIR = path.dirname(BENCH_DIR);
const SHARED_DIR = path.resolve(REPO_DIR, '..', 'shared', 'bench');
const LIMIT = 1.2;

const DEFAULTS = {
  small: '100000',
  large: '1000000',
  volume: '100000',
  repeat: '1',
  scratch: path.join(REPO_DIR, '.bench'),
  rev: '',
  seed: '42',
  corpusSeed: '1',
  timeout: '1200',
  noVerify: '',
  deleteCorpora: '',
  help: '',
};

const log = (line) => console.error(line);

async function measure({ records, volume, repeats, seed, args, build, resultsDir, timeoutSeconds }) {
  const corpus = await ensureCorpus({
    generator: 'own',
    scratchDir: path.resolve(args.scratch),
    records,
    seed: args.corpusSeed,
    variants: [],
    log,
  });
  const config = MIXSMITH_CONFIGS.find((c) => c.id === 'mixsmith-w1');
  const recipe = path.join(resultsDir, `w1-${records}.yaml`);
  writeFileSync(recipe, recipeFor(config, { dataDir: corpus.dir, volume, seed }));
  const inputBytes = ['domain', 'general'].reduce(
    (sum, s) => sum + statSync(path.join(corpus.dir, `${s}.jsonl`)).size,
    0,
  );
  const runs = [];
  let verified = args.noVerify ? 'skipped' : null;
  for (let repeat = 1; repeat <= repeats; repeat++) {
    const dir = path.join(resultsDir, `n${records}`, `r${repeat}`);
    const outDir = path.join(dir, 'out');
    mkdirSync(dir, { recursive: true });
    const timed = timeCommand({
      argv: ['node', build.bin, 'compose', recipe, '--out', outDir, '--force'],
      dir,
      cwd: REPO_DIR,
      timeoutSeconds,
    });
    if (timed.exit !== 0) throw new Error(`2 × ${records}: mixsmith exited ${timed.exit}: ${logTail(timed.logFile)}`);
    if (!verified)
      verified = (
        await verifyRun({
          workload: 'w1',
          outDir,
          dataDir: corpus.dir,
          expect: expectedRows(volume),
          sharedDir: SHARED_DIR,
          repoDir: REPO_DIR,
        })
      ).text;
    rmSync(outDir, { recursive: true, force: true });
    runs.push(timed);
    log(
      `[scaling] 2 × ${records} r${repeat}: ${timed.wallSeconds} s, ${(timed.maxRssKb / 1024).toFixed(0)} MiB peak RSS, load ${timed.load1.toFixed(2)}`,
    );
  }
  return {
    records,
    inputBytes,
    corpus: corpus.dir,
    verified,
    wall: median(runs.map((r) => r.wallSeconds)),
    rss: median(runs.map((r) => r.maxRssKb)),
    rssMax: Math.max(...runs.map((r) => r.maxRssKb)),
    runs,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  if (args.help) {
    console.log(usageOf(readFileSync(new URL(import.meta.url), 'utf8')));
    return 0;
  }
  if (!gnuTimeAvailable()) throw new Error('needs GNU time at /usr/bin/time (apt-get install time)');
  const small = intArg(args.small, 'small');
  const large = intArg(args.large, 'large');
  const volume = intArg(args.volume, 'volume');
  const repeats = intArg(args.repeat, 'repeat');
  const seed = intArg(args.seed, 'seed');
  const scratch = path.resolve(args.scratch);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const resultsDir = path.join(scratch, 'results', `${stamp}-memory-scaling`);
  mkdirSync(resultsDir, { recursive: true });
  const machine = machineFacts();
  log(`[scaling] ${describeMachine(machine)}`);
  const build = buildMixsmith({ repoDir: REPO_DIR, scratchDir: scratch, runDir: resultsDir, rev: args.rev, log });
  const measured = [];
  for (const records of [small, large]) {
    measured.push(
      await measure({
        records,
        volume,
        repeats,
        seed,
        args,
        build,
        resultsDir,
        timeoutSeconds: intArg(args.timeout, 'timeout'),
      }),
    );
  }
  const [a, b] = measured;
  const growth = b.rss / a.rss;
  const lines = [
    `## Memory scaling: W1, volume ${volume.toLocaleString('en-US')}, inputs 2 × ${small.toLocaleString('en-US')} vs 2 × ${large.toLocaleString('en-US')} records`,
    '',
    `- command: \`${['node bench/memory-scaling.mjs', ...process.argv.slice(2)].join(' ')}\``,
    `- machine: ${describeMachine(machine)}`,
    `- mixsmith: ${build.label}${build.warning ? ` (${build.warning})` : ''}`,
    '',
    '| input | MB | wall s (median) | peak RSS MiB (median) | peak RSS MiB (max) | verified |',
    '|---|---|---|---|---|---|',
    ...measured.map(
      (m) =>
        `| 2 × ${m.records.toLocaleString('en-US')} | ${(m.inputBytes / 1e6).toFixed(0)} | ${seconds(m.wall)} | ${mib(m.rss)} | ${mib(m.rssMax)} | ${m.verified} |`,
    ),
    '',
    '```',
    `${growth <= LIMIT ? 'PASS' : 'FAIL'}  peak RSS at ${(large / small).toFixed(0)}× the input is ${growth.toFixed(2)}× the small input's (limit ${LIMIT.toFixed(2)}×)`,
    '```',
  ];
  const report = lines.join('\n');
  writeFileSync(path.join(resultsDir, 'report.md'), `${report}\n`);
  writeFileSync(
    path.join(resultsDir, 'results.json'),
    `${JSON.stringify({ machine, volume, build: { label: build.label, warning: build.warning }, measured, growth }, null, 2)}\n`,
  );
  console.log(report);
  if (args.deleteCorpora) for (const m of measured) rmSync(m.corpus, { recursive: true, force: true });
  log(`[scaling] results: ${resultsDir}`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`memory-scaling: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
