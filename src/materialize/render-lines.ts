/**
 * The write phase's per-record step for JSONL records read by offset, as one pure function over a
 * batch: each record's bytes in, its output line (UTF-8) out, after checking that the record is
 * still the one the scan saw. It runs in a worker thread (src/workers/render-worker.ts) or inline,
 * and does exactly what readFileCandidates + materialize do on the main thread (decode, parse,
 * map, check, render, JSON.stringify), so where it runs never changes a byte.
 */
import { encodingProblem, isUtf8Name } from '../records/read/text-encoding.js';
import { parseLongStrings } from '../records/read/long-string-json.js';
import { type RenderSpec, renderOutput } from './render.js';
import { stringifyRecord } from '../json/exact-numbers.js';
import { parseRecord } from '../records/facts/analyze-record.js';
import { sampleOf, unchangedSinceScan } from '../records/read/read-candidates.js';
import {
  type CompiledReread,
  compileReread,
  type RereadContext,
  type RereadFailure,
  type RereadInput,
  rereadAt,
  rereadFailure,
  transferOfReread,
} from '../records/read/reread-record.js';
import { crc32 } from 'node:zlib';
import { jsonLineInPieces } from './json-in-pieces.js';
import { releaseMemory } from '../workers/release-memory.js';

/**
 * A batch of one record this long (render-in-workers.ts sends such a record alone) is rendered by
 * `renderAlone`, which lets go of each form of the record as soon as the next is made.
 */
export const ALONE_RENDER_BYTES = 16 << 20;

/** What a file's records need besides themselves; plain data, so it can cross to a worker. */
export interface RenderContext extends RereadContext {
  readonly output: RenderSpec;
}

/** A batch of re-read records, and memory to write their lines into. */
export interface RenderInput extends RereadInput {
  /** Memory to write the lines into (a larger buffer replaces it when they do not fit); comes back with them. */
  readonly out: ArrayBuffer;
}

/**
 * The output lines one after another, UTF-8, without newlines (with the input's memory handed
 * back, for the caller to reuse); or the first record that is no longer what the scan saw.
 */
export type RenderedLines = RenderedBatch | RereadFailure;

/** A rendered batch: its lines, and the input's memory handed back. */
export interface RenderedBatch {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  readonly input: Uint8Array;
}

export type CompiledRender = CompiledReread<RenderContext>;

export const compileRender = (context: RenderContext): CompiledRender => compileReread(context);

/** The transferable memory of a batch or its result. */
export function transferOfRender(value: RenderInput | RenderedLines): ArrayBuffer[] {
  if ('lines' in value) return [...transferOfReread(value), value.out];
  if ('input' in value) return [value.bytes.buffer, value.ends.buffer, value.input.buffer] as ArrayBuffer[];
  return [];
}

/** A batch as a render worker takes it: `renderAlone` for one huge record, `renderLines` for the rest. */
export function renderBatch(input: RenderInput, compiled: CompiledRender): RenderedLines | Promise<RenderedLines> {
  return input.ends.length === 1 && input.ends[0]! >= ALONE_RENDER_BYTES
    ? renderAlone(input, compiled)
    : renderLines(input, compiled);
}

export function renderLines(input: RenderInput, compiled: CompiledRender): RenderedLines {
  const { context, mapper } = compiled;
  const count = input.ends.length;
  const ends = new Uint32Array(count);
  let out = Buffer.from(input.out);
  let used = 0;
  for (let i = 0, start = 0; i < count; start = input.ends[i++]!) {
    const where = { line: input.lines[i]! };
    let line: string;
    try {
      const record = rereadAt(input, i, start, compiled);
      if (!record) return { changedAt: i };
      const { value, body, text } = record;
      line = stringifyRecord(
        renderOutput(
          sampleOf(context, where, context.groups[input.groups[i]!]!, value, body, mapper.toMeta(value), text),
          context.output,
        ),
      );
    } catch (error) {
      return rereadFailure(error, i);
    }
    // Three UTF-8 bytes per UTF-16 unit at most: grow only when that may not fit.
    if (used + line.length * 3 > out.length) {
      // Not from Node's shared pool: the buffer is transferred whole.
      const grown = Buffer.allocUnsafeSlow(Math.max(out.length * 2, used + line.length * 3));
      out.copy(grown, 0, 0, used);
      out = grown;
    }
    used += out.write(line, used, 'utf8');
    ends[i] = used;
  }
  return { bytes: new Uint8Array(out.buffer, 0, used), ends, input: input.bytes };
}

/**
 * The parsed record from its bytes, and its text only when the output reads it (passthrough's
 * exact numbers, meta keys). Without the text, long strings are cut from the bytes
 * (records/read/long-string-json.ts), so no JSON text is made at all; otherwise, or when that
 * declines, the text is decoded and parsed in this function, so it is garbage once it returns.
 */
function parsedAlone(bytes: Uint8Array, compiled: CompiledRender): { value: unknown; text: string | undefined } {
  const { context, decode } = compiled;
  const keepText = context.output.schema === 'passthrough' || (context.output.metaKeys?.length ?? 0) > 0;
  if (!keepText && isUtf8Name(context.encoding)) {
    const value = parseLongStrings(bytes);
    if (value !== undefined) return { value, text: undefined };
  }
  const text = decode(bytes);
  const raw = text === undefined ? { text: '', problem: encodingProblem(context.encoding, bytes) } : { text };
  const value = parseRecord(raw, { maxDepth: Number.POSITIVE_INFINITY }); // its depth was checked by the scan
  return { value, text: keepText ? text : undefined };
}

/**
 * `renderLines` for a batch of one huge record: the same line with fewer copies alive at once. The
 * bytes are checked, parsed (without a JSON text when the output needs none) and freed, and only
 * once their memory is gone (`releaseMemory` settles) is the line written, as UTF-8 in pieces,
 * never as one JSON string (json-in-pieces.ts). Holding bytes, text, value, JSON text and output
 * together cost 5× the record in this thread; this holds 2× at most.
 */
export async function renderAlone(input: RenderInput, compiled: CompiledRender): Promise<RenderedLines> {
  const { context, mapper } = compiled;
  const where = { line: input.lines[0]! };
  let rendered: ReturnType<typeof renderOutput>;
  try {
    const bytes = input.bytes.subarray(0, input.ends[0]!);
    const crcMatches =
      context.check === 'crc32' && bytes.length === input.lengths[0]! && crc32(bytes) === input.expect[0]!;
    const { value, text } = parsedAlone(bytes, compiled);
    const freed = releaseMemory(input.bytes.buffer);
    input.bytes = new Uint8Array(0);
    const body = mapper.toBody(value);
    const unchanged =
      context.check === 'crc32' ? crcMatches : unchangedSinceScan('chars', body, undefined, 0, input.expect[0]!);
    if (!unchanged) return { changedAt: 0 };
    const sample = sampleOf(context, where, context.groups[input.groups[0]!]!, value, body, mapper.toMeta(value), text);
    rendered = renderOutput(sample, context.output);
    await freed;
  } catch (error) {
    return rereadFailure(error, 0);
  }
  const line = jsonLineInPieces(rendered);
  return { bytes: line, ends: Uint32Array.of(line.length), input: input.bytes };
}
