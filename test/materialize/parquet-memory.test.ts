/**
 * Writing 200,000 records (about 200 MB of JSON) to Parquet in a process whose heap is capped at
 * 96 MB: it can only finish if memory is bounded by a row group, not by the data. The control
 * run, the same writer with one row group for everything, must run out of memory, which shows
 * the cap is tight enough for the test to fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const root = tempDir('mixsmith-parquet-memory-');
const child = path.join(import.meta.dirname, 'parquet-memory-child.ts');
const HEAP_MB = 96;

function run(name: string, rows: number, rowsPerGroup: number, rowsPerShard: number) {
  const dir = path.join(root, name);
  mkdirSync(dir);
  const result = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      '--import',
      'tsx',
      child,
      dir,
      String(rows),
      String(rowsPerGroup),
      String(rowsPerShard),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  return result;
}

describe('Parquet writing memory', () => {
  it('writes 200,000 records within a 96 MB heap with 10,000-row groups', { timeout: 180_000 }, () => {
    const result = run('bounded', 200_000, 10_000, 50_000);
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    const report = JSON.parse(result.stdout.trim()) as {
      rows: number;
      files: string[];
      jsonBytes: number;
      peakHeapBytes: number;
      maxRssBytes: number;
    };
    expect(report.rows).toBe(200_000);
    expect(report.files).toHaveLength(4);
    // the data is more than twice what the heap may hold
    expect(report.jsonBytes).toBeGreaterThan(2 * HEAP_MB * 1024 * 1024);
    expect(report.peakHeapBytes).toBeLessThan(HEAP_MB * 1024 * 1024);
  });

  it('runs out of memory under the same cap when one row group holds the whole mixture (control)', {
    timeout: 180_000,
  }, () => {
    const result = run('control', 200_000, 200_000, 200_000);
    const said = `status ${result.status}, signal ${result.signal}, stderr: ${result.stderr.slice(-1000)}`;
    expect(result.status, said).not.toBe(0);
    expect(result.stderr, said).toMatch(/heap out of memory|Allocation failed/i);
  });
});
