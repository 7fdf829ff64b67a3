/**
 * Generated corpora are cached in the scratch folder by their defining options: a run reuses a
 * corpus whose truth.json records the same options (and at least the compressed variants it
 * needs), and regenerates it otherwise. --generator shared uses ../shared/bench/gen.mjs instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { corpusOptions, GENERATOR_DEFAULTS, generateCorpus } from '../gen-corpus.mjs';

function readTruth(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8'));
  } catch {
    return null;
  }
}

const sameOptions = (a, b) => JSON.stringify({ ...a, variants: [] }) === JSON.stringify({ ...b, variants: [] });
const hasVariants = (dir, variants) =>
  variants.every((v) => ['domain', 'general'].every((s) => existsSync(path.join(dir, `${s}.jsonl.${v}`))));

async function ownCorpus({ scratchDir, records, seed, variants, log }) {
  const options = corpusOptions({
    ...GENERATOR_DEFAULTS,
    n: String(records),
    seed: String(seed),
    variants: variants.join(','),
  });
  const dir = path.join(scratchDir, `corpus-${records}-s${seed}`);
  const truth = readTruth(dir);
  if (truth && sameOptions(truth.generator.options, options) && hasVariants(dir, variants)) {
    log(`[bench] reusing corpus ${dir}`);
    return { dir, truth };
  }
  rmSync(dir, { recursive: true, force: true });
  log(`[bench] generating 2 × ${records} records into ${dir}`);
  return { dir, truth: await generateCorpus(options, dir, log) };
}

function sharedCorpus({ scratchDir, sharedDir, records, seed, variants, log }) {
  const dir = path.join(scratchDir, `shared-corpus-${records}-s${seed}`);
  const truth = readTruth(dir);
  const args = [
    '--n',
    String(records),
    '--seed',
    String(seed),
    ...(variants.length ? ['--variants', variants.join(',')] : []),
  ];
  if (
    truth &&
    truth.generator.args?.slice(0, 4).join(' ') === args.slice(0, 4).join(' ') &&
    hasVariants(dir, variants)
  ) {
    log(`[bench] reusing corpus ${dir}`);
    return { dir, truth };
  }
  rmSync(dir, { recursive: true, force: true });
  log(`[bench] generating 2 × ${records} records with ../shared/bench/gen.mjs into ${dir}`);
  const generated = spawnSync('node', [path.join(sharedDir, 'gen.mjs'), '--out', dir, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (generated.status !== 0) throw new Error('../shared/bench/gen.mjs failed');
  return { dir, truth: readTruth(dir) };
}

export async function ensureCorpus(options) {
  if (options.generator === 'shared') {
    if (!options.sharedDir) throw new Error('--generator shared needs ../shared/bench');
    return sharedCorpus(options);
  }
  return ownCorpus(options);
}
