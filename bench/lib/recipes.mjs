/**
 * The benchmark's mixsmith recipes, written into the scratch folder per run. W1 is the issue's
 * workload: two alpaca sources, exact dedup on the normalised text (domain preferred), 30 % + 70 %
 * of the volume, shuffled, records passed through unchanged (so ../shared/bench/verify.mjs can
 * compare them with the inputs). Variants change only the input file type or the output format.
 * W2 adds near-duplicate removal and decontamination against the corpus's eval set, with Parquet
 * output. Its feature keys follow issue #5 (`dedup.near`, `decontaminate`); when they land under
 * other names, pass a recipe with --w2-recipe ({data} stands for the corpus folder).
 * `sweep` is the saturation study's 30-point grid (issue #22; recipes/saturation-study.yaml:
 * volumes 10k–200k × domain share 0–1, `shortage: cap`) over the same corpus, its volumes scaled
 * by n / 1M below 2 × 1M records; `sweep-largest` is its largest point (top volume, the base
 * shares 0.5/0.5) composed alone, the time the sweep is measured against.
 */
import { readFileSync } from 'node:fs';

/** One timed mixsmith configuration: id, what it shows, input suffix, output block, extras. */
export const MIXSMITH_CONFIGS = [
  { id: 'mixsmith-w1', what: 'W1, JSONL in, JSONL out', input: '.jsonl', output: 'jsonl', workload: 'w1' },
  { id: 'mixsmith-w1-gz', what: 'W1, .jsonl.gz inputs', input: '.jsonl.gz', output: 'jsonl', workload: 'w1' },
  { id: 'mixsmith-w1-zst', what: 'W1, .jsonl.zst inputs', input: '.jsonl.zst', output: 'jsonl', workload: 'w1' },
  { id: 'mixsmith-w1-parquet', what: 'W1, Parquet (zstd) out', input: '.jsonl', output: 'parquet', workload: 'w1' },
  {
    id: 'mixsmith-w2',
    what: 'W2: W1 + near-dup + decontamination, Parquet out',
    input: '.jsonl',
    output: 'parquet',
    workload: 'w2',
  },
  {
    id: 'sweep',
    what: 'saturation sweep: 30 points (6 volumes × 5 domain shares), shortage: cap, JSONL out',
    input: '.jsonl',
    output: 'jsonl',
    workload: 'sweep',
  },
  {
    id: 'sweep-largest',
    what: "the sweep's largest point alone (top volume, domain 0.5)",
    input: '.jsonl',
    output: 'jsonl',
    workload: 'sweep',
  },
];

/** The study's grid (Yang et al., recipes/saturation-study.yaml) at 2 × 1M records. */
export const SWEEP_VOLUMES = [10_000, 20_000, 50_000, 100_000, 150_000, 200_000];
export const SWEEP_DOMAIN_SHARES = [0, 0.25, 0.5, 0.75, 1];

/**
 * The grid's volumes for `records` per source: the study's, times records / 1,000,000 when the
 * corpus is smaller (2 × 10k: 100 … 2,000), so every point asks the same share of the corpus as
 * at full size. Returns { volumes, scale, largest, largestFolder, expect } where expect is the
 * largest point's rows per group (checked like W1) and largestFolder its folder in the sweep.
 */
export function sweepGrid(records) {
  const scale = Math.min(1, records / 1_000_000);
  const volumes = SWEEP_VOLUMES.map((v) => Math.max(1, Math.round(v * scale)));
  const largest = volumes[volumes.length - 1];
  const domain = Math.round(largest * 0.5);
  return {
    volumes,
    scale,
    largest,
    largestFolder: `v${largest}-domain0.5`,
    expect: { domain, general: largest - domain },
  };
}

function sweepBlock(config, records) {
  const grid = sweepGrid(records);
  const mixture = [
    'mixture:',
    `  volume: ${grid.largest}`,
    '  shares: { domain: 0.5, general: 0.5 }',
    '  shortage: cap',
  ];
  if (config.id === 'sweep-largest') return mixture;
  return [
    ...mixture,
    'sweep:',
    `  volume: [${grid.volumes.join(', ')}]`,
    '  shares:',
    `    domain: [${SWEEP_DOMAIN_SHARES.join(', ')}]`,
  ];
}

const quote = (text) => JSON.stringify(text);

function outputBlock(format) {
  if (format === 'parquet') {
    return [
      'output:',
      '  format: parquet',
      '  schema: passthrough',
      '  provenance: false',
      '  parquet: { compression: zstd }',
    ];
  }
  return ['output:', `  format: ${format}`, '  schema: passthrough', '  provenance: false'];
}

/**
 * The W2 feature block, as issue #5 names it. The near-duplicate threshold is the one the
 * `datasets` + MinHash peer (bench/peers/datasets_w2.py, the datatrove/text-dedup recipe) works at:
 * 14 bands × 8 rows with no verification drop a pair from about Jaccard (1/14)^(1/8) = 0.72 up, so
 * mixsmith verifies at 0.7 rather than its default 0.8, and precision and recall compare like with
 * like. At 2 × 1M, 0.8 left 69 of 60,054 planted pairs (recall 0.727), 0.7 leaves 31 (recall 0.885),
 * precision 0.977 both (docs/benchmarks.md).
 */
function w2Features(dataDir) {
  return [
    'dedup:',
    '  exact: true',
    '  near: { threshold: 0.7 }',
    '  prefer: [domain, general]',
    'decontaminate:',
    '  eval:',
    `    - { name: eval, path: ${quote(`${dataDir}/eval.jsonl`)}, schema: alpaca }`,
  ];
}

/** Recipe text for one configuration over the corpus in `dataDir`. */
export function recipeFor(config, { dataDir, volume, seed, w2RecipeFile, records = volume }) {
  if (config.workload === 'w2' && w2RecipeFile) return readFileSync(w2RecipeFile, 'utf8').replaceAll('{data}', dataDir);
  const lines = [
    `# ${config.id}: ${config.what} (written by bench/run.mjs)`,
    `name: bench-${config.id.replace(/^mixsmith-/, '')}`,
    `seed: ${seed}`,
    'sources:',
    `  - { name: domain, group: domain, path: ${quote(`${dataDir}/domain${config.input}`)}, schema: alpaca }`,
    `  - { name: general, group: general, path: ${quote(`${dataDir}/general${config.input}`)}, schema: alpaca }`,
    ...(config.workload === 'sweep'
      ? sweepBlock(config, records)
      : ['mixture:', `  volume: ${volume}`, '  shares: { domain: 0.3, general: 0.7 }']),
    ...(config.workload === 'w2' ? w2Features(dataDir) : ['dedup: { exact: true, prefer: [domain, general] }']),
    ...outputBlock(config.output),
  ];
  return `${lines.join('\n')}\n`;
}

/** Expected rows per source for a volume split 30/70, as mixsmith's quotas round it. */
export function expectedRows(volume) {
  const domain = Math.round(volume * 0.3);
  return { domain, general: volume - domain };
}
