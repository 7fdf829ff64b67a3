/**
 * One huge record rendered alone (render-lines.ts `renderAlone`, what a render worker runs for a
 * batch of one record of ALONE_RENDER_BYTES or more): the same line, or the same verdict, as
 * `renderLines` gives for the same batch, for every output schema and both checks.
 */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ALONE_RENDER_BYTES,
  compileRender,
  type RenderContext,
  type RenderedLines,
  type RenderInput,
  renderAlone,
  renderBatch,
  renderLines,
} from '../../src/materialize/render-lines.js';
import type { RenderSpec } from '../../src/materialize/render.js';
import { mapperFor } from '../../src/records/map/schema-for.js';
import { sampleText } from '../../src/sample.js';

const unit = 'Line of text, "quoted" \\ with a tab\there, é 中 😀 \u2028\n';
const huge = {
  instruction: 'Summarise this.',
  input: '',
  output: unit.repeat(Math.ceil(ALONE_RENDER_BYTES / unit.length) + 10),
  extra: { n: [1, 2.5, null] },
};
const bytes = Buffer.from(JSON.stringify(huge), 'utf8');
const chars = sampleText(mapperFor('alpaca', undefined).toBody(huge)).length;

function inputOf(check: RenderContext['check'], expect = check === 'chars' ? chars : crc32(bytes)): RenderInput {
  return {
    bytes: new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
    out: new ArrayBuffer(1 << 16),
    ends: Uint32Array.of(bytes.length),
    lines: Float64Array.of(7),
    groups: Uint16Array.of(0),
    lengths: Float64Array.of(bytes.length),
    expect: Float64Array.of(expect),
  };
}

const contextFor = (output: RenderSpec, check: RenderContext['check']): RenderContext => ({
  file: 0,
  displayPath: 'data/big.jsonl',
  source: 'big',
  encoding: 'utf-8',
  schema: 'alpaca',
  output,
  check,
  groups: ['all'],
});

/** The result with its line as text, for comparison. */
function shown(result: RenderedLines) {
  if (!('ends' in result)) return result;
  return { line: Buffer.from(result.bytes).toString('utf8'), ends: [...result.ends] };
}

describe('renderAlone', () => {
  const outputs: RenderSpec[] = [
    { schema: 'messages', provenance: true, template: null, target: 'generic' },
    { schema: 'passthrough', provenance: true, template: null, target: 'generic' },
    { schema: 'sharegpt', provenance: false, template: null, target: 'generic' },
    { schema: 'text', provenance: true, template: 'chatml', target: 'generic' },
    { schema: 'messages', provenance: false, template: null, target: 'generic', metaKeys: ['extra'] },
  ];

  for (const output of outputs) {
    for (const check of ['crc32', 'chars'] as const) {
      it(`gives renderLines' line (${output.schema}, ${check}${output.metaKeys ? ', meta' : ''})`, async () => {
        const compiled = compileRender(contextFor(output, check));
        const alone = await renderAlone(inputOf(check), compiled);
        expect(shown(alone)).toEqual(shown(renderLines(inputOf(check), compiled)));
        expect('ends' in alone).toBe(true);
      });
    }
  }

  it('says a changed record changed, as renderLines does, and renderBatch sends a huge single record to it', async () => {
    const compiled = compileRender(contextFor(outputs[0]!, 'crc32'));
    expect(await renderAlone(inputOf('crc32', 1), compiled)).toEqual(renderLines(inputOf('crc32', 1), compiled));
    expect(await renderAlone(inputOf('crc32', 1), compiled)).toEqual({ changedAt: 0 });
    const chars = compileRender(contextFor(outputs[0]!, 'chars'));
    expect(await renderAlone(inputOf('chars', 3), chars)).toEqual({ changedAt: 0 });
    const input = inputOf('crc32');
    const result = renderBatch(input, compiled);
    expect(result).toBeInstanceOf(Promise);
    await result;
    expect(input.bytes.length).toBe(0); // its bytes let go while it rendered
  });
});
