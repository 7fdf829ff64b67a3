/**
 * The scan pool alone: outcomes equal the inline step's, and every way a worker can fail ends in
 * a rejected promise with a code, never a hang.
 */
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { analyzeBatch, batchInput, compileContext, type RecordContext } from '../../src/compose/record-outcome.js';
import type { RawRecord } from '../../src/io/raw-record.js';
import { liveScanWorkers, ScanPool } from '../../src/workers/scan-pool.js';

const context: RecordContext = { file: 0, displayPath: 'a.jsonl', source: 'a', seed: 7, dedup: true, schema: 'alpaca', filters: { min_chars: 12 } };

const records: RawRecord[] = [
  { instruction: 'What is NFKC?', output: 'A Unicode normalisation form.' },
  { instruction: 'short', output: 'x' },
  { instruction: 'no output' },
  { instruction: 'Ｆｕｌｌ width', output: 'ANSWER  with\tspaces' },
].map((value, i) => ({ line: i + 1, offset: i * 100, length: 90, text: JSON.stringify(value) }));
records.push({ line: 5, offset: 500, length: 3, text: '{x]' }, { line: 6, offset: 600, length: 0, text: '', problem: { code: 'INPUT_ENCODING', message: 'bad bytes' } });

describe('ScanPool', () => {
  it('returns what the inline step computes, for every kind of record', async () => {
    const inline = analyzeBatch(records.length, (i) => records[i]!, compileContext(context));
    const pool = new ScanPool(2);
    try {
      const [first, second] = await Promise.all([pool.analyze(context, batchInput(records, false)), pool.analyze(context, batchInput(records, false))]);
      expect(first).toEqual(inline);
      expect(second).toEqual(inline);
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

  it('turns an unexpected error inside a worker into INTERNAL', async () => {
    const pool = new ScanPool(1);
    try {
      const broken = { ...context, schema: 'no-such-preset' } as unknown as RecordContext;
      await expect(pool.analyze(broken, batchInput(records, false))).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('a scan worker failed') });
    } finally {
      await pool.close();
    }
  });

  it('rejects pending and later batches with INTERNAL when a worker dies', async () => {
    const pool = new ScanPool(1);
    const pending = pool.analyze(context, batchInput(records, false));
    // Kill the worker from outside, as a crash would: the batch is still loading or in progress.
    await (pool as unknown as { workers: Worker[] }).workers[0]!.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('exited unexpectedly') });
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
