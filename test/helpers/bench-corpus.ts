/**
 * The benchmark's synthetic corpus (bench/gen-corpus.mjs: planted exact, normalised and near
 * duplicates, cross-source copies, an eval set partly quoted in training) written for a test, and
 * the W2 recipe the staged pipeline's executor tests run over it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const GENERATOR = path.resolve(import.meta.dirname, '../../bench/gen-corpus.mjs');

/** Writes the corpus into `out` (domain.jsonl, general.jsonl, eval.jsonl, truth files); `args`: gen-corpus options. */
export function writeBenchCorpus(out: string, args: Readonly<Record<string, string | number>>): void {
  const flags = Object.entries(args).flatMap(([name, value]) => [`--${name}`, String(value)]);
  execFileSync(process.execPath, [GENERATOR, '--out', out, ...flags], { stdio: 'pipe' });
}

/**
 * W2 (exact dedup, near-dup removal, decontamination) over a corpus in `corpus/` with 1,500 records
 * a source and 200 eval items: a 2 × 2 sweep that removes near pairs and quoted eval items.
 */
export function w2SweepRecipe(name: string): string {
  return `name: ${name}
seed: 11
sources:
  - { name: domain, group: domain, path: corpus/domain.jsonl }
  - { name: general, group: general, path: corpus/general.jsonl }
mixture:
  volume: 1000
  shares: { domain: 0.5, general: 0.5 }
  shortage: cap
split:
  validation: 50
dedup:
  near: { threshold: 0.8 }
decontaminate:
  eval:
    - { name: exam, path: corpus/eval.jsonl }
sweep:
  volume: [400, 1000]
  shares: { domain: [0.25, 0.75] }
`;
}

/** The corpus w2SweepRecipe expects, under `work/corpus`. */
export const writeW2Corpus = (work: string) =>
  writeBenchCorpus(path.join(work, 'corpus'), { n: 1500, 'eval-items': 200 });
