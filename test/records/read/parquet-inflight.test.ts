/**
 * A fuzzed Parquet file (one byte-flip variant of a pyarrow file, kept in fixtures/) whose row
 * group lists a column chunk under a name its schema does not hold: hyparquet reads that chunk but
 * never awaits it, and its page fails to decompress after the first error was printed. That read
 * rejected unhandled, ending the process with exit 1 and a stack, and left the staged `.partial`
 * folder behind. Now the metadata is checked first: INPUT_FORMAT, exit 4, nothing left behind.
 * A real process, because an unhandled rejection is a property of the process.
 */
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alpacaRecords, writeJsonl } from '../../helpers/corpus.js';
import { runMeasured } from '../../helpers/peak-rss.js';
import { tempDir } from '../../helpers/temp.js';

const fixture = path.join(import.meta.dirname, 'fixtures/column-read-rejects-late.parquet');

describe('a Parquet column read that rejects after the first error', () => {
  it('is INPUT_FORMAT (exit 4) with no unhandled rejection and no staged folder left', {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir('mixsmith-parquet-inflight-');
    copyFileSync(fixture, path.join(dir, 'damaged.parquet'));
    writeJsonl(path.join(dir, 'gen.jsonl'), alpacaRecords('gen', 50));
    writeFileSync(
      path.join(dir, 'r.yaml'),
      `name: pq
seed: 1
sources:
  - name: med
    group: medical
    path: damaged.parquet
  - name: gen
    group: general
    path: gen.jsonl
mixture:
  volume: 20
  shares: { medical: 0.5, general: 0.5 }
`,
    );
    const run = await runMeasured(['compose', path.join(dir, 'r.yaml'), '--out', path.join(dir, 'out')]);
    const said = `exit ${run.code}, stderr: ${run.stderr.slice(-1500)}`;
    expect(run.code, said).toBe(4);
    expect(run.stderr, said).toMatch(/damaged\.parquet: error\[INPUT_FORMAT\]: .*metadata is inconsistent/);
    expect(run.stderr, said).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir).sort()).toEqual(['damaged.parquet', 'gen.jsonl', 'r.yaml']);
  });
});
