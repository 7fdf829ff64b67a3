/**
 * A full disk while composing (issue #24): the quickstart composed into a real 256 KiB tmpfs,
 * with a filler file leaving less and less room, so that the disk fills during each stage in turn
 * (removed.jsonl during the scan, shards, layout files, the manifest). Every run that does not
 * fit must be OUTPUT_IO, exit 5, at a file on that disk, and leave no folder behind, in every
 * output format. Mounting needs root (or CAP_SYS_ADMIN): without it the tests are skipped, and
 * say why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const quickstart = path.resolve(import.meta.dirname, '../../recipes/quickstart.yaml');
const SIZE_KIB = 256;

const disk = mkdtempSync(path.join(tmpdir(), 'mixsmith-disk-full-'));
let mountProblem: string | undefined;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_KIB}k`, 'tmpfs', disk], { stdio: 'pipe' });
} catch (error) {
  mountProblem = `cannot mount a tmpfs (${String((error as { stderr?: Buffer }).stderr ?? error).trim() || 'mount failed'}); run as root to test a full disk`;
  console.warn(`test/compose/disk-full.test.ts skipped: ${mountProblem}`);
}
afterAll(() => {
  if (!mountProblem) execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
});

/** Empty the disk but for a filler that leaves `freeKiB` of room. */
function leaveFree(freeKiB: number): void {
  for (const name of readdirSync(disk)) rmSync(path.join(disk, name), { recursive: true, force: true });
  writeFileSync(path.join(disk, 'filler'), Buffer.alloc((SIZE_KIB - freeKiB) * 1024));
}

describe.skipIf(mountProblem !== undefined)('compose onto a full disk', () => {
  for (const format of ['jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet']) {
    it(`${format}: every run short of room is OUTPUT_IO, exit 5, and leaves no folder`, async () => {
      const failed: string[] = [];
      let fitted = false;
      // From 4 KiB of room up, 8 KiB more each run, until the output fits.
      for (let free = 4; free < SIZE_KIB && !fitted; free += 8) {
        leaveFree(free);
        const out = path.join(disk, 'out');
        const run = await runCli([
          'compose',
          quickstart,
          '--set',
          `output.format=${format}`,
          '--out',
          out,
          '--json',
          '--workers',
          '0',
        ]);
        if (run.code === 0) {
          fitted = true;
          expect(readdirSync(disk).sort()).toEqual(['filler', 'out']);
          continue;
        }
        expect({ free, code: run.code }).toEqual({ free, code: 5 });
        const error = (
          JSON.parse(run.stdout) as {
            error: { code: string; diagnostics: { where?: { file: string }; hint?: string }[] };
          }
        ).error;
        expect(error.code).toBe('OUTPUT_IO');
        expect(error.diagnostics[0]!.where?.file.startsWith(disk)).toBe(true);
        expect(error.diagnostics[0]!.hint).toMatch(/full/);
        expect(readdirSync(disk)).toEqual(['filler']);
        failed.push(path.basename(error.diagnostics[0]!.where!.file));
      }
      expect(fitted).toBe(true);
      // The disk filled at several stages, not only in the first shard.
      expect(new Set(failed).size).toBeGreaterThanOrEqual(3);
    }, 240_000);
  }
});
