/**
 * The staged pipeline (facts → SQL select → materialize → assemble) writes the bytes compose
 * writes: every shard, removed.jsonl, manifest (less its run block), sweep index and layout file,
 * with 1 and with 7 map parts and 3 materialize parts, over the facts corpus's recipes (exact,
 * normalised and cross-group duplicates in JSONL, gzip, a JSON array and CSV; dedup off; cap,
 * repeat and redistribute over sweeps; strata; a token budget with strata; another seed and prefer),
 * and near-duplicate removal with decontamination on a corpus where they force compose to rescan.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { planMixture } from '../../src/plan/plan.js';
import { parseRecipe } from '../../src/recipe/load.js';
import type { LoadedRecipe } from '../../src/recipe/types.js';
import { loadEvalSets } from '../../src/select/eval-sets.js';
import { scanWithRoom } from '../../src/select/scan-with-room.js';
import { DuckDbEngine } from '../../src/select/sql/duckdb-engine.js';
import type { FactsFileInfo } from '../../src/stages/facts-stage.js';
import { runStaged } from '../../src/stages/run-stages.js';
import { writeBenchCorpus } from '../helpers/bench-corpus.js';
import { alpacaRecords, writeJsonl } from '../helpers/corpus.js';
import { FACT_RECIPES, writeFactsCorpus } from '../helpers/facts-corpus.js';
import { tree } from '../helpers/staged.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
beforeAll(() => writeFactsCorpus(dir));

let runs = 0;
async function composed(text: string): Promise<Map<string, string>> {
  const out = path.join(dir, `compose-${runs++}`);
  await compose(parseRecipe(text, 'r.yaml', dir), { out, workers: 0 });
  return tree(out);
}

async function staged(text: string, mapParts: number, materializeParts: number): Promise<Map<string, string>> {
  const n = runs++;
  const out = path.join(dir, `staged-${n}`);
  await runStaged(parseRecipe(text, 'r.yaml', dir), {
    dir: path.join(dir, `work-${n}`),
    out,
    mapParts,
    materializeParts,
    workers: 0,
  });
  return tree(out);
}

/** The staged pipeline, with each [map parts, materialize parts], writes `expected` (working folders under `root`). */
async function expectStagedAsComposed(
  loaded: () => LoadedRecipe,
  root: string,
  expected: Map<string, string>,
  parts: readonly (readonly [number, number])[],
): Promise<void> {
  for (const [mapParts, materializeParts] of parts) {
    const n = runs++;
    await runStaged(loaded(), {
      dir: path.join(root, `work-${n}`),
      out: path.join(root, `staged-${n}`),
      mapParts,
      materializeParts,
      workers: 0,
    });
    expect(tree(path.join(root, `staged-${n}`)), `${mapParts} × ${materializeParts} parts`).toEqual(expected);
  }
}

describe('the staged pipeline writes what compose writes', () => {
  it.each(FACT_RECIPES)('%s', async (_, text) => {
    const expected = await composed(text);
    expect(expected.size).toBeGreaterThan(2);
    expect(await staged(text, 1, 1)).toEqual(expected);
    expect(await staged(text, 7, 3)).toEqual(expected);
  });
});

describe("the staged pipeline keeps compose's per-record rules", () => {
  it('passthrough with provenance, bad records skipped, shards by rows, every layout: the same bytes', async () => {
    const own = path.join(dir, 'passthrough');
    mkdirSync(own, { recursive: true });
    const records = alpacaRecords('p', 400).map((r, i) =>
      // A record carrying a provenance field of its own is invalid under passthrough + provenance;
      // another lacks its instruction; another is not JSON.
      i === 7 ? { ...r, source: 'mine' } : i === 11 ? { input: r.input, output: r.output } : r,
    );
    writeJsonl(path.join(own, 'a.jsonl'), records);
    writeFileSync(path.join(own, 'b.jsonl'), `${JSON.stringify(alpacaRecords('q', 300)[0])}\n{not json\n`);
    writeJsonl(path.join(own, 'c.jsonl'), alpacaRecords('q', 300));
    const text = `name: passthrough
seed: 5
sources:
  - { name: a, group: one, path: [a.jsonl, b.jsonl], on_error: skip, schema: alpaca, filters: { min_chars: 30 } }
  - { name: c, group: two, path: c.jsonl }
mixture:
  volume: 500
  shares: { one: 0.5, two: 0.5 }
  shortage: cap
split:
  validation: 20
output:
  schema: passthrough
  provenance: true
  max_rows_per_shard: 70
`;
    const loaded = () => parseRecipe(text, 'r.yaml', own);
    const out = path.join(own, 'composed');
    await compose(loaded(), { out, workers: 0 });
    const expected = tree(out);
    const manifest = JSON.parse(expected.get('manifest.json')!);
    expect(manifest.sources.a.invalid).toBeGreaterThanOrEqual(2);
    expect(Object.keys(manifest.sources.a.invalidByCode).length).toBeGreaterThanOrEqual(2);
    expect([...expected.keys()].filter((k) => k.startsWith('train-')).length).toBeGreaterThan(3);
    await expectStagedAsComposed(loaded, own, expected, [
      [1, 1],
      [3, 2],
    ]);
    // As compose, assemble never writes over the inputs, --force or not.
    const run = runStaged(loaded(), {
      dir: path.join(own, 'work-0'),
      out: own,
      force: true,
      mapParts: 1,
      materializeParts: 1,
    });
    await expect(run).rejects.toMatchObject({ code: 'OUTPUT_UNSAFE' });
    expect(tree(own).get('a.jsonl')).toBeDefined();
  });
});

describe('the staged pipeline runs near-duplicate removal and decontamination as compose does', () => {
  const own = path.join(dir, 'filters');
  beforeAll(() => {
    // Many planted near pairs and an eval set quoted by most of its items: the filters remove more
    // than compose's first margin of room, so compose scans again (asserted below).
    writeBenchCorpus(own, { n: 2500, 'near-rate': 0.45, 'eval-items': 300, 'eval-rate': 0.9 });
  });
  const recipe = (extra = '') => `name: filters
seed: 3
sources:
  - { name: domain, group: domain, path: [domain.jsonl] }
  - { name: general, group: general, path: [general.jsonl] }
mixture:
  volume: "250k tokens"
  tokenizer: chars
  shares: { domain: 0.5, general: 0.5 }
  shortage: redistribute
  strata:
    general:
      - { name: long, min_chars: 1000, share: 0.3 }
split:
  validation: 0.05
dedup:
  exact: false
  near: { threshold: 0.7 }
decontaminate:
  eval:
    - { name: exam, path: eval.jsonl }
${extra}`;

  it('a token budget with strata, exact dedup off, a rescan for room: the same bytes with 1×1 and 7×3 parts', async () => {
    const loaded = () => parseRecipe(recipe(), 'r.yaml', own);
    const plan = planMixture(loaded().recipe);
    const scanned = await scanWithRoom(loaded(), plan, {
      workers: 0,
      evalMatcher: await loadEvalSets(loaded(), {}),
    });
    expect(scanned.scans).toBeGreaterThan(1);
    const out = path.join(own, 'composed');
    await compose(loaded(), { out, workers: 0 });
    const expected = tree(out);
    const removed = expected.get('removed.jsonl')!;
    expect(removed.match(/"reason":"dup-near"/g)!.length).toBeGreaterThan(500);
    expect(removed.match(/"reason":"contaminated"/g)!.length).toBeGreaterThan(100);
    await expectStagedAsComposed(loaded, own, expected, [
      [1, 1],
      [7, 3],
    ]);
  });

  it('a pool the filters empty beyond every rescan: compose keeps the whole pool to select exactly, and says so; the stages agree', async () => {
    // The eval set is the domain source itself: every domain record is contaminated, and a pool
    // over 100 times the quota outgrows the room of compose's rescans.
    const text = recipe()
      .replace('volume: "250k tokens"', 'volume: 20')
      .replace('path: eval.jsonl', 'path: domain.jsonl')
      .replace('shortage: redistribute', 'shortage: cap')
      .replace('validation: 0.05', 'validation: 0');
    const loaded = () => parseRecipe(text, 'r.yaml', own);
    const plan = planMixture(loaded().recipe);
    const scanned = await scanWithRoom(loaded(), plan, { workers: 0, evalMatcher: await loadEvalSets(loaded(), {}) });
    expect(scanned.scans).toBe(7);
    const out = path.join(own, 'composed-short');
    await compose(loaded(), { out, workers: 0 });
    const expected = tree(out);
    const manifest = JSON.parse(expected.get('manifest.json')!);
    // Before: 400 of 2,500 domain records examined, the group reported short with records left.
    expect(manifest.groups.domain.selected).toBe(0);
    expect(manifest.evidence.warnings.join('\n')).toContain('a last scan kept all of its records');
    expect(manifest.evidence.warnings.join('\n')).toContain('group "domain" is empty after decontamination');
    expect(expected.get('removed.jsonl')!.match(/"reason":"contaminated"/g)).toHaveLength(2500);
    await runStaged(loaded(), {
      dir: path.join(own, 'work-short'),
      out: path.join(own, 'staged-short'),
      mapParts: 2,
      materializeParts: 1,
      workers: 0,
    });
    expect(tree(path.join(own, 'staged-short'))).toEqual(expected);
  });
});

describe('facts parts cut large JSONL files between lines', () => {
  const own = path.join(dir, 'pieces');
  beforeAll(() => {
    mkdirSync(own, { recursive: true });
    const records = alpacaRecords('m', 2500).map((r, i) =>
      i % 97 === 0 ? { ...r, output: `${r.output} ${'long '.repeat(2000)}` } : r,
    );
    // CRLF line ends, blank lines, a byte-order mark, a broken line, and first lines `auto` cannot
    // read: a piece must number, map and skip exactly as the whole-file scan.
    const lines = records.map(
      (r, i) => `${JSON.stringify(r)}${i % 5 === 0 ? '\r\n' : '\n'}${i % 11 === 0 ? '\n  \n' : ''}`,
    );
    lines.splice(600, 0, '{"instruction": "cut short\n');
    // Chat records in the middle: invalid under the alpaca mapper the file's first records decide,
    // valid for a piece that would decide its mapper from its own first record.
    lines.splice(
      1200,
      0,
      ...Array.from(
        { length: 400 },
        (_, i) =>
          `${JSON.stringify({
            messages: [
              { role: 'user', content: `chat ${i} ${'words '.repeat(40)}` },
              { role: 'assistant', content: `reply ${i}` },
            ],
          })}\n`,
      ),
    );
    writeFileSync(path.join(own, 'big.jsonl'), `\ufeff{"what": 1}\n[2]\n${lines.join('')}`);
    writeJsonl(path.join(own, 'other.jsonl'), alpacaRecords('o', 900));
    writeFileSync(
      path.join(own, 'small.jsonl.gz'),
      gzipSync(
        alpacaRecords('g', 200)
          .map((r) => JSON.stringify(r))
          .join('\n'),
      ),
    );
  });
  const text = `name: pieces
seed: 9
sources:
  - { name: big, group: one, path: big.jsonl, on_error: skip }
  - { name: rest, group: two, path: [other.jsonl, small.jsonl.gz, big.jsonl], on_error: skip }
mixture:
  volume: 1200
  shares: { one: 0.5, two: 0.5 }
  shortage: cap
split:
  validation: 30
dedup:
  near: { threshold: 0.8 }
`;

  it("5 and 13 map parts (pieces of big.jsonl and other.jsonl, whole gzip) give compose's bytes", async () => {
    const loaded = () => parseRecipe(text, 'r.yaml', own);
    const out = path.join(own, 'composed');
    await compose(loaded(), { out, workers: 0 });
    const expected = tree(out);
    expect(JSON.parse(expected.get('manifest.json')!).sources.big.invalid).toBe(403);
    for (const mapParts of [5, 13]) {
      const n = runs++;
      const work = path.join(own, `work-${n}`);
      await runStaged(loaded(), {
        dir: work,
        out: path.join(own, `staged-${n}`),
        mapParts,
        materializeParts: 2,
        workers: 0,
      });
      expect(tree(path.join(own, `staged-${n}`))).toEqual(expected);
      // The parts did read pieces: big.jsonl is in several parts, each piece once.
      const pieces = (await partFiles(work)).filter((f) => f.displayPath === 'big.jsonl' && f.piece);
      expect(pieces.length).toBeGreaterThan(mapParts / 2);
    }
  });
});

/** Every facts part's file list, in part order. */
async function partFiles(work: string): Promise<FactsFileInfo[]> {
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const files: FactsFileInfo[] = [];
    for (const name of readdirSync(path.join(work, 'facts')).sort()) {
      const meta = JSON.parse((await engine.parquetMetadata(path.join(work, 'facts', name))).mixsmith!);
      files.push(...meta.files);
    }
    return files;
  } finally {
    engine.close();
  }
}

describe('facts parts cut Parquet files between row groups', () => {
  const own = path.join(dir, 'row-groups');
  beforeAll(async () => {
    mkdirSync(own, { recursive: true });
    writeJsonl(path.join(own, 'rows.jsonl'), alpacaRecords('r', 12_000));
    writeJsonl(path.join(own, 'small.jsonl'), alpacaRecords('s', 700));
    const engine = await DuckDbEngine.open(':memory:');
    try {
      await engine.run(
        `COPY (SELECT * FROM read_json('${path.join(own, 'rows.jsonl')}') ) TO '${path.join(own, 'rows.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
      );
    } finally {
      engine.close();
    }
  });

  it("5 map parts read the row groups of one Parquet file in pieces and give compose's bytes", async () => {
    const text = `name: row-groups
seed: 4
sources:
  - { name: table, group: one, path: rows.parquet }
  - { name: lines, group: two, path: small.jsonl }
mixture:
  volume: 2000
  shares: { one: 0.7, two: 0.3 }
  shortage: cap
split:
  validation: 40
`;
    const loaded = () => parseRecipe(text, 'r.yaml', own);
    const out = path.join(own, 'composed');
    await compose(loaded(), { out, workers: 0 });
    const expected = tree(out);
    const n = runs++;
    const work = path.join(own, `work-${n}`);
    await runStaged(loaded(), {
      dir: work,
      out: path.join(own, `staged-${n}`),
      mapParts: 5,
      materializeParts: 2,
      workers: 0,
    });
    expect(tree(path.join(own, `staged-${n}`))).toEqual(expected);
    const pieces = (await partFiles(work)).filter((f) => f.displayPath === 'rows.parquet');
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    expect(pieces.every((p) => p.piece?.unit === 'rows' && p.piece.total === 12_000)).toBe(true);
    expect(pieces.map((p) => p.records).reduce((a, b) => a + b)).toBe(12_000);
  });
});
