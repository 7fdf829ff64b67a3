/** The JSONL splitter: every non-blank line once, with its stream offset and line number, however the bytes arrive. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, LONG_LINE_BYTES, lineBatches } from '../../../src/records/read/line-batches.js';
import { lineRecords } from '../../../src/records/read/line-records.js';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield Buffer.from(bytes.subarray(at, at + size));
}

/** The plain definition: split on \n, drop a trailing \r, skip blank lines, offsets after a BOM. */
function reference(bytes: Buffer): { line: number; offset: number; text: string }[] {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const out: { line: number; offset: number; text: string }[] = [];
  let offset = bom;
  const parts = bytes.subarray(bom).toString('latin1').split('\n');
  parts.forEach((part, i) => {
    const text = part.endsWith('\r') ? part.slice(0, -1) : part;
    if (!(i === parts.length - 1 && part === '') && text.trim() !== '') out.push({ line: i + 1, offset, text });
    offset += part.length + 1;
  });
  return out;
}

async function split(bytes: Buffer, chunk: number) {
  const out: { line: number; offset: number; text: string }[] = [];
  for await (const batch of lineBatches(chunked(bytes, chunk))) {
    for (let i = 0; i < batch.starts.length; i++) {
      out.push({
        line: batch.lines[i]!,
        offset: batch.base + batch.starts[i]!,
        text: Buffer.from(batch.bytes.subarray(batch.starts[i]!, batch.ends[i]!)).toString('latin1'),
      });
    }
  }
  return out;
}

describe('lineBatches', () => {
  it('finds every line as the plain definition does, for any chunking', async () => {
    const line = fc.oneof(
      fc.constantFrom('', ' ', '\t', '\r', '{"a":1}', '{"b":"x y"}\r'),
      fc.string({ unit: fc.constantFrom('a', ' ', '{', '}', '\r') }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(line, { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async (bom, lines, finalNewline, chunk) => {
          const text = lines.join('\n') + (finalNewline ? '\n' : '');
          const bytes = Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'latin1')]);
          expect(await split(bytes, chunk)).toEqual(reference(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps lines longer than a block whole, and gathers small chunks into blocks', async () => {
    const long = `{"t":"${'x'.repeat(BLOCK_BYTES * 2 + 17)}"}`;
    const bytes = Buffer.from(`{"a":1}\n${long}\n{"b":2}\n${'{"c":3}\n'.repeat(300_000)}`, 'latin1');
    const batches = [];
    for await (const batch of lineBatches(chunked(bytes, 65_536))) batches.push(batch);
    const got = await split(bytes, 65_536);
    expect(got).toEqual(reference(bytes));
    expect(got[1]!.text.length).toBe(long.length);
    // 64 KiB chunks arrive; batches are about a block each, not a chunk each.
    expect(batches.length).toBeLessThan(bytes.length / BLOCK_BYTES + 3);
  });

  it('copies a line past LONG_LINE_BYTES as it arrives and still finds every line as the plain definition does', async () => {
    const long = (n: number) => `{"t":"${'y'.repeat(LONG_LINE_BYTES + n)}"}`;
    for (const [text, chunk] of [
      [`\ufeff{"a":1}\n${long(5)}\r\n{"b":2}\n`, 65_536],
      [`${long(0)}`, 1_000_003],
      [`{"a":1}\n\n${long(3 * BLOCK_BYTES)}\n${long(1)}\n{"c":3}`, 3 * BLOCK_BYTES + 7],
    ] as const) {
      const bytes = Buffer.from(text, 'utf8');
      expect(await split(bytes, chunk)).toEqual(reference(bytes));
    }
  });

  it('a long line at its limit is read whole; one byte more is INPUT_LIMIT at its line', async () => {
    const maxRecordBytes = LONG_LINE_BYTES + 100;
    const at = (n: number) => Buffer.from(`{"a":1}\n{"b":2}\n"${'z'.repeat(n - 2)}"\r\n{"c":3}\n`, 'latin1');
    const read = async (bytes: Buffer) => {
      const lengths: number[] = [];
      const limits = { maxRecordBytes, maxDepth: 512 };
      for await (const batch of lineBatches(chunked(bytes, 65_536), { limits, displayPath: 'f.jsonl' }))
        for (let i = 0; i < batch.starts.length; i++) lengths.push(batch.ends[i]! - batch.starts[i]!);
      return lengths;
    };
    expect(await read(at(maxRecordBytes))).toEqual([7, 7, maxRecordBytes, 7]);
    await expect(read(at(maxRecordBytes + 1))).rejects.toMatchObject({ code: 'INPUT_LIMIT', where: { line: 3 } });
    const endless = Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.alloc(maxRecordBytes + 1, 0x20)]);
    await expect(read(endless)).rejects.toMatchObject({ code: 'INPUT_LIMIT', where: { line: 2 } });
  });

  it('owns each block, so handing it to a worker never detaches another batch', async () => {
    const bytes = Buffer.from('{"a":1}\n{"b":2}\n'.repeat(200_000), 'latin1');
    const buffers = new Set<ArrayBufferLike>();
    let batches = 0;
    for await (const batch of lineBatches(chunked(bytes, 100_000))) {
      buffers.add(batch.bytes.buffer);
      batches++;
    }
    expect(buffers.size).toBe(batches);
  });

  it('yields the whole lines read before a failing stream fails', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"a":1}\n{"b":2}\n{"c":');
      throw new Error('truncated');
    }
    const lines: number[] = [];
    await expect(
      (async () => {
        for await (const batch of lineBatches(failing())) lines.push(...batch.lines);
      })(),
    ).rejects.toThrow('truncated');
    expect(lines).toEqual([1, 2]);
  });

  it('lineRecords decodes the same lines, one record each', async () => {
    const bytes = Buffer.from('\ufeff{"a":"é"}\r\n\n{"b":2}', 'utf8');
    const records = [];
    for await (const batch of lineRecords(chunked(bytes, 3))) records.push(...batch);
    expect(records).toEqual([
      { line: 1, offset: 3, length: 10, text: '{"a":"é"}' },
      { line: 3, offset: 16, length: 7, text: '{"b":2}' },
    ]);
  });
});
