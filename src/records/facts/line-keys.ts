/**
 * The scan's fast path for JSONL: a record's content key, ranks and length straight from its
 * bytes, for sources whose preset builds the text from top-level string fields (flat-key-plans)
 * and that set no filters. It finds the fields without building the object
 * (io/json-object-fields), normalises their text into bytes (select/key-bytes) and hashes those.
 *
 * It is a shortcut, not a second definition: for every record it answers, the answer is the
 * general path's (analyze-record.ts), byte for byte (test/compose/line-keys.test.ts); for any
 * record it is unsure of (invalid JSON or UTF-8, a character outside the key table, a field of
 * another type, a missing field, an empty text) it answers -1 and the general path runs.
 */
import { isUtf8 } from 'node:buffer';
import { createHash, hash } from 'node:crypto';
import { ABSENT, FieldNames, type FieldSpans, fieldSpans, NULL, scanObjectFields } from '../read/json-object-fields.js';
import { isUtf8Name } from '../read/text-encoding.js';
import { bodyConflict } from '../../recipe/resolve-output.js';
import { FLAT_KEY_PLANS, type FlatKeyPlan } from '../map/flat-key-plans.js';
import { appendInPieces, KeyBytesWriter, type KeyTextWriter } from '../../keys/key-bytes.js';
import { WasmKeyBytesWriter } from '../../keys/key-bytes-wasm.js';
import { Md5Batch, writeHex } from '../../keys/md5x4.js';
import type { CompiledContext } from './record-outcome.js';

let writers: readonly KeyTextWriter[] | undefined;

/**
 * Records at least this long are keyed a piece at a time: each string is normalised in pieces of
 * KEY_PIECE_BYTES and hashed as it goes, so a 300 MB record costs its bytes and a few MB, not
 * two more copies of its text (the writer's, and the batched md5's) kept by the thread for good.
 */
export const PIECEWISE_RECORD_BYTES = 16 << 20;
const KEY_PIECE_BYTES = 1 << 20;

/**
 * The WebAssembly writer when the runtime has it, then the JS one: one pair per thread, shared by
 * every file's keyer (a pair costs ~0.5 ms and a few MB to set up; a source of many small files
 * would pay that per file). Sharing is safe: a key is written in one synchronous call.
 */
export function threadWriters(): readonly KeyTextWriter[] {
  writers ??= [WasmKeyBytesWriter.create(), new KeyBytesWriter()].filter((writer) => writer !== undefined);
  return writers;
}

let md5Batch: Md5Batch | null | undefined;

/** The thread's four-lane md5 (select/md5x4.ts), or undefined without WebAssembly SIMD; shared like the writers. */
function threadMd5(): Md5Batch | undefined {
  if (md5Batch === undefined) md5Batch = Md5Batch.create() ?? null;
  return md5Batch ?? undefined;
}

export class LineKeyer {
  private readonly names: FieldNames;
  private readonly spans: FieldSpans;
  private readonly writers = threadWriters();
  /** `${seed}:` then 32 hex digits: the input of the rank digest (hashing.ts `rankDigest`). */
  private readonly rankInput: Buffer;
  /** `${seed}:` alone: the start of `rankInput`. */
  private readonly rankPrefix: Buffer;
  /** With exact dedup off: the origin joins the key (`distinctSuffix` in analyze-record.ts). */
  private readonly distinctPrefix: string | undefined;
  /**
   * Where digests are hashed four at a time: `keyLine` adds each key text, `finish` hashes the
   * batch's texts and then their rank inputs. Absent (each record hashed at once by node:crypto)
   * without WebAssembly SIMD, and with exact dedup off (the origin joins the key: rare).
   */
  private readonly md5: Md5Batch | undefined;
  /** Per text added to `md5`: where its digests go in the caller's array. */
  private readonly pending: number[] = [];

  constructor(
    private readonly plan: FlatKeyPlan,
    /** Fields whose presence (any value) sends a record to the general path. */
    refused: readonly string[],
    seed: number,
    distinctPrefix: string | undefined,
  ) {
    this.names = new FieldNames([...plan.fields, ...refused]);
    this.spans = fieldSpans(this.names);
    const prefix = Buffer.from(`${seed}:`, 'latin1');
    this.rankInput = Buffer.alloc(prefix.length + 32);
    prefix.copy(this.rankInput);
    this.rankPrefix = this.rankInput.subarray(0, prefix.length);
    this.distinctPrefix = distinctPrefix;
    this.md5 = distinctPrefix === undefined ? threadMd5() : undefined;
  }

  /**
   * Writes the record's 32 digest bytes (key, then ranks) at `digests[at]` and returns its text's
   * length in UTF-16 units; -1 when the general path must decide. The digests may be written
   * later, by `finish`: call it once the batch's records are keyed, before reading any digest.
   */
  keyLine(src: Uint8Array, start: number, end: number, line: number, digests: Uint8Array, at: number): number {
    const record = src.subarray(start, end);
    if (!isUtf8(record)) return -1;
    if (!scanObjectFields(src, start, end, this.names, this.spans)) return -1;
    const { starts } = this.spans;
    const planFields = this.plan.fields.length;
    for (let slot = planFields; slot < starts.length; slot++) {
      const state = starts[slot]!;
      // Refused fields: `elsewhere` ones may be null; reserved ones may not appear at all.
      if (state !== ABSENT && !(state === NULL && slot < planFields + this.plan.elsewhere.length)) return -1;
    }
    if (end - start >= PIECEWISE_RECORD_BYTES) return this.keyPiecewise(src, line, digests, at);
    // The fast writer first; what it declines, the JS one (the definition) decides.
    let writer: KeyTextWriter | undefined;
    for (const candidate of this.writers) {
      const written = this.writeText(candidate, src);
      if (written === 'missing') return -1;
      if (written === 'written') {
        writer = candidate;
        break;
      }
    }
    if (!writer) return -1;
    const text = writer.text();
    // An empty text is filtered as `empty`: rare, and the general path says so.
    if (text.length === 0) return -1;
    if (this.md5) {
      this.md5.add(text);
      this.pending.push(at);
      return writer.units;
    }
    // Digests come back as 16-character 'binary' (Latin-1) strings: cheaper than a Buffer each.
    this.writeDigests(hash('md5', text, 'binary'), line, digests, at);
    return writer.units;
  }

  /** `keyLine` for a huge record: its text normalised and hashed in pieces, never whole. */
  private keyPiecewise(src: Uint8Array, line: number, digests: Uint8Array, at: number): number {
    for (const writer of this.writers) {
      const md5 = createHash('md5');
      let bytes = 0;
      const sink = (text: Uint8Array) => {
        md5.update(text);
        bytes += text.length;
      };
      const written = this.writeText(writer, src, sink);
      if (written === 'missing') return -1;
      if (written === 'declined') continue;
      sink(writer.text());
      if (bytes === 0) return -1;
      this.writeDigests(md5.digest('binary'), line, digests, at);
      return writer.units;
    }
    return -1;
  }

  /** The record's 32 digest bytes at `digests[at]` from its key text's md5 (a 'binary' string). */
  private writeDigests(textDigest: string, line: number, digests: Uint8Array, at: number): void {
    let key = textDigest;
    if (this.distinctPrefix !== undefined)
      key = hash('md5', `${Buffer.from(key, 'latin1').toString('hex')}:${this.distinctPrefix}${line}`, 'binary');
    for (let k = 0; k < 16; k++) digests[at + k] = key.charCodeAt(k);
    writeHex(this.rankInput, this.rankPrefix.length, digests, at);
    const ranks = hash('md5', this.rankInput, 'binary');
    for (let k = 0; k < 16; k++) digests[at + 16 + k] = ranks.charCodeAt(k);
  }

  /** Starts a batch: `keyLine` each record, then `finish`. (The four-lane md5 is shared by the thread's keyers.) */
  begin(): void {
    this.pending.length = 0;
    this.md5?.reset();
  }

  /** Writes the digests `keyLine` left pending into `digests`: the keys, then the ranks of each key. */
  finish(digests: Uint8Array): void {
    const md5 = this.md5;
    const pending = this.pending;
    if (!md5 || pending.length === 0) return;
    if (md5.count !== pending.length)
      throw new Error(`line keyer: ${md5.count} texts for ${pending.length} records (a batch not begun)`);
    md5.digestsInto(digests, pending, 0);
    md5.reset();
    for (let k = 0; k < pending.length; k++) md5.addHex(this.rankPrefix, digests, pending[k]!);
    md5.digestsInto(digests, pending, 16);
    md5.reset();
    pending.length = 0;
  }

  /** The record's key text into `writer`: 'written', 'declined' (try another writer) or 'missing' (the plan does not cover the record). */
  private writeText(
    writer: KeyTextWriter,
    src: Uint8Array,
    sink?: (text: Uint8Array) => void,
  ): 'written' | 'declined' | 'missing' {
    const { starts, ends } = this.spans;
    writer.reset();
    let parts = 0;
    for (const turn of this.plan.turns) {
      for (const part of turn) {
        const from = starts[part.field]!;
        if (from < 0) {
          // Absent or null: a required field is the general path's to report; another type always is.
          if (part.required || (from !== ABSENT && from !== NULL)) return 'missing';
          continue;
        }
        const to = ends[part.field]!;
        // Every non-empty string found is read here, which is what checks its content (json-object-fields.ts).
        if (!part.required && to === from) continue;
        if (parts++ > 0) writer.appendNewline();
        if (
          !(sink
            ? appendInPieces(writer, src, from, to, sink, KEY_PIECE_BYTES)
            : writer.appendJsonString(src, from, to))
        )
          return 'declined';
      }
    }
    return 'written';
  }
}

/**
 * The fast path for a file's lines in the scan, or undefined when its records need the general
 * one: another encoding, a mapping or a preset without a flat plan, filters (they read the body),
 * an output schema the body would conflict with, or a reserved name the plan reads as a field.
 */
export function lineKeyerFor(compiled: CompiledContext, encoding: string): LineKeyer | undefined {
  const { context, mapper, filter } = compiled;
  if (!isUtf8Name(encoding) || filter !== undefined || mapper.name === 'mapping') return undefined;
  const plan = FLAT_KEY_PLANS[mapper.name];
  if (!plan || (context.outputSchema && bodyConflict(plan.body, context.outputSchema))) return undefined;
  const reserved = context.reservedFields ?? [];
  if (reserved.some((field) => plan.fields.includes(field))) return undefined;
  return new LineKeyer(
    plan,
    [...plan.elsewhere, ...reserved],
    context.seed,
    context.dedup ? undefined : `${context.displayPath}:`,
  );
}
