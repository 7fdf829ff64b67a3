import { describe, expect, it } from 'vitest';
import { splitFields, textAfterClosingQuote } from '../../../src/records/read/csv-fields.js';
import { csvRecords } from '../../../src/records/read/csv-records.js';
import { csvRecordBytes } from '../../../src/records/read/csv-splitter.js';
import { MixsmithError } from '../../../src/errors.js';
import type { RawRecord } from '../../../src/records/read/raw-record.js';

/** Feed `bytes` in chunks of `size`, so every record boundary case meets a chunk boundary. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function rows(
  text: string | Buffer,
  options: { format?: 'csv' | 'tsv'; encoding?: string; chunk?: number } = {},
): Promise<RawRecord[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const out: RawRecord[] = [];
  const reader = csvRecords(chunked(bytes, options.chunk ?? 1 << 20), {
    format: options.format ?? 'csv',
    encoding: options.encoding ?? 'utf-8',
    displayPath: 'in.csv',
  });
  for await (const batch of reader) out.push(...batch);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<MixsmithError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MixsmithError);
  return error as MixsmithError;
}

describe('splitFields', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"a,1","b ""x""",c', ['a,1', 'b "x"', 'c']],
    ['"multi\nline",', ['multi\nline', '']],
    [',,', ['', '', '']],
    ['plain "mid" quote,x', ['plain "mid" quote', 'x']],
    ['"closed"tail,x', ['closedtail', 'x']],
    ['', ['']],
  ])('%j', (text, expected) => {
    expect(splitFields(text, ',')).toEqual(expected);
  });
});

describe('textAfterClosingQuote', () => {
  it.each([
    ['a,b,c', -1],
    ['"a,1","b ""x""",c', -1],
    ['"multi\nline",', -1],
    ['"",""""', -1],
    ['plain "mid" quote,x', -1],
    ['"closed"tail,x', 8],
    ['x,"a" ,y', 5],
    ['"open, never closed', -1],
  ])('%j', (text, expected) => {
    expect(textAfterClosingQuote(text, ',')).toBe(expected);
  });
});

describe('csvRecords', () => {
  const text =
    'title,ask,answer\r\n"Headache","I have a headache,\r\nwhat now?","Rest"\r\n\r\nFever,"38.5 ""C""",Drink water\r\n';

  it.each([1, 2, 3, 7, 1 << 20])(
    'reads quoted fields, embedded CRLF and blank lines with %i-byte chunks',
    async (chunk) => {
      const records = await rows(text, { chunk });
      expect(records.map((r) => r.value)).toEqual([
        { title: 'Headache', ask: 'I have a headache,\r\nwhat now?', answer: 'Rest' },
        { title: 'Fever', ask: '38.5 "C"', answer: 'Drink water' },
      ]);
      // Lines where each row starts (the second row spans lines 2–3; line 4 is blank).
      expect(records.map((r) => r.line)).toEqual([2, 5]);
      // Offsets point at the row's bytes, for re-reading by position.
      const bytes = Buffer.from(text);
      for (const r of records) expect(bytes.toString('utf8', r.offset, r.offset + r.length)).toBe(r.text);
    },
  );

  it('drops a UTF-8 BOM before a quoted header and names the empty pandas index column', async () => {
    const records = await rows('\uFEFF"",q,a\n0,x,y\n', { chunk: 2 });
    expect(records.map((r) => r.value)).toEqual([{ column_1: '0', q: 'x', a: 'y' }]);
  });

  it('reads TSV, and a final row without a line break', async () => {
    const records = await rows('q\ta\nwhat\tthat, with a comma', { format: 'tsv' });
    expect(records.map((r) => r.value)).toEqual([{ q: 'what', a: 'that, with a comma' }]);
  });

  it('marks a row with the wrong field count as INPUT_CSV at its line, and keeps reading', async () => {
    const records = await rows('q,a\nok,fine\nmissing a comma\nx,y,z\nok2,fine2\n');
    expect(records.map((r) => r.problem?.code ?? 'ok')).toEqual(['ok', 'INPUT_CSV', 'INPUT_CSV', 'ok']);
    expect(records[1]!.line).toBe(3);
    expect(records[1]!.problem!.message).toBe('the row has 1 field, the header has 2');
    expect(records[2]!.problem!.message).toBe('the row has 3 fields, the header has 2');
    expect(records[1]!.problem!.hint).toMatch(/quoted/);
  });

  it('reports a quote that is never closed at the row where it opened', async () => {
    const error = await failure(rows('q,a\nok,fine\n"open,never closed\nmore\n'));
    expect(error.code).toBe('INPUT_CSV');
    expect(error.where).toEqual({ file: 'in.csv', line: 3 });
    expect(error.hint).toMatch(/closing/);
  });

  it.each([1, 3, 1 << 20])(
    'an unbalanced quote mid-file is INPUT_CSV at the line it opens on, not rows merged silently (%i-byte chunks)',
    async (chunk) => {
      // Line 3 opens a quote that is never closed; the quote opening line 5's field "closes" it.
      const records = await rows('q,a\nok,fine\n"unbalanced,x\nnext,row\n"quoted",y\nlast,z\n', { chunk });
      expect(records.map((r) => [r.line, r.problem?.code ?? 'ok'])).toEqual([
        [2, 'ok'],
        [3, 'INPUT_CSV'],
        [6, 'ok'],
      ]);
      expect(records[1]!.problem!.message).toContain('line 5');
    },
  );

  it('text right after a closing quote is INPUT_CSV at its line, and reading goes on', async () => {
    const records = await rows('q,a\n"closed"tail,x\nx,"a" \nok,fine\n');
    expect(records.map((r) => [r.line, r.problem?.code ?? 'ok'])).toEqual([
      [2, 'INPUT_CSV'],
      [3, 'INPUT_CSV'],
      [4, 'ok'],
    ]);
    expect(records[0]!.problem!.hint).toMatch(/""/);
  });

  it('refuses a header with text after a closing quote', async () => {
    const error = await failure(rows('q,"a"b\n1,2\n'));
    expect(error.code).toBe('INPUT_CSV');
    expect(error.where).toEqual({ file: 'in.csv', line: 1 });
  });

  it.each([1, 2, 5, 1 << 20])('still reads every RFC 4180 form with %i-byte chunks', async (chunk) => {
    const text = [
      'id,q,a',
      '1,"comma, inside","doubled ""quotes"" inside"',
      '2,"line\nbreak","crlf\r\nbreak"',
      '3,"",""""',
      '4,"ends with a quote""","""starts with one"',
      '5,unquoted 5" screen,"a ""b"" c"',
      '6,"""""","x"',
      '"7","quoted id",last',
    ].join('\r\n');
    const records = await rows(`${text}\r\n`, { chunk });
    expect(records.filter((r) => r.problem)).toEqual([]);
    expect(records.map((r) => r.value)).toEqual([
      { id: '1', q: 'comma, inside', a: 'doubled "quotes" inside' },
      { id: '2', q: 'line\nbreak', a: 'crlf\r\nbreak' },
      { id: '3', q: '', a: '"' },
      { id: '4', q: 'ends with a quote"', a: '"starts with one' },
      { id: '5', q: 'unquoted 5" screen', a: 'a "b" c' },
      { id: '6', q: '""', a: 'x' },
      { id: '7', q: 'quoted id', a: 'last' },
    ]);
    expect(records.map((r) => r.line)).toEqual([2, 3, 6, 7, 8, 9, 10]);
  });

  it('reads a quoted TSV field holding a tab and a line break', async () => {
    const records = await rows('q\ta\n"tab\there"\t"two\nlines"\n', { format: 'tsv' });
    expect(records.map((r) => r.value)).toEqual([{ q: 'tab\there', a: 'two\nlines' }]);
  });

  it('refuses a header that names a column twice', async () => {
    const error = await failure(rows('q,q\n1,2\n'));
    expect(error.code).toBe('INPUT_CSV');
    expect(error.where).toEqual({ file: 'in.csv', line: 1 });
  });

  it('suggests format: tsv for a tab-separated file read as CSV', async () => {
    const error = await failure(rows('q\ta\n1\t2\n'));
    expect(error.hint).toMatch(/format: tsv/);
  });
});

describe('GB18030 CSV (a Chinese medical dialogue export)', () => {
  // department,title,ask,answer with a quoted comma and a quoted line break, in GB18030, CRLF.
  const GB18030 = Buffer.from(
    '6465706172746d656e742c7469746c652c61736b2c616e737765720d0ac4dabfc62cb8dfd1aad1b9d4f5c3b4b0ec2c22cdb7d4ce2c20d1aad1b93135302f313030222c22b5cdd1ced2fbcab3a3acb0b4cab1b7fed2a9220d0ab6f9bfc62cb7a2c9d52c22baa2d7d3b7a2c9d533382e35b6c80ad4f5c3b4b0ec222cb6e0bac8cbae0d0a',
    'hex',
  );

  it('decodes every field with encoding: gb18030', async () => {
    const records = await rows(GB18030, { encoding: 'gb18030', chunk: 5 });
    expect(records.map((r) => r.value)).toEqual([
      { department: '内科', title: '高血压怎么办', ask: '头晕, 血压150/100', answer: '低盐饮食，按时服药' },
      { department: '儿科', title: '发烧', ask: '孩子发烧38.5度\n怎么办', answer: '多喝水' },
    ]);
  });

  it('read as UTF-8, each row is INPUT_ENCODING at its line with a hint naming gb18030', async () => {
    const records = await rows(GB18030);
    expect(records.map((r) => [r.line, r.problem?.code])).toEqual([
      [2, 'INPUT_ENCODING'],
      [3, 'INPUT_ENCODING'],
    ]);
    expect(records[0]!.problem!.message).toMatch(/not valid UTF-8 \(byte 1 of the record is 0xc4\)/);
    expect(records[0]!.problem!.hint).toMatch(/encoding: gb18030/);
  });

  it('bytes invalid even in GB18030 are INPUT_ENCODING too', async () => {
    const bad = Buffer.concat([Buffer.from('q,a\n'), Buffer.from([0xc4, 0xda, 0x2c, 0xff, 0x0a])]);
    const records = await rows(bad, { encoding: 'gb18030' });
    expect(records[0]!.problem?.code).toBe('INPUT_ENCODING');
    expect(records[0]!.problem!.message).toBe('the record is not valid gb18030');
  });
});

describe('csvRecordBytes', () => {
  it('stops a runaway quoted field at the cap instead of growing without bound', async () => {
    const { DEFAULT_MAX_RECORD_BYTES: MAX_CSV_RECORD_BYTES } = await import('../../../src/io/read-limits.js');
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('a\n"');
      const block = Buffer.alloc(8 << 20, 0x61);
      for (let sent = 0; sent <= MAX_CSV_RECORD_BYTES + block.length; sent += block.length) yield block;
    }
    const error = await failure(
      (async () => {
        for await (const _ of csvRecordBytes(endless(), 44, 'big.csv')) {
          // drain
        }
      })(),
    );
    expect(error.code).toBe('INPUT_CSV');
    expect(error.where).toEqual({ file: 'big.csv', line: 2 });
  });
});
