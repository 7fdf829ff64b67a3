/**
 * The scan pool alone: outcomes equal the inline step's, and every way a worker can fail ends in
 * a rejected promise with a code, never a hang.
 */
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  analyzeBatch,
  type BatchOutcome,
  batchInput,
  compileContext,
  type LinesInput,
  type RecordContext,
} from '../../../src/records/facts/record-outcome.js';
import type { RawRecord } from '../../../src/records/read/raw-record.js';
import { liveScanWorkers, ScanPool } from '../../../src/records/facts/scan-pool.js';

const context: RecordContext = {
  file: 0,
  displayPath: 'a.jsonl',
  source: 'a',
  seed: 7,
  dedup: true,
  schema: 'alpaca',
  filters: { min_chars: 12 },
};

const records: RawRecord[] = [
  { instruction: 'What is NFKC?', output: 'A Unicode normalisation form.' },
  { instruction: 'short', output: 'x' },
  { instruction: 'no output' },
  { instruction: 'Ｆｕｌｌ width', output: 'ANSWER  with\tspaces' },
].map((value, i) => ({ line: i + 1, offset: i * 100, length: 90, text: JSON.stringify(value) }));
records.push(
  { line: 5, offset: 500, length: 3, text: '{x]' },
  { line: 6, offset: 600, length: 0, text: '', problem: { code: 'INPUT_ENCODING', message: 'bad bytes' } },
);

/** An outcome with its byte arrays as plain arrays: a worker's come back as Uint8Array, inline ones as Buffer. */
const plain = (outcome: BatchOutcome) => ({
  ...outcome,
  digests: [...outcome.digests],
  keyed: [...outcome.keyed],
  chars: [...outcome.chars],
});

/** The records above as one JSONL block, the way io/line-batches.ts hands lines over. */
function linesInput(): LinesInput {
  const lines = [...records.slice(0, 5).map((r) => Buffer.from(r.text, 'utf8')), Buffer.from([0xff, 0xfe])];
  const bytes = new Uint8Array(new ArrayBuffer(lines.reduce((sum, line) => sum + line.length + 1, 0)));
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const line of lines) {
    bytes.set(line, at);
    starts.push(at);
    ends.push(at + line.length);
    bytes[at + line.length] = 10;
    at += line.length + 1;
  }
  return {
    kind: 'lines',
    bytes,
    starts: Uint32Array.from(starts),
    ends: Uint32Array.from(ends),
    lines: Float64Array.from([1, 2, 3, 4, 5, 6]),
    encoding: 'utf-8',
  };
}

describe('ScanPool', () => {
  it('returns what the inline step computes, for every kind of record', async () => {
    const inline = analyzeBatch(records.length, (i) => records[i]!, compileContext(context));
    const pool = new ScanPool(2);
    try {
      const [first, second] = await Promise.all([
        pool.analyze(context, batchInput(records, false)),
        pool.analyze(context, batchInput(records, false)),
      ]);
      expect(plain(first.outcome)).toEqual(plain(inline));
      expect(plain(second.outcome)).toEqual(plain(inline));
    } finally {
      await pool.close();
    }
    expect(inline.notes.map(([i, note]) => [i, Object.keys(note)[0]])).toEqual([
      [1, 'filtered'],
      [2, 'error'],
      [4, 'error'],
      [5, 'error'],
    ]);
    expect(liveScanWorkers()).toBe(0);
  });

  it('analyses undecoded JSONL lines as the inline step does, and hands the bytes back', async () => {
    const input = linesInput();
    const copy = Uint8Array.from(input.bytes);
    const inline = analyzeBatch(records.length, (i) => ({ ...records[i]!, line: i + 1 }), compileContext(context));
    const pool = new ScanPool(1);
    try {
      const analyzed = await pool.analyze(context, input);
      expect(input.bytes.byteLength).toBe(0); // transferred, not copied
      expect([...analyzed.bytes!]).toEqual([...copy]);
      const { outcome } = analyzed;
      expect([...outcome.keyed]).toEqual([...inline.keyed]);
      expect([...outcome.digests]).toEqual([...inline.digests]);
      // The undecodable last line is an encoding problem, as a reader would have reported it.
      expect(outcome.notes.at(-1)).toEqual([5, { error: expect.objectContaining({ code: 'INPUT_ENCODING' }) }]);
    } finally {
      await pool.close();
    }
  });

  it('turns an unexpected error inside a worker into INTERNAL', async () => {
    const pool = new ScanPool(1);
    try {
      const broken = { ...context, schema: 'no-such-preset' } as unknown as RecordContext;
      await expect(pool.analyze(broken, batchInput(records, false))).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringContaining('a scan worker failed'),
      });
    } finally {
      await pool.close();
    }
  });

  it('rejects pending and later batches with INTERNAL when a worker dies', async () => {
    const pool = new ScanPool(1);
    const pending = pool.analyze(context, batchInput(records, false));
    // Kill the worker from outside, as a crash would: the batch is still loading or in progress.
    await (pool as unknown as { pool: { workers: Worker[] } }).pool.workers[0]!.terminate();
    await expect(pending).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('exited unexpectedly'),
    });
    await expect(pool.analyze(context, batchInput(records, false))).rejects.toMatchObject({ code: 'INTERNAL' });
    await pool.close();
    expect(liveScanWorkers()).toBe(0);
  });

  it('rejects with INTERRUPTED and stops its workers when the signal aborts', async () => {
    const controller = new AbortController();
    const pool = new ScanPool(2, controller.signal);
    const pending = pool.analyze(context, batchInput(records, false));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'INTERRUPTED' });
    await pool.close();
    expect(liveScanWorkers()).toBe(0);
  });
});
