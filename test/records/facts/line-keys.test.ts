import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineKeyerFor, PIECEWISE_RECORD_BYTES } from '../../../src/records/facts/line-keys.js';
import {
  analyzeBatch,
  analyzeInput,
  compileContext,
  type LinesInput,
  type RecordContext,
} from '../../../src/records/facts/record-outcome.js';
import type { PresetName } from '../../../src/recipe/types.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** JSONL lines as a lines batch, as the scan sends them. */
function linesInput(lines: readonly string[]): LinesInput {
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      starts.push(start);
      ends.push(i);
      start = i + 1;
    }
  }
  return {
    kind: 'lines',
    bytes,
    starts: Uint32Array.from(starts),
    ends: Uint32Array.from(ends),
    lines: Float64Array.from(lines, (_, i) => i + 1),
    encoding: 'utf-8',
  };
}

const context = (schema: PresetName, extra: Partial<RecordContext> = {}): RecordContext => ({
  file: 0,
  displayPath: 'data/a.jsonl',
  source: 'a',
  seed: 7,
  dedup: true,
  schema,
  ...extra,
});

/** The outcome with the fast path and with the general path alone must be the same, byte for byte. */
function samePaths(lines: readonly string[], ctx: RecordContext): void {
  // Lines are bytes on disk: a damaged line with half a surrogate pair has no UTF-8 form to compare.
  fc.pre(lines.every((l) => !LONE_SURROGATE.test(l)));
  const compiled = compileContext(ctx);
  const fast = analyzeInput(linesInput(lines), compiled);
  const general = analyzeBatch(lines.length, (i) => ({ line: i + 1, text: lines[i]! }), compiled);
  expect(Buffer.from(fast.digests).equals(Buffer.from(general.digests)), lines.join('\n')).toBe(true);
  expect([...fast.keyed]).toEqual([...general.keyed]);
  expect([...fast.chars]).toEqual([...general.chars]);
  expect(fast.notes).toEqual(general.notes);
}

const text = fc
  .array(
    fc.constantFrom(
      'Hello',
      'world',
      ' ',
      '\n',
      '\t',
      'É',
      '中文',
      '，',
      'Ｆ',
      '²',
      '\u3000',
      '"',
      '\\',
      'e\u0301',
      'Σ',
      '😀',
      '\u{20000}',
      '\u0001',
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));
const fieldValue = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const fields = [
  'instruction',
  'input',
  'output',
  'system',
  'history',
  'context',
  'response',
  'prompt',
  'completion',
  'text',
  'id',
  'source',
];
const record = fc.dictionary(fc.constantFrom(...fields), fieldValue, { maxKeys: 7 });
/** Mostly well-formed lines, some with escapes written out, some damaged. */
const line = fc.oneof(
  { weight: 8, arbitrary: record.map((r) => JSON.stringify(r)) },
  {
    weight: 1,
    arbitrary: record.map((r) =>
      JSON.stringify(r).replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(record, fc.nat(), fc.constantFrom('', '"', '\\', '}', ',')).map(([r, at, add]) => {
      const t = JSON.stringify(r);
      const i = at % (t.length + 1);
      return t.slice(0, i) + add + t.slice(i + 1);
    }),
  },
);

describe('the JSONL fast path (line-keys.ts)', () => {
  for (const schema of ['alpaca', 'dolly', 'prompt-completion', 'text'] as const) {
    it(`gives the general path's outcome for every record (${schema})`, () => {
      fc.assert(
        fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => samePaths(lines, context(schema))),
        { numRuns: 600 },
      );
    });
  }

  it('agrees with exact dedup off (the origin joins the key) and with reserved provenance fields', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) =>
        samePaths(lines, context('alpaca', { dedup: false })),
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) =>
        samePaths(
          lines,
          context('alpaca', { reservedFields: ['source', 'group', 'origin'], outputSchema: 'passthrough' }),
        ),
      ),
      { numRuns: 300 },
    );
  });

  it('answers for ordinary records, in many scripts, and leaves the unusual ones to the general path', () => {
    const keyer = lineKeyerFor(compileContext(context('alpaca')), 'utf-8')!;
    const answered = (value: unknown) => {
      const bytes = Buffer.from(JSON.stringify(value));
      keyer.begin();
      const answer = keyer.keyLine(bytes, 0, bytes.length, 1, Buffer.alloc(32), 0) >= 0;
      keyer.finish(Buffer.alloc(32));
      return answer;
    };
    expect(answered({ instruction: 'What is BP?', input: '', output: 'Blood pressure.\nMeasure it twice.' })).toBe(
      true,
    );
    expect(
      answered({ id: 3, instruction: '高血压怎么办？', output: '注意饮食，适量运动。', system: 'Ｄｏｃｔｏｒ' }),
    ).toBe(true);
    expect(answered({ instruction: 'Привет', output: 'Γειά σου 😀', history: null })).toBe(true);
    expect(answered({ instruction: 'x', output: 'y', history: [['a', 'b']] })).toBe(false);
    expect(answered({ instruction: 'x', output: 7 })).toBe(false);
    expect(answered({ instruction: 'cafe\u0301', output: 'y' })).toBe(false); // a combining mark
    expect(answered({ instruction: ' ', output: '\u3000' })).toBe(false); // empty once normalised
  });

  it('is not taken where the general path must see the body: filters, a mapping, other encodings, an output conflict', () => {
    expect(lineKeyerFor(compileContext(context('alpaca', { filters: { min_chars: 3 } })), 'utf-8')).toBeUndefined();
    expect(lineKeyerFor(compileContext(context('alpaca')), 'gb18030')).toBeUndefined();
    expect(lineKeyerFor(compileContext(context('sharegpt')), 'utf-8')).toBeUndefined();
    expect(lineKeyerFor(compileContext(context('text', { outputSchema: 'messages' })), 'utf-8')).toBeUndefined();
    expect(lineKeyerFor(compileContext(context('alpaca')), 'utf-8')).toBeDefined();
  });

  it('keys a record past PIECEWISE_RECORD_BYTES in pieces, with the general path’s digests and length', () => {
    const huge = (pattern: string) => pattern.repeat(Math.ceil((PIECEWISE_RECORD_BYTES + 4096) / pattern.length));
    for (const [output, dedup] of [
      // Runs of white space across piece ends, many scripts: the WebAssembly writer answers.
      [huge('Hello   World\\n\\t中文 Ｆ ²  \u3000 é '), true],
      // A \u escape and a pair: the WebAssembly writer declines, the JS one answers.
      [huge('caf\\u00e9 \\ud83d\\ude00  x'), false],
    ] as const) {
      const line = `{"instruction":"Q  ","input":"","output":"${output}   "}`;
      const compiled = compileContext(context('alpaca', { dedup }));
      const input = linesInput(['{"instruction":"a","output":"b"}', line]);
      const keyer = lineKeyerFor(compiled, 'utf-8')!;
      const digests = new Uint8Array(64);
      keyer.begin();
      const chars = keyer.keyLine(Buffer.from(input.bytes), input.starts[1]!, input.ends[1]!, 2, digests, 32);
      keyer.finish(digests);
      const general = analyzeBatch(
        2,
        (i) => ({ line: i + 1, text: i === 0 ? '{"instruction":"a","output":"b"}' : line }),
        compiled,
      );
      expect(chars).toBeGreaterThan(PIECEWISE_RECORD_BYTES / 4); // answered by the fast path
      expect(chars).toBe(general.chars[1]);
      expect(Buffer.from(digests.subarray(32)).equals(Buffer.from(general.digests.subarray(32)))).toBe(true);
    }
  });
});
