#!/usr/bin/env node
// bench/profile.mjs: where mixsmith's W1 time goes, from a V8 CPU profile.
//
//   node bench/profile.mjs                    2 × 100k records, volume 100k
//   node bench/profile.mjs --n 20000 --volume 20000 --top 40
//   node bench/profile.mjs --profile FILE     summarise an existing .cpuprofile
//
// Runs `node --cpu-prof dist/cli/bin.js compose` on the W1 recipe and prints self time by
// function and by file, and inclusive time by pipeline step (innermost listed function on each
// sample's stack). The .cpuprofile stays in SCRATCH/results/ for Chrome DevTools or speedscope.
//
// Options [defaults]: --n N [100000]  --volume V [min(n, 100000)]  --top K [25]
//   --scratch DIR [.bench]  --rev REV []  --seed S [42]  --corpus-seed S [1]  --profile FILE []
//   --no-inlining           run with --no-turbo-inlining: slower, but small functions keep their
//                           own frames, so the per-step split is not hidden inside their callers
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intArg, parseArgs, usageOf } from './lib/args.mjs';
import { buildMixsmith } from './lib/build.mjs';
import { ensureCorpus } from './lib/corpus-cache.mjs';
import { inclusiveByName, loadProfile, selfByFile, selfByFunction } from './lib/cpu-profile.mjs';
import { describeMachine, machineFacts } from './lib/machine.mjs';
import { MIXSMITH_CONFIGS, recipeFor } from './lib/recipes.mjs';

const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const REPO_DIR = path.dirname(BENCH_DIR);

/** Pipeline steps, innermost first wins; names as they appear in dist/ (see src/compose, src/io, src/select). */
const STEPS = [
  'normalizeForKey',
  'contentKey',
  'ranksOf',
  'orderRank',
  'fingerprintOf',
  'claim',
  'offer',
  'parseRecord',
  'toBody',
  'sampleText',
  'lineRecords',
  'byteStream',
  'readAt',
  'render',
  'writePoints',
  'writeSplits',
  'materialize',
  'filterCandidates',
  'selectPoint',
  'scanInputs',
  'loadRecipe',
];

const DEFAULTS = {
  n: '100000',
  volume: '',
  top: '25',
  scratch: path.join(REPO_DIR, '.bench'),
  rev: '',
  seed: '42',
  corpusSeed: '1',
  profile: '',
  noInlining: '',
  help: '',
};
const log = (line) => console.error(line);
const ms = (micros) => `${(micros / 1000).toFixed(0).padStart(7)} ms`;
const pct = (micros, total) => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;

async function recordProfile(args) {
  const records = intArg(args.n, 'n');
  const volume = args.volume ? intArg(args.volume, 'volume') : Math.min(records, 100_000);
  const scratch = path.resolve(args.scratch);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const dir = path.join(scratch, 'results', `${stamp}-profile-n${records}`);
  mkdirSync(dir, { recursive: true });
  const build = buildMixsmith({ repoDir: REPO_DIR, scratchDir: scratch, runDir: dir, rev: args.rev, log });
  const corpus = await ensureCorpus({
    generator: 'own',
    scratchDir: scratch,
    records,
    seed: args.corpusSeed,
    variants: [],
    log,
  });
  const recipe = path.join(dir, 'w1.yaml');
  writeFileSync(
    recipe,
    recipeFor(MIXSMITH_CONFIGS[0], { dataDir: corpus.dir, volume, seed: intArg(args.seed, 'seed') }),
  );
  log(`[profile] ${describeMachine(machineFacts())}`);
  log(
    `[profile] node ${args.noInlining ? '--no-turbo-inlining ' : ''}--cpu-prof ${build.bin} compose (2 × ${records}, volume ${volume})`,
  );
  const flags = args.noInlining ? ['--no-turbo-inlining'] : [];
  const run = spawnSync(
    'node',
    [
      ...flags,
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      build.bin,
      'compose',
      recipe,
      '--out',
      path.join(dir, 'out'),
      '--force',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  rmSync(path.join(dir, 'out'), { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`mixsmith exited with ${run.status}`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return path.join(dir, file);
}

async function main() {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  if (args.help) {
    console.log(usageOf(readFileSync(new URL(import.meta.url), 'utf8')));
    return 0;
  }
  const file = args.profile ? path.resolve(args.profile) : await recordProfile(args);
  const profile = loadProfile(file);
  const sampled = [...profile.selfMicros.values()].reduce((a, b) => a + b, 0);
  const out = [
    `profile: ${file}`,
    `sampled ${(sampled / 1e6).toFixed(1)} s of ${(profile.totalMicros / 1e6).toFixed(1)} s`,
    '',
    'self time by function:',
  ];
  for (const [name, t] of selfByFunction(profile, intArg(args.top, 'top')))
    out.push(`${ms(t)} ${pct(t, sampled)}  ${name}`);
  out.push('', 'self time by file:');
  for (const [name, t] of selfByFile(profile)) out.push(`${ms(t)} ${pct(t, sampled)}  ${name}`);
  out.push('', 'inclusive time by step (innermost listed function on the stack):');
  for (const [name, t] of inclusiveByName(profile, STEPS)) if (t > 0) out.push(`${ms(t)} ${pct(t, sampled)}  ${name}`);
  console.log(out.join('\n'));
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`profile: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
