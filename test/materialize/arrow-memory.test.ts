/**
 * Arrow output and input are bounded by a record batch, not by the data: 100,000 records (about
 * 100 MB of JSON) are written to one Arrow shard and read back in a process whose heap is capped
 * at 64 MB. The control, the same run keeping every record read, runs out of memory under that
 * cap, which shows the cap is tight enough for the test to fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const root = tempDir('mixsmith-arrow-memory-');
const child = path.join(import.meta.dirname, 'arrow-memory-child.ts');
const HEAP_MB = 64;
const ROWS = 100_000;

function run(mode: 'stream' | 'keep') {
  const dir = path.join(root, mode);
  mkdirSync(dir);
  return spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', child, dir, String(ROWS), mode],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
}

describe('Arrow memory', () => {
  it('writes and reads 100,000 records within a 64 MB heap', { timeout: 240_000 }, () => {
    const result = run('stream');
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
      written: number;
      read: number;
      jsonBytes: number;
      peakHeapBytes: number;
      path: string;
    };
    expect(report).toMatchObject({ written: ROWS, read: ROWS, path: 'train/data-00000-of-00001.arrow' });
    // the data is more than the heap may hold
    expect(report.jsonBytes).toBeGreaterThan(1.5 * HEAP_MB * 1024 * 1024);
    expect(report.peakHeapBytes).toBeLessThan(HEAP_MB * 1024 * 1024);
  });

  it('runs out of memory under the same cap when every record read is kept (control)', { timeout: 240_000 }, () => {
    const result = run('keep');
    const said = `status ${result.status}, signal ${result.signal}, stderr: ${result.stderr.slice(-1000)}`;
    expect(result.status, said).not.toBe(0);
    expect(result.stderr, said).toMatch(/heap out of memory|Allocation failed/i);
  });
});
