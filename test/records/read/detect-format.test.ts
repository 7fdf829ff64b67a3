import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../../src/errors.js';
import { detectCompression } from '../../../src/io/compression.js';
import { detectFormat } from '../../../src/records/read/detect-format.js';
import { tempDir } from '../../helpers/temp.js';
import { chatParquet, wrapBytes, writeBytes } from '../../io/helpers/write-formats.js';

const dir = tempDir('mixsmith-detect-');
const JSONL = Buffer.from('{"a":1}\n{"a":2}\n');
const ARRAY = Buffer.from('\n  [ {"a": 1} ]');
const PARQUET = chatParquet([{ id: 1, messages: [{ role: 'user', content: 'hi' }] }], { codec: 'SNAPPY' });

async function detect(name: string, bytes: Uint8Array, declared: 'auto' | 'csv' = 'auto') {
  const file = writeBytes(path.join(dir, name), bytes);
  return detectFormat(file, name, declared);
}

async function detectError(name: string, bytes: Uint8Array): Promise<MixsmithError> {
  const error = await detect(name, bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MixsmithError);
  return error as MixsmithError;
}

describe('detectFormat', () => {
  it.each([
    ['a.jsonl', JSONL, 'jsonl'],
    ['a.ndjson.gz', wrapBytes(JSONL, 'gzip'), 'jsonl'],
    ['jsonl-named.json', JSONL, 'jsonl'],
    ['jsonl-named.txt', JSONL, 'jsonl'],
    ['array.json', ARRAY, 'json'],
    ['array.json.zst', wrapBytes(ARRAY, 'zstd'), 'json'],
    ['gzip-without-suffix.json', wrapBytes(ARRAY, 'gzip'), 'json'],
    ['bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ARRAY]), 'json'],
    ['data.parquet', PARQUET, 'parquet'],
    ['parquet-named.bin', PARQUET, 'parquet'],
    ['rows.csv', Buffer.from('a,b\n1,2\n'), 'csv'],
    ['rows.csv.zst', wrapBytes(Buffer.from('a,b\n1,2\n'), 'zstd'), 'csv'],
    ['rows.tsv', Buffer.from('a\tb\n'), 'tsv'],
    ['rows.TAB', Buffer.from('a\tb\n'), 'tsv'],
    ['empty.json', Buffer.alloc(0), 'jsonl'],
    ['bad-first-line.jsonl', Buffer.from('{"a": \n{"a":1}\n'), 'jsonl'],
  ])('%s → %s', async (name, bytes, expected) => {
    expect(await detect(name, bytes)).toBe(expected);
  });

  it('takes a declared format as given', async () => {
    expect(await detect('rows.txt', Buffer.from('a,b\n'), 'csv')).toBe('csv');
  });

  it('names what it saw and what it accepts for anything else', async () => {
    const error = await detectError('doc.xml', Buffer.from('<?xml version="1.0"?>\n<Document id="1">'));
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.where).toEqual({ file: 'doc.xml', line: 1 });
    expect(error.message).toContain('it starts with "<?xml version="1.0"?> <Document id="1">"');
    expect(error.message).toContain('.xml names no format');
    expect(error.hint).toMatch(/Parquet/);
    expect(error.hint).toMatch(/CSV/);
  });

  it('tells a pretty-printed single object from JSON Lines', async () => {
    const error = await detectError('object.json', Buffer.from('{\n  "data": [\n    {"a": 1}\n  ]\n}\n'));
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.message).toMatch(/one JSON object spread over several lines/);
  });

  it('refuses UTF-16 with the conversion to run', async () => {
    const error = await detectError('utf16.jsonl', Buffer.from([0xff, 0xfe, 0x7b, 0x00]));
    expect(error.code).toBe('INPUT_ENCODING');
    expect(error.hint).toMatch(/iconv -f UTF-16/);
  });

  it('refuses a .parquet that is not Parquet', async () => {
    const error = await detectError('fake.parquet', JSONL);
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.message).toMatch(/PAR1/);
  });
});

describe('detectCompression', () => {
  it('trusts content over the name, and refuses a name that lies', async () => {
    const file = writeBytes(path.join(dir, 'plain.jsonl.gz'), JSONL);
    const error = await detectCompression(file, 'plain.jsonl.gz').then(
      () => undefined,
      (e: unknown) => e as MixsmithError,
    );
    expect(error?.code).toBe('INPUT_FORMAT');
    expect(error?.message).toBe('plain.jsonl.gz: named as gzip but its first bytes are not compressed');
    const zst = writeBytes(path.join(dir, 'really-zstd.jsonl'), wrapBytes(JSONL, 'zstd'));
    expect(await detectCompression(zst, 'really-zstd.jsonl')).toBe('zstd');
  });
});
