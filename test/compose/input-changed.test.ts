/**
 * An input modified between the scan and the write is INPUT_CHANGED, never a silently different
 * output, whichever way the re-read checks it: the whole file against the scan's sha256 (plain
 * files of which a good share is wanted) or each record's bytes (sparse picks: their crc32). Compressed JSONL is
 * not read again: the scan keeps a copy of its candidates, so its output is what the scan read.
 * The change is made from the `write` phase event, after the scan has seen the file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { MixsmithError } from '../../src/errors.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { alpacaRecords } from '../helpers/corpus.js';
import { readSplit } from '../helpers/outputs.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-changed-');
const records = alpacaRecords('rec', 2000);
const lines = records.map((r) => JSON.stringify(r));

const recipe = (file: string, volume: number) => `name: changed
seed: 5
sources:
  - { name: src, group: all, path: ${JSON.stringify(file)}, schema: alpaca }
mixture:
  volume: ${volume}
  shares: { all: 1 }
output:
  provenance: true
`;

/** Line numbers (1-based) of the records a run picks, and of some it leaves out. */
function picked(out: string): { chosen: number[]; left: number[] } {
  const chosen = readSplit(out, 'train').map((r) => Number(String(r.origin).split(':').pop()));
  const set = new Set(chosen);
  return { chosen, left: lines.map((_, i) => i + 1).filter((n) => !set.has(n)) };
}

/** Line `n` with one digit changed: same length, different content key. */
function changedLine(n: number): string {
  const line = lines[n - 1]!;
  const at = line.search(/[0-9]/);
  return `${line.slice(0, at)}${line[at] === '9' ? '8' : '9'}${line.slice(at + 1)}`;
}

/** Render workers for the write phase: 0 renders on the main thread; with 2, JSONL records read by offset are rendered in workers. */
let workers = 0;

async function run(name: string, file: string, volume: number, onWrite?: () => void) {
  const out = path.join(dir, `${name}-w${workers}`);
  const loaded = parseRecipe(recipe(file, volume), 'recipe.yaml', dir, { set: [] });
  const onEvent = (event: { type: string; phase?: string }) => {
    if (event.type === 'phase' && event.phase === 'write') onWrite?.();
  };
  const result = await compose(loaded, { out, onEvent, workers }).catch((error: unknown) => error);
  return { out, result };
}

function plain(name: string, text: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${text.join('\n')}\n`);
  return file;
}

describe.each([0, 2])('INPUT_CHANGED (%i workers)', (count) => {
  beforeEach(() => {
    workers = count;
  });

  it('most of a plain file wanted: a changed record, picked or not, fails the run and leaves no output', async () => {
    const file = plain('dense.jsonl', lines);
    const { out, result } = await run('dense-ok', file, 1200);
    expect(result).not.toBeInstanceOf(Error);
    const { chosen, left } = picked(out);
    for (const [name, n] of [
      ['dense-chosen', chosen[17]!],
      ['dense-left', left[3]!],
    ] as const) {
      plain('dense.jsonl', lines);
      const changed = await run(name, file, 1200, () =>
        plain(
          'dense.jsonl',
          lines.map((l, i) => (i + 1 === n ? changedLine(n) : l)),
        ),
      );
      expect(changed.result).toBeInstanceOf(MixsmithError);
      expect(changed.result).toMatchObject({ code: 'INPUT_CHANGED', where: { file: 'dense.jsonl' } });
      expect(existsSync(changed.out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith(`.${name}-w`))).toEqual([]);
    }
  });

  it('a few records of a plain file wanted: a changed pick is named by its line', async () => {
    const file = plain('sparse.jsonl', lines);
    const { out, result } = await run('sparse-ok', file, 40);
    expect(result).not.toBeInstanceOf(Error);
    const { chosen } = picked(out);
    const n = chosen[5]!;
    const changed = await run('sparse-chosen', file, 40, () =>
      plain(
        'sparse.jsonl',
        lines.map((l, i) => (i + 1 === n ? changedLine(n) : l)),
      ),
    );
    expect(changed.result).toMatchObject({ code: 'INPUT_CHANGED', where: { file: 'sparse.jsonl', line: n } });
    expect(existsSync(changed.out)).toBe(false);
  });

  it('a few records wanted: a change its key would not see (case, spacing) is INPUT_CHANGED too', async () => {
    const file = plain('cased.jsonl', lines);
    const { out } = await run('cased-ok', file, 40);
    const n = picked(out).chosen[3]!;
    // Same length and same normalised text, so the same content key: only the bytes tell.
    const recased = (line: string) =>
      line.replace(
        /"output":"(.)/,
        (_, c: string) => `"output":"${c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()}`,
      );
    expect(recased(lines[n - 1]!)).not.toBe(lines[n - 1]);
    const changed = await run('cased-chosen', file, 40, () =>
      plain(
        'cased.jsonl',
        lines.map((l, i) => (i + 1 === n ? recased(l) : l)),
      ),
    );
    expect(changed.result).toMatchObject({ code: 'INPUT_CHANGED', where: { file: 'cased.jsonl', line: n } });
  });

  it('a record cut short (the file shrank under a pick) is INPUT_CHANGED, not a JSON error', async () => {
    const file = plain('short.jsonl', lines);
    const { out } = await run('short-ok', file, 40);
    const last = Math.max(...picked(out).chosen);
    const changed = await run('short-cut', file, 40, () =>
      writeFileSync(file, `${lines.slice(0, last - 1).join('\n')}\n${lines[last - 1]!.slice(0, 20)}`),
    );
    expect(changed.result).toMatchObject({ code: 'INPUT_CHANGED', where: { file: 'short.jsonl' } });
  });

  it('a compressed file changed after the scan: the output is what the scan read (its copy of the candidates), no second decompression', async () => {
    const file = path.join(dir, 'packed.jsonl.gz');
    const write = (text: string[]) => writeFileSync(file, gzipSync(`${text.join('\n')}\n`));
    write(lines);
    const { out, result } = await run('packed-ok', file, 1200);
    expect(result).not.toBeInstanceOf(Error);
    const n = picked(out).chosen[9]!;
    // Rewritten with a chosen record changed, or cut to nothing: the write phase does not read it again.
    for (const [name, text] of [
      ['packed-chosen', lines.map((l, i) => (i + 1 === n ? changedLine(n) : l))],
      ['packed-empty', []],
    ] as const) {
      const changed = await run(name, file, 1200, () => write([...text]));
      expect(changed.result).not.toBeInstanceOf(Error);
      expect(readFileSync(path.join(changed.out, 'train-00000-of-00001.jsonl'))).toEqual(
        readFileSync(path.join(out, 'train-00000-of-00001.jsonl')),
      );
      // The manifest's sha256 is of the bytes that scan read, so output and manifest agree.
      const sha = (o: string) =>
        JSON.parse(readFileSync(path.join(o, 'manifest.json'), 'utf8')).sources.src.files[0].sha256;
      expect(sha(changed.out)).toEqual(sha(out));
      write(lines);
    }
    // The copy is scratch: nothing of it is left in the output.
    expect(readdirSync(out).filter((f) => f.includes('spill'))).toEqual([]);
  });

  it('an unchanged file rewritten in place still composes, byte for byte as before', async () => {
    const file = plain('same.jsonl', lines);
    const first = await run('same-a', file, 1200);
    const again = await run('same-b', file, 1200, () => plain('same.jsonl', lines));
    expect(again.result).not.toBeInstanceOf(Error);
    expect(readFileSync(path.join(again.out, 'train-00000-of-00001.jsonl'))).toEqual(
      readFileSync(path.join(first.out, 'train-00000-of-00001.jsonl')),
    );
  });
});

describe('a source folder that gains a file during the run', () => {
  it('is read as it was expanded when the run began: the guard, the progress total and the scan see one list', async () => {
    const folder = path.join(dir, 'growing');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'a.jsonl'), `${lines.slice(0, 100).join('\n')}\n`);
    const out = path.join(dir, 'growing-out');
    const loaded = parseRecipe(recipe('growing', 50), 'recipe.yaml', dir, { set: [] });
    let total: number | undefined;
    const onEvent = (event: { type: string; files?: number }) => {
      if (event.type !== 'scan-start') return;
      total = event.files;
      // After the expansion, before the scan: a file that was not there when the run began.
      writeFileSync(path.join(folder, 'b.jsonl'), `${lines.slice(100, 200).join('\n')}\n`);
    };
    await compose(loaded, { out, onEvent, workers: 0 });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      sources: Record<string, { files: { path: string }[]; read: number }>;
    };
    expect(total).toBe(1);
    expect(manifest.sources.src!.files.map((f) => f.path)).toEqual(['growing/a.jsonl']);
    expect(manifest.sources.src!.read).toBe(100);
  });
});
