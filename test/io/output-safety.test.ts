/**
 * What --out and --force may never do (issue #24, H1 and H3): replace an input, the recipe, an
 * eval set or a tokenizer (or a folder holding one), replace a file, a device or a folder that
 * mixsmith did not write; and two runs racing for one --out must not both succeed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const root = tempDir();
let count = 0;

/** A project folder: recipe.yaml over data/med.jsonl and data/gen.jsonl, an eval file, a tokenizer. */
function project(extra = '') {
  const dir = path.join(root, `p${count++}`);
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeJsonl(path.join(dir, 'data', 'med.jsonl'), alpacaRecords('med', 60));
  writeJsonl(path.join(dir, 'data', 'gen.jsonl'), alpacaRecords('gen', 120));
  writeJsonl(path.join(dir, 'eval.jsonl'), alpacaRecords('evl', 5));
  const recipe = path.join(dir, 'recipe.yaml');
  writeFileSync(recipe, twoGroupRecipe({ medical: 'data/med.jsonl', general: 'data/gen.jsonl', volume: 50, extra }));
  return { dir, recipe };
}

const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();
const compose = (recipe: string, out: string, ...more: string[]) =>
  runCli(['compose', recipe, '--out', out, '--quiet', '--workers', '0', ...more]);

describe('--out is refused, even with --force, when it would destroy something', () => {
  it('an input file named as --out stays the input file', async () => {
    const { dir, recipe } = project();
    const input = path.join(dir, 'data', 'med.jsonl');
    const before = readFileSync(input);
    const run = await compose(recipe, input, '--force');
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('error[OUTPUT_UNSAFE]');
    expect(run.stderr).toContain('an input of source "med"');
    expect(readFileSync(input)).toEqual(before);
  });

  it('a folder holding the recipe or the inputs is kept whole', async () => {
    const { dir, recipe } = project();
    const before = listing(dir);
    for (const out of [dir, path.join(dir, 'data'), path.dirname(dir)]) {
      const run = await compose(recipe, out, '--force');
      expect(run.code, out).toBe(5);
      expect(run.stderr).toContain('error[OUTPUT_UNSAFE]');
    }
    expect(listing(dir)).toEqual(before);
  });

  it('a folder source keeps the output out of itself', async () => {
    const { dir } = project();
    const recipe = path.join(dir, 'folder.yaml');
    writeFileSync(
      recipe,
      twoGroupRecipe({ medical: 'data', general: 'data/gen.jsonl', volume: 20 }).replace(
        'medical: 0.3, general: 0.7',
        'medical: 0.5, general: 0.5',
      ),
    );
    const run = await compose(recipe, path.join(dir, 'data', 'mix'));
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/--out .*mix lies inside an input of source "med"/);
  });

  it('the eval set and the tokenizer are protected like inputs', async () => {
    const { dir, recipe } = project('decontaminate:\n  eval:\n    - { name: bench, path: eval.jsonl }\n');
    const run = await compose(recipe, path.join(dir, 'eval.jsonl'), '--force');
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('eval set "bench"');
    writeFileSync(path.join(dir, 'tok.json'), '{}');
    const withTokenizer = path.join(dir, 'tok.yaml');
    writeFileSync(
      withTokenizer,
      readFileSync(recipe, 'utf8').replace('mixture:\n', 'mixture:\n  tokenizer: { path: tok.json }\n'),
    );
    const tok = await compose(withTokenizer, path.join(dir, 'tok.json'), '--force');
    expect(tok.code).toBe(5);
    expect(tok.stderr).toContain('the tokenizer');
    expect(readFileSync(path.join(dir, 'tok.json'), 'utf8')).toBe('{}');
  });

  it('a symbolic link to an input is the input', async () => {
    const { dir, recipe } = project();
    const folderLink = path.join(dir, 'link-to-data');
    symlinkSync(path.join(dir, 'data'), folderLink);
    const fileLink = path.join(dir, 'link-to-med.jsonl');
    symlinkSync(path.join(dir, 'data', 'med.jsonl'), fileLink);
    const viaFolder = await compose(recipe, folderLink, '--force');
    expect(viaFolder.code).toBe(5);
    expect(viaFolder.stderr).toMatch(/link-to-data contains an input of source "med"/);
    const viaFile = await compose(recipe, fileLink, '--force');
    expect(viaFile.code).toBe(5);
    expect(viaFile.stderr).toMatch(/link-to-med.jsonl is an input of source "med"/);
    expect(listing(path.join(dir, 'data'))).toEqual(['gen.jsonl', 'med.jsonl']);
  });

  it('--force replaces neither a file, nor a pipe, nor a folder mixsmith did not write', async () => {
    const { dir, recipe } = project();
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'mine');
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const folder = path.join(dir, 'thesis');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'chapter1.tex'), 'mine');
    for (const out of [file, fifo, folder]) {
      const run = await compose(recipe, out, '--force');
      expect(run.code, out).toBe(5);
      expect(run.stderr).toContain('error[OUTPUT_UNSAFE]');
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(listing(folder)).toEqual(['chapter1.tex']);
  });

  it('--force replaces an earlier output or an empty folder', async () => {
    const { dir, recipe } = project();
    const out = path.join(dir, 'mix');
    expect((await compose(recipe, out)).code).toBe(0);
    expect((await compose(recipe, out)).code).toBe(5);
    expect((await compose(recipe, out, '--force')).code).toBe(0);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    expect((await compose(recipe, empty, '--force')).code).toBe(0);
    expect(listing(empty)).toContain('manifest.json');
  });
});

describe('two composes racing for one --out', () => {
  it('exactly one wins each round, the other gets OUTPUT_EXISTS, and the winner audits clean', async () => {
    const { dir, recipe } = project();
    for (let round = 0; round < 20; round++) {
      const out = path.join(dir, `race-${round}`);
      const runs = await Promise.all([compose(recipe, out), compose(recipe, out, '--set', 'seed=8')]);
      const codes = runs.map((r) => r.code).sort();
      expect(codes, `round ${round}`).toEqual([0, 5]);
      expect(runs.find((r) => r.code === 5)!.stderr).toContain('error[OUTPUT_EXISTS]');
      const audit = await runCli(['audit', out, '--quiet', '--no-near', '--workers', '0']);
      expect(audit.code, audit.stderr).toBe(0);
      expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
    }
  });
});

describe('audit --html (H2)', () => {
  const audit = (...args: string[]) => runCli(['audit', ...args, '--quiet', '--no-near', '--workers', '0']);

  it('never writes over an existing file without --force, and never over a folder, a pipe or the audited data', async () => {
    const { dir, recipe } = project();
    const out = path.join(dir, 'mix');
    expect((await compose(recipe, out)).code).toBe(0);
    const shard = path.join(out, readdirSync(out).find((name) => name.startsWith('train-'))!);
    const shardBytes = readFileSync(shard);
    const report = path.join(dir, 'report.html');
    writeFileSync(report, 'an earlier report');

    const exists = await audit(out, '--html', report);
    expect(exists.code).toBe(5);
    expect(exists.stderr).toContain('error[OUTPUT_EXISTS]');
    expect(readFileSync(report, 'utf8')).toBe('an earlier report');

    const forced = await audit(out, '--html', report, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(report, 'utf8')).toMatch(/^<!doctype html>/i);

    for (const target of [shard, path.join(out, 'report.html'), path.join(dir, 'data', 'med.jsonl')]) {
      const run = await audit(out, path.join(dir, 'data', 'med.jsonl'), '--html', target, '--force');
      expect(run.code, target).toBe(5);
      expect(run.stderr).toContain('error[OUTPUT_UNSAFE]');
    }
    expect(readFileSync(shard)).toEqual(shardBytes);
    expect(existsSync(path.join(out, 'report.html'))).toBe(false);

    const fifo = path.join(dir, 'report-pipe');
    execFileSync('mkfifo', [fifo]);
    const pipe = await audit(out, '--html', fifo, '--force');
    expect(pipe.code).toBe(5);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
  });
});
