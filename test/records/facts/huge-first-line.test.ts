/**
 * A huge first line (the file's schema is detected from it on the scan's thread): detected from
 * its shape and keyed in pieces, with the outcome the general path gives it, and the same
 * INPUT_LIMIT when it nests too deep.
 */
import { describe, expect, it } from 'vitest';
import { analyzedBatches, type FileAnalysis } from '../../../src/records/facts/analyzed-batches.js';
import { PIECEWISE_RECORD_BYTES } from '../../../src/records/facts/line-keys.js';
import { analyzeBatch, compileContext } from '../../../src/records/facts/record-outcome.js';
import { lineBatches } from '../../../src/records/read/line-batches.js';
import { LinesBatch, type ScanBatch } from '../../../src/records/read/scan-batch.js';

const unit = 'Hello   World, "quoted" \\ é 中 😀\n\t';
const huge = JSON.stringify({
  instruction: 'Summarise',
  output: unit.repeat(Math.ceil(PIECEWISE_RECORD_BYTES / unit.length) + 5),
});
const small = JSON.stringify({ instruction: 'q', output: 'a' });

async function* linesOf(text: string): AsyncGenerator<ScanBatch> {
  async function* chunks() {
    yield Buffer.from(text, 'utf8');
  }
  for await (const batch of lineBatches(chunks(), { limits: { maxRecordBytes: 1 << 30, maxDepth: 64 } }))
    yield new LinesBatch(batch, 'utf-8');
}

const fileOf = (): FileAnalysis => ({
  context: { file: 0, displayPath: 'big.jsonl', source: 's', seed: 3, dedup: true, maxDepth: 64 },
  spec: 'auto',
  mapper: undefined,
});

describe('a huge first line', { timeout: 120_000 }, () => {
  it('has the general path’s outcome, and the schema its fields say', async () => {
    const file = fileOf();
    const outcomes = [];
    for await (const { outcome } of analyzedBatches(linesOf(`${huge}\n${small}\n`), file)) outcomes.push(outcome);
    expect(file.mapper?.name).toBe('alpaca');
    const general = analyzeBatch(
      2,
      (i) => ({ line: i + 1, text: i === 0 ? huge : small }),
      compileContext({ ...file.context, schema: 'alpaca' }),
    );
    const digests = Buffer.concat(outcomes.map((o) => Buffer.from(o.digests)));
    expect(digests.equals(Buffer.from(general.digests))).toBe(true);
    expect(outcomes.flatMap((o) => [...o.chars])).toEqual([...general.chars]);
  });

  it('nesting deeper than max_depth is INPUT_LIMIT for it, and the schema comes from the next line', async () => {
    const deep = `{"instruction":"x","output":"${'y'.repeat(PIECEWISE_RECORD_BYTES)}","n":${'['.repeat(70)}${']'.repeat(70)}}`;
    const file = fileOf();
    const notes = [];
    for await (const { outcome } of analyzedBatches(linesOf(`${deep}\n${small}\n`), file)) notes.push(...outcome.notes);
    expect(notes[0]?.[1]).toMatchObject({ error: { code: 'INPUT_LIMIT' } });
    expect(file.mapper?.name).toBe('alpaca');
  });
});
