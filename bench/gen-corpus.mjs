#!/usr/bin/env node
// bench/gen-corpus.mjs: mixsmith's deterministic synthetic corpus (no dependencies).
// Same arguments, byte-identical files. Written to a scratch folder, never committed.
//
//   node bench/gen-corpus.mjs --out .bench/corpus-100k --n 100000 --variants gz,zst
//
// Writes, for two sources (domain-like first, general-like second: also the dedup order):
//   OUT/domain.jsonl, OUT/general.jsonl   one record per line, "id" first (dom-0000000, gen-…)
//   OUT/<source>.jsonl.gz|.zst|.json       with --variants gz,zst,json (system gzip -6 / zstd -3)
//   OUT/eval.jsonl                         a multiple-choice eval set (alpaca shape, ids evl-…)
//   OUT/truth.json                         counts, planted kinds, W1 kept counts, sizes, sha256
//   OUT/truth.dropped.tsv                  id, first_id, within|cross for every non-first copy
//                                          of a normalised key (the format shared verify.mjs reads)
//   OUT/truth.neardups.jsonl               planted near-duplicate pairs {a, b, field, changed, tokens}
//   OUT/truth.contaminated.tsv             training id, eval id, source for every record quoting
//                                          an eval question (planted, or copied from one)
// Normalised key: norm(text fields joined by '\n'), norm = NFKC, lower-case, collapse white space, trim.
//
// Options [defaults]:
//   --n N [100000]             records per source (--n-domain / --n-general override)
//   --seed S [1]
//   --schema S [alpaca]        alpaca | sharegpt | openai (--schema-domain / --schema-general override)
//   --dup-rate R [0.08]        exact duplicates after normalisation (40 % verbatim, the rest
//                              white-space, case, Unicode-compatibility variants)
//   --near-rate R [0.03]       near duplicates (2-5 words or CJK characters changed)
//   --cross-rate R [0.002]     records present in both sources
//   --zh-rate R [0.15]         Chinese-like records
//   --long-rate R [0.004]      long records (a 20-200 KB document in the input field)
//   --eval-items N [1000]      eval set size; --eval-rate R [0.2] of them quoted in training
//   --variants LIST []         comma list of gz, zst, json
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { intArg, parseArgs, usageOf } from './lib/args.mjs';
import { compressVariants } from './lib/compress.mjs';
import { corpusPlan, SOURCES } from './lib/corpus-plan.mjs';
import { recordId } from './lib/corpus-source.mjs';
import { DedupTruth } from './lib/dedup-truth.mjs';
import { FileWriter } from './lib/file-writer.mjs';

const GENERATOR_VERSION = 1;

export const GENERATOR_DEFAULTS = {
  out: '',
  n: '100000',
  nDomain: '',
  nGeneral: '',
  seed: '1',
  schema: 'alpaca',
  schemaDomain: '',
  schemaGeneral: '',
  dupRate: '0.08',
  nearRate: '0.03',
  crossRate: '0.002',
  zhRate: '0.15',
  longRate: '0.004',
  evalItems: '1000',
  evalRate: '0.2',
  variants: '',
  help: '',
};

/** The options that define the corpus, normalised: equal objects mean byte-identical files. */
export function corpusOptions(args) {
  const n = intArg(args.n, 'n');
  return {
    version: GENERATOR_VERSION,
    seed: String(args.seed),
    records: {
      domain: args.nDomain ? intArg(args.nDomain, 'n-domain') : n,
      general: args.nGeneral ? intArg(args.nGeneral, 'n-general') : n,
    },
    schema: { domain: args.schemaDomain || args.schema, general: args.schemaGeneral || args.schema },
    rates: {
      dup: Number(args.dupRate),
      near: Number(args.nearRate),
      cross: Number(args.crossRate),
      zh: Number(args.zhRate),
      long: Number(args.longRate),
    },
    eval: { items: intArg(args.evalItems, 'eval-items'), rate: Number(args.evalRate) },
    variants: args.variants ? args.variants.split(',').filter(Boolean).sort() : [],
  };
}

function runSourceWorker(options, sourceIndex, dir) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./lib/source-worker.mjs', import.meta.url), {
      workerData: { options, sourceIndex, dir },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`source worker ${SOURCES[sourceIndex]} exited with ${code}`)),
    );
  });
}

/** Appends the workers' part files in source order and deletes them. */
function joinParts(dir, name) {
  const target = path.join(dir, name);
  writeFileSync(target, '');
  for (const source of SOURCES) {
    const part = path.join(dir, `.${name.replace(/\.(\w+)$/, `.${source}.part`)}`);
    appendFileSync(target, readFileSync(part));
    rmSync(part);
  }
}

export async function generateCorpus(options, dir, log = () => {}) {
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const { sizes, evalItems } = corpusPlan(options);
  const total = sizes[0] + sizes[1];
  const evalOut = new FileWriter(path.join(dir, 'eval.jsonl'));
  for (const item of evalItems) evalOut.write(`${JSON.stringify(item)}\n`);
  evalOut.close();

  // Both sources at once, one worker each; the cross-source truth needs only their key hashes.
  const written = await Promise.all(SOURCES.map((_, s) => runSourceWorker(options, s, dir)));
  log(`[gen] wrote ${SOURCES.join(' + ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  joinParts(dir, 'truth.neardups.jsonl');
  joinParts(dir, 'truth.contaminated.tsv');

  const dropped = new FileWriter(path.join(dir, 'truth.dropped.tsv'));
  const idOfGlobal = (g) => (g < sizes[0] ? recordId(SOURCES[0], g) : recordId(SOURCES[1], g - sizes[0]));
  const truth = new DedupTruth({ totalRecords: total, droppedWriter: dropped, idOfGlobal });
  const sources = {};
  let globalStart = 0;
  for (let s = 0; s < SOURCES.length; s++) {
    const { stats, hashes } = written[s];
    const exact = { records: sizes[s], kept: 0, dropped_within: 0, dropped_cross: 0 };
    const view = Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength);
    for (let i = 0; i < sizes[s]; i++) {
      const verdict = truth.observe(view.toString('latin1', i * 16, i * 16 + 16), globalStart + i, s, globalStart);
      if (verdict === 'kept') exact.kept++;
      else if (verdict === 'within') exact.dropped_within++;
      else exact.dropped_cross++;
    }
    sources[SOURCES[s]] = { ...stats, exact };
    globalStart += sizes[s];
    log(
      `[gen] ${SOURCES[s]}: ${stats.records} records, ${(stats.bytes / 1e6).toFixed(1)} MB, kept ${exact.kept}, dropped ${exact.dropped_within}+${exact.dropped_cross}`,
    );
  }
  dropped.close();

  const compressed = await compressVariants(
    SOURCES.map((s) => path.join(dir, `${s}.jsonl`)),
    options.variants,
  );
  for (const s of SOURCES) sources[s].files = { jsonl: sources[s].bytes, ...compressed[path.join(dir, `${s}.jsonl`)] };

  const truthJson = {
    generator: {
      name: 'mixsmith bench/gen-corpus.mjs',
      version: GENERATOR_VERSION,
      options,
      seconds: +((Date.now() - started) / 1000).toFixed(1),
    },
    normalisation:
      "key = norm(text fields joined by '\\n'); norm(s) = s.normalize('NFKC').toLowerCase().replace(/\\s+/g, ' ').trim()",
    text_fields: {
      alpaca: ['instruction', 'input', 'output'],
      openai: 'messages[].content (system included)',
      sharegpt: 'conversations[].value (system included)',
    },
    dedup_order: SOURCES,
    sources,
    global: { records: total, ...truth.summary() },
    w1: {
      description:
        'exact dedup on the normalised key, first occurrence wins, sources in dedup_order; then a seeded sample',
      kept: Object.fromEntries(SOURCES.map((s) => [s, sources[s].exact.kept])),
      sample: { domain: 30000, general: 70000 },
    },
    eval: {
      file: 'eval.jsonl',
      items: evalItems.length,
      quoted_records: Object.fromEntries(SOURCES.map((s) => [s, sources[s].injected.eval_quotes])),
    },
  };
  writeFileSync(path.join(dir, 'truth.json'), `${JSON.stringify(truthJson, null, 2)}\n`);
  log(`[gen] done in ${truthJson.generator.seconds} s -> ${dir}`);
  return truthJson;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = parseArgs(process.argv.slice(2), GENERATOR_DEFAULTS);
  if (args.help || !args.out) {
    console.error(usageOf(readFileSync(new URL(import.meta.url), 'utf8')));
    process.exitCode = args.help ? 0 : 2;
  } else {
    await generateCorpus(corpusOptions(args), args.out, (line) => console.error(line));
  }
}
