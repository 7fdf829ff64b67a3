import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { byteStream, type GzipDecoder } from '../../src/io/byte-stream.js';
import { readRecords } from '../../src/records/read/read-records.js';
import { zstdCliAvailable, type ZstdDecoder } from '../../src/io/zstd-stream.js';
import { decompressionBlocksAllocated } from '../../src/io/worker-decompression.js';
import { liveWorkers } from '../../src/workers/worker-pool.js';
import { tempDir } from '../helpers/temp.js';
import { csvText, jsonArrayBytes, jsonlBytes, wrapBytes, writeBytes } from './helpers/write-formats.js';

const dir = tempDir('mixsmith-bytes-');
// ~3 MB of JSONL: several 1 MiB read chunks and many decompressed chunks.
const RECORDS = Array.from({ length: 20000 }, (_, i) => ({ id: i, text: `record ${i} ${'数据'.repeat(i % 50)}` }));
const PLAIN = jsonlBytes(RECORDS);

async function collect(
  file: string,
  options: { zstdDecoder?: ZstdDecoder; gzipDecoder?: GzipDecoder; onFileBytes?: (b: Buffer) => void } = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of byteStream(file, { displayPath: path.basename(file), ...options })) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<MixsmithError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MixsmithError);
  return error as MixsmithError;
}

const decoders: ZstdDecoder[] = ['napi', 'worker', ...(zstdCliAvailable() ? (['cli'] as const) : [])];

it.runIf(process.env.CI === 'true')('has the zstd command under CI, so both decoders are tested', () => {
  expect(zstdCliAvailable()).toBe(true);
});

describe.each(decoders)('zstd through %s', (decoder) => {
  const file = writeBytes(path.join(dir, `data-${decoder}.jsonl.zst`), wrapBytes(PLAIN, 'zstd'));

  it('decompresses to the original bytes and shows the file bytes to the hash hook', async () => {
    const hash = createHash('sha256');
    let seen = 0;
    const out = await collect(file, {
      zstdDecoder: decoder,
      onFileBytes: (chunk) => {
        hash.update(chunk);
        seen += chunk.length;
      },
    });
    expect(out.equals(PLAIN)).toBe(true);
    const onDisk = readFileSync(file);
    expect(seen).toBe(onDisk.length);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(onDisk).digest('hex'));
  });

  it('stops early without an error when only the start is wanted', async () => {
    for await (const chunk of byteStream(file, { displayPath: 'x', zstdDecoder: decoder, maxFileBytes: 1000 })) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    // No decompressing thread outlives the stream (it would keep the process alive).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(liveWorkers('decompress')).toBe(0);
  });
});

const gzipDecoders: GzipDecoder[] = ['inline', 'worker', 'worker-stream'];

describe.each(gzipDecoders)('gzip through %s', (decoder) => {
  const file = writeBytes(path.join(dir, `data-${decoder}.jsonl.gz`), wrapBytes(PLAIN, 'gzip'));

  it('decompresses to the original bytes, also a file of two gzip members', async () => {
    expect((await collect(file, { gzipDecoder: decoder })).equals(PLAIN)).toBe(true);
    const twice = writeBytes(
      path.join(dir, `twice-${decoder}.jsonl.gz`),
      Buffer.concat([wrapBytes(PLAIN, 'gzip'), wrapBytes(PLAIN, 'gzip')]),
    );
    expect((await collect(twice, { gzipDecoder: decoder })).equals(Buffer.concat([PLAIN, PLAIN]))).toBe(true);
  });

  it('reports a truncated gzip at the line after the last record read', async () => {
    const cut = writeBytes(path.join(dir, `cut-lines-${decoder}.jsonl.gz`), readFileSync(file).subarray(0, 30000));
    let last = 0;
    const error = await failure(
      (async () => {
        for await (const batch of readRecords(cut, {
          format: 'jsonl',
          displayPath: 'cut.jsonl.gz',
          gzipDecoder: decoder,
        }))
          last = batch.at(-1)!.line;
      })(),
    );
    expect(error.code).toBe('INPUT_IO');
    expect(last).toBeGreaterThan(0);
    expect(error.where).toEqual({ file: 'cut.jsonl.gz', line: last + 1 });
    expect(error.message).toBe(`cut.jsonl.gz: the gzip stream ends early (truncated file), after line ${last}`);
  });
});

// Failures read the same through every decoder: the codec's name, what happened, what to run.
const failing = [
  ...decoders.map((decoder) => ({
    codec: 'zstd' as const,
    decoder,
    cutAt: 40000,
    corrupt: [2000, 6000],
    options: { zstdDecoder: decoder },
  })),
  ...gzipDecoders.map((decoder) => ({
    codec: 'gzip' as const,
    decoder,
    cutAt: 30000,
    corrupt: [20, 2000],
    options: { gzipDecoder: decoder },
  })),
] as const;

describe.each(failing)('$codec through $decoder, failing', ({ codec, decoder, cutAt, corrupt, options }) => {
  const ext = codec === 'zstd' ? 'zst' : 'gz';
  const file = writeBytes(path.join(dir, `failing-${decoder}.jsonl.${ext}`), wrapBytes(PLAIN, codec));

  it('reports a truncated file as INPUT_IO with a hint', async () => {
    const cut = writeBytes(path.join(dir, `cut-${decoder}.jsonl.${ext}`), readFileSync(file).subarray(0, cutAt));
    const error = await failure(collect(cut, options));
    expect(error.code).toBe('INPUT_IO');
    expect(error.message).toBe(`cut-${decoder}.jsonl.${ext}: the ${codec} stream ends early (truncated file)`);
    expect(error.hint).toMatch(/cut short/);
  });

  it('reports corrupt data as INPUT_IO naming the check to run', async () => {
    const bytes = Buffer.from(readFileSync(file));
    bytes.fill(0x41, corrupt[0], corrupt[1]);
    const error = await failure(collect(writeBytes(path.join(dir, `corrupt-${decoder}.jsonl.${ext}`), bytes), options));
    expect(error.code).toBe('INPUT_IO');
    expect(error.message).toMatch(new RegExp(`the ${codec} data is corrupt`));
    expect(error.hint).toMatch(new RegExp(`${codec} -t`));
  });
});

describe.each([
  ['gzip', 'worker'],
  ['gzip', 'worker-stream'],
  ['zstd', 'worker'],
] as const)('%s through a %s', (codec, decoder) => {
  // ~16 MB of lines that compress poorly: a dozen 1 MiB chunks read, sixteen 1 MiB blocks out.
  const big = Buffer.from(
    Array.from(
      { length: 2000 },
      (_, i) =>
        `{"id":${i},"text":"${Array.from({ length: 95 }, (_, j) => createHash('sha512').update(`${i}:${j}`).digest('base64')).join('')}"}\n`,
    ).join(''),
  );
  const file = writeBytes(
    path.join(dir, `big-${decoder}.jsonl.${codec === 'gzip' ? 'gz' : 'zst'}`),
    wrapBytes(big, codec),
  );
  const options = codec === 'gzip' ? { gzipDecoder: decoder } : { zstdDecoder: decoder as ZstdDecoder };

  it('fills the blocks a reader releases again, and keeps every byte', async () => {
    // Blocks come back as new ArrayBuffer objects whatever their memory: the worker counts its allocations.
    const read = async (release: boolean) => {
      const before = decompressionBlocksAllocated();
      const copies: Buffer[] = [];
      const chunks = byteStream(file, { displayPath: 'big', ...options });
      for await (const chunk of chunks) {
        copies.push(Buffer.from(chunk));
        if (release) chunks.release(chunk);
      }
      expect(Buffer.concat(copies).equals(big)).toBe(true);
      return decompressionBlocksAllocated() - before;
    };
    const fresh = await read(false);
    const recycled = await read(true);
    expect(fresh).toBeGreaterThanOrEqual(12);
    expect(recycled).toBeLessThan(fresh * 0.6);
  });
});

describe('readers that keep no count of released blocks', () => {
  it('read compressed CSV and JSON arrays through a worker, every record in order', async () => {
    const rows = RECORDS.map((r) => ({ id: String(r.id), text: r.text }));
    const csv = writeBytes(
      path.join(dir, 'rows.csv.gz'),
      wrapBytes(Buffer.from(csvText(['id', 'text'], rows)), 'gzip'),
    );
    const json = writeBytes(path.join(dir, 'rows.json.zst'), wrapBytes(jsonArrayBytes(RECORDS), 'zstd'));
    const seen = async (file: string, format: 'csv' | 'json') => {
      const ids: unknown[] = [];
      for await (const batch of readRecords(file, {
        format,
        displayPath: file,
        gzipDecoder: 'worker',
        zstdDecoder: 'worker',
      })) {
        for (const record of batch)
          ids.push(
            format === 'csv'
              ? (record.value as Record<string, string>).id
              : (JSON.parse(record.text) as { id: number }).id,
          );
      }
      return ids;
    };
    expect(await seen(csv, 'csv')).toEqual(rows.map((r) => r.id));
    expect(await seen(json, 'json')).toEqual(RECORDS.map((r) => r.id));
  });
});
