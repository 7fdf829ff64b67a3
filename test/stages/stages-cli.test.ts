/**
 * The stage commands from the command line: a 30-point sweep over the bench corpus (exact,
 * normalised, Unicode-compatibility and cross-source duplicates; plain, gzip and JSON-array
 * inputs) through `facts` ×7, `select`, `materialize` ×3 and `assemble` gives compose's bytes;
 * so does W2 (near duplicates and decontamination on top); parts already done are skipped;
 * missing parts and parts of another Unicode version or recipe are refused with their codes.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/select/sql/duckdb-engine.js';
import { writeBenchCorpus } from '../helpers/bench-corpus.js';
import { runCli } from '../helpers/cli.js';
import { tree } from '../helpers/staged.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-stages-cli-');
const recipe = path.join(dir, 'sweep.yaml');
const volumes = [200, 400, 600, 800, 1000, 1200];
const shares = [0, 0.25, 0.5, 0.75, 1];

beforeAll(() => {
  writeBenchCorpus(path.join(dir, 'corpus'), { n: 1500, variants: 'gz,json', 'eval-items': 20 });
  writeFileSync(
    recipe,
    `name: staged-sweep
seed: 11
sources:
  - { name: domain, group: domain, path: [corpus/domain.jsonl.gz] }
  - { name: general, group: general, path: [corpus/general.json, corpus/domain.jsonl] }
mixture:
  volume: 1000
  shares: { domain: 0.5, general: 0.5 }
  shortage: cap
split:
  validation: 50
sweep:
  volume: [${volumes.join(', ')}]
  shares: { domain: [${shares.join(', ')}] }
`,
  );
});

async function ok(argv: string[]) {
  const run = await runCli(argv);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return run;
}

async function stagesOf(work: string, out: string, mapParts: number, materializeParts: number, file = recipe) {
  for (let i = 1; i <= mapParts; i++)
    await ok(['facts', file, '--dir', work, '--part', `${i}/${mapParts}`, '--workers', '0']);
  const select = await ok(['select', file, '--dir', work]);
  for (let j = 1; j <= materializeParts; j++)
    await ok(['materialize', file, '--dir', work, '--part', `${j}/${materializeParts}`, '--workers', '0']);
  await ok(['assemble', file, '--dir', work, '--out', out]);
  return select;
}

/** Rewrite a facts part with the same rows and its metadata's Unicode version set to `unicode`. */
async function setUnicode(file: string, unicode: string): Promise<void> {
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const meta = JSON.parse((await engine.parquetMetadata(file)).mixsmith!);
    await engine.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${file}')`);
    await engine.copyToParquet('SELECT * FROM t ORDER BY "row"', file, {
      mixsmith: JSON.stringify({ ...meta, unicode }),
    });
  } finally {
    engine.close();
  }
}

describe('stage commands', () => {
  it('a 30-point sweep: compose and facts ×7 → select → materialize ×3 → assemble write the same bytes', async () => {
    await ok(['compose', recipe, '--out', path.join(dir, 'composed'), '--workers', '0']);
    const expected = tree(path.join(dir, 'composed'));
    expect([...expected.keys()].filter((k) => k.endsWith('manifest.json'))).toHaveLength(30);
    const first = [...expected.keys()].find((k) => k.endsWith('manifest.json'))!;
    expect(JSON.parse(expected.get(first)!).selection.unicode).toBe(process.versions.unicode);
    const work = path.join(dir, 'work-7x3');
    await stagesOf(work, path.join(dir, 'staged'), 7, 3);
    expect(tree(path.join(dir, 'staged'))).toEqual(expected);

    // Every stage again: each part is found done and skipped; a second assembly gives the same bytes.
    const again = await runCli(['facts', recipe, '--dir', work, '--part', '3/7', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, written: false });
    expect(JSON.parse((await runCli(['select', recipe, '--dir', work, '--json'])).stdout)).toMatchObject({
      written: false,
    });
    await stagesOf(work, path.join(dir, 'staged-again'), 7, 3);
    expect(tree(path.join(dir, 'staged-again'))).toEqual(expected);
  });

  it('refuses to select before every facts part is there, naming the missing ones', async () => {
    const work = path.join(dir, 'work-missing');
    await ok(['facts', recipe, '--dir', work, '--part', '2/3', '--workers', '0']);
    const run = await runCli(['select', recipe, '--dir', work, '--json']);
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'STAGE_INCOMPLETE' });
    expect(run.stdout).toContain('1/3, 3/3');
    expect(existsSync(path.join(work, 'selection.json'))).toBe(false);
  });

  it('refuses facts parts of another Unicode version (a part whose metadata says so)', async () => {
    const work = path.join(dir, 'work-unicode');
    for (const part of ['1/2', '2/2']) await ok(['facts', recipe, '--dir', work, '--part', part, '--workers', '0']);
    // Rewrite part 2 with the same rows and its metadata's Unicode version changed.
    await setUnicode(path.join(work, 'facts', 'part-00002-of-00002.parquet'), '15.1');
    const run = await runCli(['select', recipe, '--dir', work, '--json']);
    expect(run.code).toBe(4);
    const error = JSON.parse(run.stdout).error;
    expect(error).toMatchObject({ code: 'STAGE_MISMATCH' });
    expect(error.message).toContain(`Unicode 15.1, part part-00001-of-00002 of Unicode ${process.versions.unicode}`);
    expect(existsSync(path.join(work, 'selection.json'))).toBe(false);

    // Parts of one version (here both say 15.1) are taken, and the manifest records the keys' version.
    await setUnicode(path.join(work, 'facts', 'part-00001-of-00002.parquet'), '15.1');
    await ok(['select', recipe, '--dir', work]);
    await ok(['materialize', recipe, '--dir', work, '--workers', '0']);
    await ok(['assemble', recipe, '--dir', work, '--out', path.join(dir, 'out-15.1')]);
    const manifests = [...tree(path.join(dir, 'out-15.1')).entries()].filter(([k]) => k.endsWith('manifest.json'));
    expect(manifests).toHaveLength(30);
    for (const [, text] of manifests) expect(JSON.parse(text).selection.unicode).toBe('15.1');
  });

  it('refuses parts made from another recipe', async () => {
    const work = path.join(dir, 'work-recipe');
    await ok(['facts', recipe, '--dir', work, '--part', '1/1', '--workers', '0']);
    const run = await runCli(['select', recipe, '--dir', work, '--set', 'seed=12', '--json']);
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'STAGE_MISMATCH' });
    // A rerun of the facts stage with the changed recipe does not skip the old part silently.
    const facts = await runCli(['facts', recipe, '--dir', work, '--set', 'seed=12', '--json']);
    expect(facts.code).toBe(4);
    expect(JSON.parse(facts.stdout).error).toMatchObject({ code: 'STAGE_MISMATCH' });
  });

  it("W2 (exact + near-dup + decontamination) over the sweep: facts ×7 → select → materialize ×3 → assemble write compose's bytes", async () => {
    const w2 = path.join(dir, 'w2.yaml');
    writeFileSync(
      w2,
      `${readFileSync(recipe, 'utf8')}dedup:\n  near: { threshold: 0.8 }\ndecontaminate:\n  eval:\n    - { name: exam, path: corpus/eval.jsonl }\n`,
    );
    await ok(['compose', w2, '--out', path.join(dir, 'w2-composed'), '--workers', '0']);
    const expected = tree(path.join(dir, 'w2-composed'));
    const removed = expected.get('removed.jsonl')!.split('\n');
    expect(removed.filter((l) => l.includes('"reason":"dup-near"')).length).toBeGreaterThan(5);
    expect(removed.filter((l) => l.includes('"reason":"contaminated"')).length).toBeGreaterThan(0);
    const manifest = JSON.parse(expected.get('v1000-domain0.5/manifest.json')!);
    expect(manifest.evidence.nearDup.accepted).toBeGreaterThan(0);
    expect(manifest.evidence.decontamination[0].itemsHit).toBeGreaterThan(0);
    await stagesOf(path.join(dir, 'work-w2'), path.join(dir, 'w2-staged'), 7, 3, w2);
    expect(tree(path.join(dir, 'w2-staged'))).toEqual(expected);
  });

  it('takes --part only as i/N', async () => {
    const run = await runCli(['facts', recipe, '--dir', path.join(dir, 'w'), '--part', '4/3', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'USAGE' });
    expect(readdirSync(dir)).not.toContain('w');
  });
});
