/**
 * Shard rotation and the JSONL sinks: rows and bytes limits, names, digests that match the files,
 * gzip and zstd files that the system tools decompress to the exact lines, byte-identical
 * reruns, and provenance sidecars aligned line by line.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonlCompression, jsonlSinks } from '../../src/materialize/jsonl-sink.js';
import { provenanceSidecars } from '../../src/materialize/provenance-sidecar-sink.js';
import { ShardWriter, type WrittenFile } from '../../src/materialize/shard-writer.js';
import { tempDir } from '../helpers/temp.js';

const root = tempDir('mixsmith-shards-');
let folders = 0;
const freshDir = () => {
  const dir = path.join(root, `d${folders++}`);
  mkdirSync(dir);
  return dir;
};

const lineOf = (i: number, pad = 0) => JSON.stringify({ i, text: `record ${i} ${'x'.repeat(pad)} é 中` });

async function writeAll(
  dir: string,
  lines: readonly string[],
  options: { compression?: JsonlCompression; maxRows?: number | null; maxBytes?: number | null } = {},
) {
  const writer = new ShardWriter(dir, 'train', jsonlSinks(options.compression ?? 'none'), {
    maxRows: options.maxRows ?? null,
    maxBytes: options.maxBytes ?? null,
  });
  for (const line of lines) await writer.writeLine(line);
  return writer.finish();
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const readLines = (dir: string, files: readonly WrittenFile[]) =>
  files.flatMap((f) => readFileSync(path.join(dir, f.path), 'utf8').split('\n').filter(Boolean));

describe('ShardWriter', () => {
  it('rotates by rows and names shards <split>-NNNNN-of-NNNNN', async () => {
    const dir = freshDir();
    const lines = Array.from({ length: 25 }, (_, i) => lineOf(i));
    const files = await writeAll(dir, lines, { maxRows: 10 });
    expect(files.map((f) => [f.path, f.rows])).toEqual([
      ['train-00000-of-00003.jsonl', 10],
      ['train-00001-of-00003.jsonl', 10],
      ['train-00002-of-00003.jsonl', 5],
    ]);
    expect(readLines(dir, files)).toEqual(lines);
    for (const f of files) {
      expect(f.sha256).toBe(sha256(path.join(dir, f.path)));
      expect(f.bytes).toBe(readFileSync(path.join(dir, f.path)).length);
    }
    // no temporary files left behind
    expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.path).sort());
  });

  it('writes one empty shard when there is nothing to write', async () => {
    const dir = freshDir();
    const files = await writeAll(dir, []);
    expect(files).toEqual([
      {
        path: 'train-00000-of-00001.jsonl',
        split: 'train',
        rows: 0,
        bytes: 0,
        sha256: createHash('sha256').digest('hex'),
      },
    ]);
  });

  it('keeps every shard within the byte limit, except a single line larger than it', () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(300), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 50, max: 800 }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
        async (pads, maxBytes, maxRows) => {
          const dir = freshDir();
          const lines = pads.map((pad, i) => lineOf(i, pad));
          const files = await writeAll(dir, lines, { maxBytes, maxRows });
          expect(readLines(dir, files)).toEqual(lines);
          let at = 0;
          for (const f of files) {
            const shardLines = lines.slice(at, at + f.rows);
            at += f.rows;
            const lineBytes = shardLines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
            if (f.rows > 1) expect(lineBytes).toBeLessThanOrEqual(maxBytes);
            if (maxRows !== null) expect(f.rows).toBeLessThanOrEqual(maxRows);
          }
          // greedy: a shard closes only when the next line would not fit
          for (let k = 0; k + 1 < files.length; k++) {
            const end = files.slice(0, k + 1).reduce((sum, f) => sum + f.rows, 0);
            const shard = lines.slice(end - files[k]!.rows, end);
            const withNext = [...shard, lines[end]!].reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
            expect(withNext > maxBytes || (maxRows !== null && files[k]!.rows === maxRows)).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    ));

  for (const compression of ['gzip', 'zstd'] as const) {
    it(`writes ${compression} JSONL that the system ${compression} tool decompresses to the same lines, identically on reruns`, async () => {
      const lines = Array.from({ length: 3000 }, (_, i) => lineOf(i, i % 97));
      const a = freshDir();
      const b = freshDir();
      const filesA = await writeAll(a, lines, { compression, maxRows: 1200 });
      const filesB = await writeAll(b, lines, { compression, maxRows: 1200 });
      expect(filesA.map((f) => f.path)).toEqual(
        [0, 1, 2].map((i) => `train-0000${i}-of-00003.${compression === 'gzip' ? 'jsonl.gz' : 'jsonl.zst'}`),
      );
      expect(filesB).toEqual(filesA);
      const text = filesA
        .map((f) => {
          const file = path.join(a, f.path);
          expect(f.sha256).toBe(sha256(file));
          return execFileSync(compression, ['-d', '-c', file], { maxBuffer: 1 << 28 }).toString('utf8');
        })
        .join('');
      expect(text).toBe(lines.map((l) => `${l}\n`).join(''));
      // the on-disk bytes are compressed: smaller than the lines
      expect(filesA[0]!.bytes).toBeLessThan(Buffer.byteLength(text) / 3);
    });
  }

  it('moves provenance to <shard>.provenance.jsonl, keyed by line', async () => {
    const dir = freshDir();
    const records = Array.from({ length: 7 }, (_, i) => ({
      messages: [{ role: 'user', content: `q${i}` }],
      source: 's',
      group: i % 2 ? 'a' : 'b',
      origin: `f.jsonl:${i + 1}`,
    }));
    const writer = new ShardWriter(
      dir,
      'validation',
      provenanceSidecars(jsonlSinks('none'), ['source', 'group', 'origin']),
      { maxRows: 4, maxBytes: null },
    );
    for (const r of records) await writer.writeLine(JSON.stringify(r));
    const files = await writer.finish();
    expect(files.map((f) => f.sidecars?.map((s) => [s.path, s.rows]))).toEqual([
      [['validation-00000-of-00002.provenance.jsonl', 4]],
      [['validation-00001-of-00002.provenance.jsonl', 3]],
    ]);
    const shard = readFileSync(path.join(dir, files[1]!.path), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const sidecar = readFileSync(path.join(dir, files[1]!.sidecars![0]!.path), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(shard).toEqual(records.slice(4).map((r) => ({ messages: r.messages })));
    expect(sidecar).toEqual(
      records.slice(4).map((r, i) => ({ line: i + 1, source: r.source, group: r.group, origin: r.origin })),
    );
    expect(files[1]!.sidecars![0]!.sha256).toBe(sha256(path.join(dir, files[1]!.sidecars![0]!.path)));
  });

  it('takes lines as bytes without awaiting each one; lines over the 1 MiB write buffer and the 256 KiB compression chunk pass whole', async () => {
    // sizes around the buffers' edges, multi-byte text, one line of 3 MiB
    const sizes = [10, (1 << 20) - 3, 1 << 20, 5, (1 << 18) + 1, 3 << 20, 7, 100_000];
    const lines = sizes.map((n, i) => JSON.stringify({ i, text: `${'中'.repeat(i)}${'x'.repeat(n)}` }));
    for (const compression of ['none', 'gzip', 'zstd'] as const) {
      const a = freshDir();
      const b = freshDir();
      const viaStrings = await writeAll(a, lines, { compression, maxBytes: 2 << 20 });
      const writer = new ShardWriter(b, 'train', jsonlSinks(compression), { maxRows: null, maxBytes: 2 << 20 });
      for (const line of lines) {
        const pending = writer.writeLine(Buffer.from(line, 'utf8'));
        if (pending) await pending;
      }
      const viaBytes = await writer.finish();
      expect(viaBytes).toEqual(viaStrings);
      for (const f of viaBytes) expect(f.sha256).toBe(sha256(path.join(b, f.path)));
      if (compression === 'none') expect(readLines(b, viaBytes)).toEqual(lines);
    }
  });
});
