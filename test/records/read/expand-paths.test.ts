/**
 * Sources are regular files (issue #24): a FIFO named as a source is INPUT_FORMAT at once instead
 * of a read that blocks for good, walks leave FIFOs out, and no path or walk reaches into /proc,
 * /sys or /dev (a symlink there, or walking /): the source is refused, naming the entry.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../../src/errors.js';
import { expandPaths } from '../../../src/records/read/expand-paths.js';
import { runCli } from '../../helpers/cli.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../../helpers/corpus.js';
import { tempDir } from '../../helpers/temp.js';

const dir = tempDir('mixsmith-expand-');
const canFifo = process.platform !== 'win32';
const hasProc = existsSync('/proc/self');

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

async function refused(patterns: string[], baseDir = dir): Promise<MixsmithError> {
  const error = await expandPaths(patterns, baseDir, 'src').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MixsmithError);
  return error as MixsmithError;
}

describe('expandPaths: regular files only', () => {
  it.skipIf(!canFifo)('a FIFO named as a source is INPUT_FORMAT naming it, not a read that blocks', async () => {
    mkfifo(path.join(dir, 'pipe.jsonl'));
    const error = await refused(['pipe.jsonl']);
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.where).toEqual({ file: 'pipe.jsonl' });
    expect(error.message).toContain('not a regular file');
  });

  it.skipIf(!canFifo)(
    'a folder or glob walk leaves FIFOs and links to them out, and keeps links to data files',
    async () => {
      const folder = path.join(dir, 'mixed');
      mkdirSync(folder);
      writeJsonl(path.join(folder, 'a.jsonl'), alpacaRecords('a', 2));
      mkfifo(path.join(folder, 'b.jsonl'));
      symlinkSync(path.join(folder, 'b.jsonl'), path.join(folder, 'c.jsonl'));
      symlinkSync(path.join(folder, 'a.jsonl'), path.join(folder, 'd.jsonl'));
      for (const pattern of ['mixed', 'mixed/*.jsonl']) {
        const files = await expandPaths([pattern], dir, 'src');
        expect(files.map((f) => f.displayPath)).toEqual(['mixed/a.jsonl', 'mixed/d.jsonl']);
      }
    },
  );

  it('/dev/null named as a source is refused', async () => {
    const error = await refused(['/dev/null']);
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.where).toEqual({ file: '/dev/null' });
  });
});

describe.skipIf(!hasProc)('expandPaths: never into /proc, /sys or /dev', () => {
  const data = path.join(dir, 'with-proc');
  mkdirSync(data, { recursive: true });
  writeJsonl(path.join(data, 'a.jsonl'), alpacaRecords('a', 2));
  symlinkSync('/proc', path.join(data, 'proc-link'));

  it.each(['with-proc', 'with-proc/**/*', 'with-proc/proc-link'])(
    '%s: a folder with a symlink to /proc is INPUT_FORMAT at the link, at once',
    async (pattern) => {
      const started = Date.now();
      const error = await refused([pattern]);
      expect(error.code).toBe('INPUT_FORMAT');
      expect(error.where).toEqual({ file: 'with-proc/proc-link' });
      expect(Date.now() - started).toBeLessThan(5000);
    },
  );

  it('path: / is refused at the first system folder the walk meets, at once', async () => {
    const started = Date.now();
    const error = await refused(['/']);
    expect(error.code).toBe('INPUT_FORMAT');
    expect(['/proc', '/sys', '/dev']).toContain(error.where?.file);
    expect(Date.now() - started).toBeLessThan(10000);
  });

  it('a folder with a symlink to /dev/null is refused at the link', async () => {
    const folder = path.join(dir, 'with-null');
    mkdirSync(folder);
    writeJsonl(path.join(folder, 'a.jsonl'), alpacaRecords('a', 2));
    symlinkSync('/dev/null', path.join(folder, 'b.jsonl'));
    const error = await refused(['with-null']);
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.where).toEqual({ file: 'with-null/b.jsonl' });
  });

  it('a file under /proc named directly is refused', async () => {
    expect((await refused(['/proc/self/status'])).code).toBe('INPUT_FORMAT');
  });
});

describe.skipIf(!canFifo)('compose with a FIFO source', () => {
  it('exits 4 with INPUT_FORMAT at the FIFO and leaves no output folder', async () => {
    const folder = path.join(dir, 'cli');
    mkdirSync(folder);
    writeJsonl(path.join(folder, 'gen.jsonl'), alpacaRecords('g', 20));
    mkfifo(path.join(folder, 'med.jsonl'));
    const recipe = path.join(folder, 'r.yaml');
    writeFileSync(recipe, twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 10 }));
    const out = path.join(folder, 'out');
    const run = await runCli(['compose', recipe, '--out', out, '--json']);
    expect(run.code).toBe(4);
    const json = JSON.parse(run.stdout) as { error: { code: string; diagnostics: { where: { file: string } }[] } };
    expect(json.error.code).toBe('INPUT_FORMAT');
    expect(json.error.diagnostics[0]!.where.file).toBe('med.jsonl');
    expect(existsSync(out)).toBe(false);
  });
});
