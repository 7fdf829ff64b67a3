/**
 * Near-duplicate precision and recall on the synthetic corpus of ../shared/bench/gen.mjs.
 *
 * What counts as truth (docs/near-dup.md): after exact dedup, every pair of records whose exact
 * Jaccard on our shingle sets is ≥ 0.8, found by an exact all-pairs join (no MinHash, no LSH). That
 * includes the planted pairs that stay above 0.8 and the pairs the generator made implicitly (a
 * near copy of a near copy, two near copies of one record). The ideal filter is the same greedy
 * rule run on those exact pairs; the measured one is MinHash + LSH + verification. Precision and
 * recall compare the records each one drops. Planted pairs are reported on their own too.
 */
import { execFileSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NEAR_DUP_SETTINGS } from '../../src/near-dup/defaults.js';
import { jaccard } from '../../src/near-dup/jaccard.js';
import { MinHasher } from '../../src/near-dup/minhash.js';
import { NearDupIndex } from '../../src/near-dup/near-dup-index.js';
import { DEFAULT_SHINGLE_OPTIONS, resolveUnit, shingles } from '../../src/text/shingles.js';
import { normalizeForTokens } from '../../src/text/normalize.js';
import { tempDir } from '../helpers/temp.js';
import { allPairsAtLeast } from './helpers/all-pairs.js';

const GEN = process.env.MIXSMITH_BENCH_GEN ?? path.resolve(import.meta.dirname, '../../../shared/bench/gen.mjs');
const hasGen = existsSync(GEN);
if (!hasGen) {
  if (process.env.CI === 'true') throw new Error(`${GEN} is missing under CI; set MIXSMITH_BENCH_GEN`);
  process.stderr.write(`\nNOTICE: synthetic near-dup precision/recall skipped: ${GEN} not found\n`);
}

const THRESHOLD = DEFAULT_NEAR_DUP_SETTINGS.threshold;

interface Corpus {
  ids: string[];
  texts: string[];
  planted: { a: string; b: string }[];
}

/** Records of both sources, exact duplicates (bench normalisation) removed, first copy kept. */
function readCorpus(dir: string): Corpus {
  const ids: string[] = [];
  const texts: string[] = [];
  const keys = new Set<string>();
  for (const source of ['domain', 'general']) {
    for (const line of readFileSync(path.join(dir, `${source}.jsonl`), 'utf8').split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as { id: string; instruction: string; input: string; output: string };
      const text = [record.instruction, record.input, record.output].join('\n');
      const key = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
      if (keys.has(key)) continue;
      keys.add(key);
      ids.push(record.id);
      texts.push(text);
    }
  }
  const planted = readFileSync(path.join(dir, 'truth.neardups.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { a: string; b: string });
  return { ids, texts, planted };
}

/** Greedy filter over `order`; `isMatch` says whether an item matches any accepted one. */
function greedy(
  order: readonly number[],
  decide: (item: number, accepted: Set<number>) => number | undefined,
): Map<number, number> {
  const accepted = new Set<number>();
  const dropped = new Map<number, number>();
  for (const item of order) {
    const match = decide(item, accepted);
    if (match === undefined) accepted.add(item);
    else dropped.set(item, match);
  }
  return dropped;
}

/** Independent check of one pair's Jaccard on shingle *strings* (no hashing): guards against collisions. */
function stringJaccard(a: string, b: string): number {
  const cjk = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30fc\\u3005\\u3006';
  const word = new RegExp(`[${cjk}]|(?:(?![${cjk}])[\\p{L}\\p{N}\\p{M}])+`, 'gu');
  const char = new RegExp(`[${cjk}\\p{L}\\p{N}\\p{M}]`, 'gu');
  const set = (text: string) => {
    const normalized = normalizeForTokens(text);
    const unit = resolveUnit(normalized, 'auto');
    const tokens = normalized.match(unit === 'word' ? word : char) ?? [];
    const size = Math.min(
      unit === 'word' ? DEFAULT_SHINGLE_OPTIONS.wordSize : DEFAULT_SHINGLE_OPTIONS.charSize,
      tokens.length,
    );
    const out = new Set<string>();
    for (let i = 0; i + size <= tokens.length && size > 0; i++) out.add(tokens.slice(i, i + size).join('\u0001'));
    return out;
  };
  const x = set(a);
  const y = set(b);
  let common = 0;
  for (const s of x) if (y.has(s)) common++;
  return common / (x.size + y.size - common);
}

describe.skipIf(!hasGen)('near-dup on the gen.mjs corpus (n = 20000 per source)', () => {
  it('reaches precision ≥ 0.99 and recall ≥ 0.95 at Jaccard ≥ 0.8', () => {
    const dir = tempDir('mixsmith-neardup-');
    execFileSync(process.execPath, [GEN, '--out', dir, '--n', '20000'], { stdio: 'ignore' });
    const { ids, texts, planted } = readCorpus(dir);
    const started = performance.now();
    const sets = texts.map((t) => shingles(t));
    const hasher = new MinHasher({
      permutations: DEFAULT_NEAR_DUP_SETTINGS.bands * DEFAULT_NEAR_DUP_SETTINGS.rows,
      seed: DEFAULT_NEAR_DUP_SETTINGS.seed,
    });
    const signatures = sets.map((s) => hasher.signature(s));
    const shingleMs = performance.now() - started;

    // Priority order as the pipeline makes it: md5(seed:key), here on the raw text.
    const priority = texts.map((t) => hash('md5', `42:${t}`, 'hex'));
    const order = Array.from(texts.keys()).sort((a, b) => (priority[a]! < priority[b]! ? -1 : 1));

    const index = new NearDupIndex<number>(DEFAULT_NEAR_DUP_SETTINGS);
    const lshStarted = performance.now();
    const lshDropped = greedy(order, (item) => {
      const match = index.offer(item, sets[item]!, signatures[item]!);
      return match?.matchId;
    });
    const lshMs = performance.now() - lshStarted;

    const truthPairs = allPairsAtLeast(sets, THRESHOLD);
    const neighbours = new Map<number, number[]>();
    for (const { a, b } of truthPairs) {
      neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
      neighbours.set(b, [...(neighbours.get(b) ?? []), a]);
    }
    const exactDropped = greedy(order, (item, accepted) => neighbours.get(item)?.find((n) => accepted.has(n)));

    let agree = 0;
    for (const item of lshDropped.keys()) if (exactDropped.has(item)) agree++;
    const precision = agree / lshDropped.size;
    const recall = agree / exactDropped.size;

    // Every drop must cite a pair that really is ≥ 0.8 (verification), and no truth pair survives whole.
    let citedBelow = 0;
    for (const [item, match] of lshDropped) if (jaccard(sets[item]!, sets[match]!) < THRESHOLD) citedBelow++;
    const residual = truthPairs.filter(({ a, b }) => !lshDropped.has(a) && !lshDropped.has(b)).length;

    const indexOf = new Map(ids.map((id, i) => [id, i]));
    const plantedAbove = planted
      .map(({ a, b }) => [indexOf.get(a), indexOf.get(b)] as const)
      .filter((p): p is readonly [number, number] => p[0] !== undefined && p[1] !== undefined)
      .filter(([a, b]) => jaccard(sets[a]!, sets[b]!) >= THRESHOLD);
    const plantedResolved = plantedAbove.filter(([a, b]) => lshDropped.has(a) || lshDropped.has(b)).length;
    const hashingAgrees = plantedAbove.every(
      ([a, b]) => Math.abs(stringJaccard(texts[a]!, texts[b]!) - jaccard(sets[a]!, sets[b]!)) < 1e-9,
    );

    const { candidates, rejectedCandidates } = index.stats;
    console.log(
      [
        `near-dup on gen.mjs --n 20000: ${texts.length} distinct records, ${truthPairs.length} pairs with exact Jaccard ≥ ${THRESHOLD}`,
        `  dropped: LSH ${lshDropped.size}, exact greedy ${exactDropped.size}, both ${agree}`,
        `  precision ${precision.toFixed(4)}  recall ${recall.toFixed(4)}`,
        `  truth pairs left whole in the output: ${residual}; drops citing a pair below ${THRESHOLD}: ${citedBelow}`,
        `  planted pairs ≥ ${THRESHOLD}: ${plantedAbove.length} of ${planted.length}, resolved ${plantedResolved} (${((plantedResolved / plantedAbove.length) * 100).toFixed(2)} %)`,
        `  LSH candidates ${candidates}, rejected by exact Jaccard ${rejectedCandidates}`,
        `  time: shingles + signatures ${(shingleMs / 1000).toFixed(1)} s, greedy LSH filter ${(lshMs / 1000).toFixed(1)} s`,
      ].join('\n'),
    );

    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(citedBelow).toBe(0);
    expect(plantedResolved / plantedAbove.length).toBeGreaterThanOrEqual(0.95);
    expect(hashingAgrees).toBe(true);
  }, 300_000);
});
