/**
 * Issue #24 for the other inputs: a ~300 MB single record (max_record_bytes raised for it) as a
 * CSV cell, a JSON-array element, a Parquet cell, an Arrow cell, a keyed-object JSON member and a
 * JSONL record counted by a tokenizer.json,
 * each among 50 small records, is composed by the CLI with its peak RSS sampled
 * (test/helpers/peak-rss.ts), and comes out whole (sha256 of the long turn). One 300 MB run per
 * format. Each stays under 3× the record. At 5e8adae CSV peaked at 4.7 GB, JSON at 4.3 GB,
 * Parquet at 3.7 GB (1.1 GB at 9841d1d) and the tokenizer at 3.1 GB (this long-word text; prose ran
 * it out of memory, SIGABRT at 5.1 GB); Arrow at 1.38 GB and keyed-object JSON at 1.35 GB at 9841d1d.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { runMeasured } from '../helpers/peak-rss.js';
import { tempDir } from '../helpers/temp.js';
import { WORD_LEVEL_TOKENIZER } from '../helpers/word-level-tokenizer.js';

const dir = tempDir('mixsmith-huge-formats-');
const linux = process.platform === 'linux';
const RECORD_CHARS = 300_000_000;
/** Prose with the escapes a long text has in each format: quotes, newlines, tabs, runs of spaces. */
const PROSE = 'The quick brown fox, "quoted", jumps over the lazy dog.\n\tA tabbed line  with  spaces.\n';
/**
 * For the tokenizer: long words (so counting 300 MB takes seconds, not a minute and a half: the
 * JS tokenizer's cost is per word), with the same escapes.
 */
const WORDS = `${'lorem_ipsum_dolor_sit_amet_'.repeat(6)} "quoted"\n\t${'consectetur_adipiscing_'.repeat(5)}  spaced.\n`;

/** The long text: `unit` repeated to about RECORD_CHARS, built a 1 MiB chunk at a time. */
function longText(unit: string): { chunk: string; chunks: number; expected: string } {
  const chunk = unit.repeat(Math.ceil((1 << 20) / unit.length));
  const chunks = Math.ceil(RECORD_CHARS / chunk.length);
  const hash = createHash('sha256');
  for (let k = 0; k < chunks; k++) hash.update(chunk);
  return { chunk, chunks, expected: hash.digest('hex') };
}

function writeFile(file: string, head: string, chunk: string, chunks: number, tail: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head);
    for (let k = 0; k < chunks; k++) writeSync(fd, chunk);
    writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

const small = Array.from({ length: 50 }, (_, i) => ({ instruction: `q${i}`, output: `a${i}` }));

const recipeFor = (input: string, extra = '') => `name: huge
seed: 1
sources:
  - { name: s, group: all, path: ${input}, schema: alpaca, max_record_bytes: 400000000 }
mixture:
  volume: 51
  shares: { all: 1 }${extra}
`;

/** Composes `input`, checks the run and the long record's sha256; returns the peak RSS. */
async function composeHuge(name: string, input: string, expected: string, extra = ''): Promise<number | undefined> {
  const recipe = path.join(dir, `${name}.yaml`);
  writeFileSync(recipe, recipeFor(input, extra));
  const out = path.join(dir, `${name}-out`);
  try {
    // --workers 0: a batch holding a huge record is analysed on the main thread anyway, and each idle
    // worker thread adds a fixed ~50 MB (more run from the TypeScript sources, where tsx compiles
    // every module again in each worker) that has nothing to do with the record; with them the
    // built CLI's default run peaks at 0.80 GB (CSV) and 0.83 GB (JSON) for this record.
    const run = await runMeasured(['compose', recipe, '--out', out, '--workers', '0'], { timeoutMs: 240_000 });
    expect(run.code, `exit ${run.code} (${run.signal}), peak ${run.peakRssBytes}, ${run.stderr.slice(-1500)}`).toBe(0);
    const shard = readdirSync(out).find((file) => file.startsWith('train-'))!;
    let rows = 0;
    let longHash: string | undefined;
    for await (const line of createInterface({ input: createReadStream(path.join(out, shard)), crlfDelay: Infinity })) {
      rows++;
      if (line.length > 1_000_000)
        longHash = createHash('sha256').update(JSON.parse(line).messages[1].content).digest('hex');
    }
    expect(rows).toBe(51);
    expect(longHash).toBe(expected);
    return run.peakRssBytes;
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(path.join(dir, input), { force: true });
  }
}

describe('a huge single record in other formats', { timeout: 300_000 }, () => {
  it('CSV: a quoted 300 MB cell peaks under 3× the file', async () => {
    const { chunk, chunks, expected } = longText(PROSE);
    const rows = small.map((r) => `${r.instruction},${r.output}\n`).join('');
    writeFile(
      path.join(dir, 'huge.csv'),
      `instruction,output\n${rows}the long one,"`,
      chunk.replaceAll('"', '""'),
      chunks,
      '"\n',
    );
    const bytes = statSync(path.join(dir, 'huge.csv')).size;
    const peak = await composeHuge('csv', 'huge.csv', expected);
    if (linux) expect(peak).toBeLessThan(3 * bytes);
  });

  it('JSON array: a 300 MB element peaks under 3× the file', async () => {
    const { chunk, chunks, expected } = longText(PROSE);
    const head = `[\n${small.map((r) => `${JSON.stringify(r)},\n`).join('')}{"instruction":"the long one","output":"`;
    writeFile(path.join(dir, 'huge.json'), head, JSON.stringify(chunk).slice(1, -1), chunks, '"}\n]\n');
    const bytes = statSync(path.join(dir, 'huge.json')).size;
    const peak = await composeHuge('json', 'huge.json', expected);
    if (linux) expect(peak).toBeLessThan(3 * bytes);
  });

  it('Parquet: a 300 MB cell (Snappy) peaks under 3× the cell', async () => {
    const { chunk, chunks, expected } = longText(PROSE);
    const cell = chunk.repeat(chunks);
    writeFileSync(
      path.join(dir, 'huge.parquet'),
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'instruction', data: [...small.map((r) => r.instruction), 'the long one'], type: 'STRING' },
            { name: 'output', data: [...small.map((r) => r.output), cell], type: 'STRING' },
          ],
        }),
      ),
    );
    // hyparquet holds the decoded page and the string at once; the write phase must not add the
    // scan's uncollected copies or a copy of the line in the order spool (1.1 GB before).
    const peak = await composeHuge('parquet', 'huge.parquet', expected);
    if (linux) expect(peak).toBeLessThan(3 * cell.length);
  });

  it('Arrow IPC: a 300 MB cell (plain Utf8, as datasets writes) peaks under 3× the cell', async () => {
    const { chunk, chunks, expected } = longText(PROSE);
    const cell = chunk.repeat(chunks);
    const column = (values: string[]) => vectorFromArray(values, new Utf8());
    const table = new Table({
      instruction: column([...small.map((r) => r.instruction), 'the long one']),
      output: column([...small.map((r) => r.output), cell]),
    });
    writeFileSync(path.join(dir, 'huge.arrow'), tableToIPC(table, 'file'));
    // The record batch's 300 MB body is given back once its rows are plain (1.38 GB before).
    const peak = await composeHuge('arrow', 'huge.arrow', expected);
    if (linux) expect(peak).toBeLessThan(3 * cell.length);
  });

  it('keyed-object JSON: a 300 MB member peaks under 3× the file', async () => {
    const { chunk, chunks, expected } = longText(PROSE);
    const head = `{\n${small.map((r, i) => `"k${i}": ${JSON.stringify(r)},\n`).join('')}"long": {"instruction":"the long one","output":"`;
    writeFile(path.join(dir, 'huge-keyed.json'), head, JSON.stringify(chunk).slice(1, -1), chunks, '"}\n}\n');
    const bytes = statSync(path.join(dir, 'huge-keyed.json')).size;
    // Parsed from its bytes, the carrying buffer given back once read (1.35 GB and 100 s before).
    // Detected as a keyed object by its first member (a key, then an object).
    const peak = await composeHuge('keyed', 'huge-keyed.json', expected);
    if (linux) expect(peak).toBeLessThan(3 * bytes);
  });

  it('JSONL with a tokenizer.json: a 300 MB record is counted in pieces, peaking under 3× the file', async () => {
    const { chunk, chunks, expected } = longText(WORDS);
    const head = `${small.map((r) => `${JSON.stringify(r)}\n`).join('')}{"instruction":"the long one","output":"`;
    writeFile(path.join(dir, 'huge-tok.jsonl'), head, JSON.stringify(chunk).slice(1, -1), chunks, '"}\n');
    const bytes = statSync(path.join(dir, 'huge-tok.jsonl')).size;
    writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(WORD_LEVEL_TOKENIZER));
    const peak = await composeHuge('tok', 'huge-tok.jsonl', expected, '\n  tokenizer: { path: tokenizer.json }');
    if (linux) expect(peak).toBeLessThan(3 * bytes);
  });
});
