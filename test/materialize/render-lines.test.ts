/**
 * The write phase's per-record step for worker threads: each record's bytes in, its output line
 * out, checked against what the scan saw. Compared here with the main thread's way of rendering
 * the same record (parse, map, render, JSON.stringify); test/compose/workers.test.ts compares
 * whole outputs with and without workers.
 */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sampleOf } from '../../src/records/read/read-candidates.js';
import {
  compileRender,
  type RenderContext,
  type RenderedLines,
  type RenderInput,
  renderLines,
} from '../../src/materialize/render-lines.js';
import { type RenderSpec, renderOutput } from '../../src/materialize/render.js';
import { sampleText } from '../../src/sample.js';
import { mapperFor } from '../../src/records/map/schema-for.js';

const records = [
  { instruction: 'Name a symptom of anaemia.', input: '', output: 'Fatigue.' },
  {
    instruction: 'Translate "héllo" — with \\ and "quotes"',
    input: 'ﬁne ＦＵＬＬ 表記',
    output: 'line\nbreak\ttab \u2028 😀',
  },
  { instruction: 'Third', input: 'x', output: 'y', extra: { kept: [1, 2, null] } },
];
const lines = records.map((r) => Buffer.from(JSON.stringify(r)));
const groups = ['domain', 'general'];

function contextFor(output: RenderSpec, check: RenderContext['check'] = 'crc32'): RenderContext {
  return {
    file: 0,
    displayPath: 'data/med.jsonl',
    source: 'med',
    encoding: 'utf-8',
    schema: 'alpaca',
    output,
    check,
    groups,
  };
}

function inputOf(
  bytes: readonly Buffer[],
  options: { check?: RenderContext['check']; out?: number; expect?: (i: number) => number } = {},
): RenderInput {
  const all = Buffer.concat(bytes);
  const ends = new Uint32Array(bytes.length);
  for (let i = 0, at = 0; i < bytes.length; i++) ends[i] = at += bytes[i]!.length;
  const chars = (b: Buffer) => sampleText(mapperFor('alpaca', undefined).toBody(JSON.parse(b.toString()))).length;
  const expect = options.expect ?? ((i: number) => (options.check === 'chars' ? chars(lines[i]!) : crc32(lines[i]!)));
  return {
    bytes: new Uint8Array(all.buffer.slice(all.byteOffset, all.byteOffset + all.length)),
    out: new ArrayBuffer(options.out ?? 1 << 16),
    ends,
    lines: Float64Array.from(bytes, (_, i) => 10 + i),
    groups: Uint16Array.from(bytes, (_, i) => i % 2),
    lengths: Float64Array.from(bytes, (_, i) => lines[i]!.length),
    expect: Float64Array.from(bytes, (_, i) => expect(i)),
  };
}

/** The lines as strings, from a successful result. */
function linesOf(result: RenderedLines): string[] {
  if (!('ends' in result)) throw new Error(`expected lines, got ${JSON.stringify(result)}`);
  const text = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.length);
  return [...result.ends].map((end, i) => text.toString('utf8', i === 0 ? 0 : result.ends[i - 1]!, end));
}

/** The main thread's rendering of record `i` (read-candidates + materialize). */
function mainThreadLine(i: number, output: RenderSpec): string {
  const mapper = mapperFor('alpaca', undefined);
  const value = JSON.parse(lines[i]!.toString());
  const sample = sampleOf(
    { source: 'med', displayPath: 'data/med.jsonl' },
    { line: 10 + i },
    groups[i % 2]!,
    value,
    mapper.toBody(value),
    mapper.toMeta(value),
  );
  return JSON.stringify(renderOutput(sample, output));
}

describe('renderLines', () => {
  const outputs: RenderSpec[] = [
    { schema: 'passthrough', provenance: false, template: null, target: 'generic' },
    { schema: 'messages', provenance: true, template: null, target: 'generic' },
    { schema: 'sharegpt', provenance: true, template: null, target: 'generic' },
  ];

  it.each(outputs)('renders each record as the main thread does ($schema, provenance $provenance)', (output) => {
    const rendered = linesOf(renderLines(inputOf(lines), compileRender(contextFor(output))));
    expect(rendered).toEqual(lines.map((_, i) => mainThreadLine(i, output)));
    if (output.provenance)
      expect(JSON.parse(rendered[1]!)).toMatchObject({ source: 'med', group: 'general', origin: 'data/med.jsonl:11' });
  });

  it('grows a too-small output buffer and hands the input memory back', () => {
    const input = inputOf(lines, { out: 16 });
    const inputBuffer = input.bytes.buffer;
    const result = renderLines(input, compileRender(contextFor(outputs[1]!)));
    expect(linesOf(result)).toEqual(lines.map((_, i) => mainThreadLine(i, outputs[1]!)));
    expect('input' in result && result.input.buffer).toBe(inputBuffer);
  });

  it('checks bytes by crc32 and length: the first record that differs is named', () => {
    const compiled = compileRender(contextFor(outputs[0]!));
    expect(
      renderLines(inputOf(lines, { expect: (i) => (i === 1 ? crc32(lines[i]!) ^ 1 : crc32(lines[i]!)) }), compiled),
    ).toEqual({ changedAt: 1 });
    const longer = [lines[0]!, lines[1]!, Buffer.from(`${lines[2]!.toString()} `)];
    expect(renderLines(inputOf(longer), compiled)).toEqual({ changedAt: 2 });
  });

  it('in whole-file mode checks the character count instead', () => {
    const compiled = compileRender(contextFor(outputs[0]!, 'chars'));
    expect(linesOf(renderLines(inputOf(lines, { check: 'chars' }), compiled))).toHaveLength(3);
    expect(renderLines(inputOf(lines, { check: 'chars', expect: (i) => (i === 2 ? 1 : 0) }), compiled)).toEqual({
      changedAt: 0,
    });
  });

  it('a record that no longer parses or maps is a change, with the reason', () => {
    const compiled = compileRender(contextFor(outputs[0]!));
    const cut = [lines[0]!, lines[1]!.subarray(0, 20)];
    expect(renderLines(inputOf(cut, { expect: (i) => (i === 0 ? crc32(lines[0]!) : 0) }), compiled)).toMatchObject({
      changedAt: 1,
      cause: { code: 'INPUT_JSON' },
    });
    const invalidUtf8 = [Buffer.from([0x7b, 0xff, 0x7d])];
    expect(renderLines(inputOf(invalidUtf8, { expect: () => 0 }), compiled)).toMatchObject({
      changedAt: 0,
      cause: { code: expect.stringMatching(/^INPUT_/) },
    });
  });
});
