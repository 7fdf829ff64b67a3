/**
 * Issue #24: a legal 300 MB single record (max_record_bytes raised for it) is composed with the
 * process's resident memory under 3× the record, and comes out whole. Spawns the CLI and samples
 * its peak RSS (test/helpers/peak-rss.ts); at the parent of this change it peaked at 2.3-2.4 GB.
 *
 * The text is ASCII prose with the escapes a real long text has (newlines, tabs, quotes): a JSON
 * string with escapes takes the general paths (not only the escape-free fast ones).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, vi } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { ALONE_RENDER_BYTES } from '../../src/materialize/render-lines.js';
import { InlineRenderer, liveRenderWorkers, RenderPool } from '../../src/materialize/render-pool.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runMeasured } from '../helpers/peak-rss.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-huge-record-');
const linux = process.platform === 'linux';
const RECORD_BYTES = 300_000_000;
const UNIT = 'The quick brown fox, "quoted", jumps over the lazy dog.\n\tA tabbed line  with  spaces.\n';

/** 50 small alpaca records, then one whose output repeats UNIT to about `recordBytes`; returns the repeats. */
function writeInput(file: string, recordBytes = RECORD_BYTES): number {
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < 50; i++) writeSync(fd, `${JSON.stringify({ instruction: `q${i}`, output: `a${i}` })}\n`);
    const escaped = JSON.stringify(UNIT).slice(1, -1);
    const perChunk = Math.ceil((1 << 20) / escaped.length);
    const chunk = escaped.repeat(perChunk);
    const chunks = Math.ceil(recordBytes / chunk.length);
    writeSync(fd, '{"instruction":"the long one","output":"');
    for (let k = 0; k < chunks; k++) writeSync(fd, chunk);
    writeSync(fd, '"}\n');
    return chunks * perChunk;
  } finally {
    closeSync(fd);
  }
}

const recipeFor = (input: string) => `name: huge
seed: 1
sources:
  - { name: s, group: all, path: ${input}, schema: alpaca, max_record_bytes: 400000000 }
mixture:
  volume: 51
  shares: { all: 1 }
`;

describe('a huge single record', { timeout: 300_000 }, () => {
  it('is rendered alone, on this thread or in a worker, to the same bytes for any worker count', async () => {
    writeInput(path.join(dir, 'large.jsonl'), ALONE_RENDER_BYTES + 1000);
    const inline = vi.spyOn(InlineRenderer.prototype, 'render');
    const pooled = vi.spyOn(RenderPool.prototype, 'render');
    const shards: Buffer[] = [];
    for (const workers of [undefined, 0, 1, 2]) {
      inline.mockClear();
      pooled.mockClear();
      const result = await compose(parseRecipe(recipeFor('large.jsonl'), 'r.yaml', dir), {
        out: path.join(dir, `large-${workers}`),
        ...(workers === undefined ? {} : { workers }),
      });
      const shard = readdirSync(result.out).find((name) => name.startsWith('train-'))!;
      shards.push(readFileSync(path.join(result.out, shard)));
      // No pool for 50 small records: the huge one takes the workers' step on this thread.
      expect(inline.mock.calls.length > 0, `${workers} workers`).toBe(workers === undefined || workers === 0);
      expect(pooled.mock.calls.length > 0, `${workers} workers`).toBe(workers !== undefined && workers > 0);
    }
    inline.mockRestore();
    pooled.mockRestore();
    for (const shard of shards.slice(1)) expect(shard.equals(shards[0]!)).toBe(true);
    expect(shards[0]!.toString('utf8').split('\n').filter(Boolean)).toHaveLength(51);
    expect(liveRenderWorkers()).toBe(0);
  });

  it('is composed with peak RSS under 3× its size, and comes out whole', async () => {
    const input = path.join(dir, 'huge.jsonl');
    const repeats = writeInput(input);
    const recordBytes = statSync(input).size;
    const recipe = path.join(dir, 'huge.yaml');
    writeFileSync(recipe, recipeFor('huge.jsonl'));
    const out = path.join(dir, 'out');
    const run = await runMeasured(['compose', recipe, '--out', out], { timeoutMs: 240_000 });
    const said = `exit ${run.code} (${run.signal}), peak ${run.peakRssBytes}, stderr: ${run.stderr.slice(-1500)}`;
    expect(run.code, said).toBe(0);
    if (linux) expect(run.peakRssBytes, said).toBeLessThan(3 * recordBytes);

    // The long record's assistant message is its output, whole (hashed, not held twice here).
    const shard = readdirSync(out).find((name) => name.startsWith('train-'))!;
    let rows = 0;
    let longContent: string | undefined;
    for await (const line of createInterface({ input: createReadStream(path.join(out, shard)), crlfDelay: Infinity })) {
      rows++;
      if (line.length > 1_000_000) longContent = JSON.parse(line).messages[1].content;
    }
    expect(rows).toBe(51);
    const expected = createHash('sha256');
    for (let k = 0; k < repeats; k++) expected.update(UNIT);
    expect(longContent?.length).toBe(UNIT.length * repeats);
    expect(createHash('sha256').update(longContent!).digest('hex')).toBe(expected.digest('hex'));
  });
});
