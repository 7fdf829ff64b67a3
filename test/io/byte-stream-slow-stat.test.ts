/**
 * A compressed file whose size is slow to come (a loaded machine, a network file system): the bytes
 * read meanwhile must still reach the decompressor. The size used to be asked after the file was
 * opened and its sha256 listener had started the flow, so under load a small gzip file's only chunk
 * went to the hash and not to gunzip: "the gzip stream ends early" on a sound file (seen once in CI).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { byteStream } from '../../src/io/byte-stream.js';
import { tempDir } from '../helpers/temp.js';
import { writeBytes } from './helpers/write-formats.js';

vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof import('node:fs/promises')>();
  const slowStat = async (...args: Parameters<typeof actual.stat>) => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    return actual.stat(...args);
  };
  return { ...actual, default: { ...actual, stat: slowStat }, stat: slowStat };
});

const dir = tempDir('mixsmith-slow-stat-');

describe('byteStream with a slow stat', () => {
  it('decompresses a small gzip file whole and hashes the same bytes', async () => {
    const text = Buffer.from(Array.from({ length: 2000 }, (_, i) => `{"id":${i}}\n`).join(''));
    const packed = gzipSync(text);
    const file = writeBytes(path.join(dir, 'small.jsonl.gz'), packed);
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    for await (const chunk of byteStream(file, { displayPath: 'small.jsonl.gz', onFileBytes: (b) => hash.update(b) }))
      chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(text)).toBe(true);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(packed).digest('hex'));
  });
});
