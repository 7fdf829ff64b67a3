/**
 * A JSON object keyed by id as records, streamed: `{ "<id>": {…record…}, … }` (PubMedQA's
 * ori_pqal.json), `{ "<id>": "yes", … }` (its test_ground_truth.json), or nested,
 * `{ "<dataset>": { "<id>": {…record…} } }` (MIRAGE's benchmark.json). A byte scanner walks the
 * members, so the file never sits in memory whole: only one record's bytes at a time.
 *
 * How deep the records sit is told once, from the first path: a member whose value is an object
 * whose own first member's value is an object is a level of grouping; the first member that is
 * not is a record, and every member at that depth is one. Each record gets its key as `$key`
 * (and, when nested, every level's key as `$keys`, outermost first); a record that is not an
 * object becomes `{ $key, $value }`. Records are numbered in file order (`element`).
 * UTF-8 only, as JSON arrays (json-array-records.ts).
 */
import { DEFAULT_READ_LIMITS, type ReadLimits, recordTooLarge } from '../../io/read-limits.js';
import { MixsmithError } from '../../errors.js';
import type { RawRecord, RecordProblem } from './raw-record.js';
import { encodingProblem, recordDecoder } from './text-encoding.js';
import { releaseMemory } from '../../workers/release-memory.js';
import { OWN_FROM, regrown } from './carried-bytes.js';
import { HUGE_ELEMENT_BYTES } from './json-array-records.js';
import { parseLongStrings } from './long-string-json.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
/** Records per batch handed to the scan. */
const BATCH = 256;

const isSpace = (b: number) => b === 32 || b === 10 || b === 13 || b === 9;

/** The bytes of a stream with a read position, keeping what an unfinished value still needs. */
class Cursor {
  buffer: Buffer = Buffer.alloc(0);
  /** Stream offset of `buffer[0]`. */
  base = 0;
  /** Index into `buffer` of the next byte. */
  pos = 0;
  /** Stream offset from which bytes must be kept when more are read (an unfinished value's start). */
  keep: number | undefined;
  private ended = false;
  /** Where the kept bytes of a long unfinished value are carried (`carry`); `buffer` is then its start. */
  private own: Buffer | undefined;

  constructor(
    private readonly source: AsyncIterator<Buffer>,
    /** Called when an unfinished value keeps more bytes than a record may have (max_record_bytes). */
    private readonly tooLarge: (keptBytes: number) => void = () => {},
  ) {}

  get offset(): number {
    return this.base + this.pos;
  }

  /** Read one more chunk; false at the end of the stream. */
  async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const from = Math.min(this.keep ?? this.offset, this.offset) - this.base;
    const kept = this.buffer.subarray(from);
    this.tooLarge(kept.length + next.value.length);
    if (this.own || kept.length + next.value.length >= OWN_FROM) this.carry(kept, next.value);
    else this.buffer = kept.length === 0 ? next.value : Buffer.concat([kept, next.value]);
    this.base += from;
    this.pos -= from;
    return true;
  }

  /**
   * Kept bytes of OWN_FROM or more are carried in a buffer of the cursor's own that grows by
   * doubling (joined to each new chunk afresh, a 300 MB value was copied once per chunk: 100 s).
   * `kept` and `chunk` as the buffer, in `own`: kept bytes moved to its start, the chunk copied
   * after them, `own` grown by doubling when they do not fit (the old one given back at once), and
   * given back once the kept bytes are small again (a record's bytes are decoded before the next
   * read, so no view of it outlives this).
   */
  private carry(kept: Buffer, chunk: Buffer): void {
    // Lengths first: giving the old buffer back detaches `kept` (a view into it).
    const keptLength = kept.length;
    const length = keptLength + chunk.length;
    const own = this.own;
    if (length < OWN_FROM) {
      this.buffer = keptLength === 0 ? chunk : Buffer.concat([kept, chunk]);
      this.own = undefined;
      if (own) void releaseMemory(own.buffer);
      return;
    }
    if (!own || length > own.length) {
      this.own = regrown(own, kept, 2 * length);
    } else if (kept.buffer !== own.buffer) {
      kept.copy(own, 0);
    } else if (kept.byteOffset !== own.byteOffset) {
      const at = kept.byteOffset - own.byteOffset;
      own.copyWithin(0, at, at + keptLength);
    }
    chunk.copy(this.own!, keptLength);
    this.buffer = this.own!.subarray(0, length);
  }

  /**
   * Once a long value is read (nothing kept): its carrying buffer given back now, the few bytes
   * after it copied out, rather than held until the next chunk while its record is used.
   */
  shed(): void {
    const own = this.own;
    if (!own || this.keep !== undefined) return;
    this.buffer = Buffer.from(this.buffer.subarray(this.pos));
    this.base += this.pos;
    this.pos = 0;
    this.own = undefined;
    void releaseMemory(own.buffer);
  }

  /** The next byte that is not white space (not consumed), or -1 at the end. */
  async peek(): Promise<number> {
    for (;;) {
      while (this.pos < this.buffer.length && isSpace(this.buffer[this.pos]!)) this.pos++;
      if (this.pos < this.buffer.length) return this.buffer[this.pos]!;
      if (!(await this.more())) return -1;
    }
  }

  /** Moves past one JSON value starting at the current byte; returns its end (stream offset). */
  async skipValue(): Promise<number | undefined> {
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (;;) {
      for (; this.pos < this.buffer.length; this.pos++) {
        const b = this.buffer[this.pos]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (depth === 0) {
              this.pos++;
              return this.offset;
            }
          }
          continue;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
        else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          if (depth === 0) return this.offset; // a scalar closed by its container
          if (--depth === 0) {
            this.pos++;
            return this.offset;
          }
        } else if (depth === 0 && (b === COMMA || isSpace(b))) return this.offset;
      }
      if (!(await this.more())) return undefined; // inside an object, every value is followed by "," or "}"
    }
  }

  /** The bytes from stream offset `start` to `end`, both within the kept buffer. */
  bytes(start: number, end: number): Buffer {
    return this.buffer.subarray(start - this.base, end - this.base);
  }
}

interface Level {
  readonly key: string | undefined;
  /** A member was read, so the next must follow a comma. */
  afterMember: boolean;
}

/** A member's record: its parsed value with its key as `$key` (and every level's as `$keys` when nested). */
function keyed(keys: readonly string[], parsed: unknown): Record<string, unknown> {
  const key = keys[keys.length - 1]!;
  const nested = keys.length > 1 ? { $keys: keys } : {};
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? { $key: key, ...nested, ...parsed }
    : { $key: key, ...nested, $value: parsed };
}

export async function* jsonObjectRecords(
  chunks: AsyncIterable<Buffer>,
  displayPath: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): AsyncGenerator<RawRecord[]> {
  const cursor = new Cursor(chunks[Symbol.asyncIterator](), (keptBytes) => {
    if (keptBytes > limits.maxRecordBytes)
      throw recordTooLarge({ file: displayPath }, `the value at byte ${cursor.keep ?? cursor.offset}`, limits);
  });
  const decode = recordDecoder('utf-8');
  const fail = (code: 'INPUT_JSON' | 'INPUT_FORMAT', message: string, hint: string) =>
    new MixsmithError(code, `${displayPath}: ${message} (byte ${cursor.offset})`, {
      where: { file: displayPath },
      hint,
    });
  const notClosed = () =>
    fail(
      'INPUT_JSON',
      'the JSON object is not closed (the file ends inside it)',
      'the file may be truncated: copy it again, or check that it ends with "}"',
    );

  // A UTF-8 byte-order mark is skipped.
  await cursor.peek();
  if (
    cursor.buffer[0] === 0xef &&
    cursor.buffer[1] === 0xbb &&
    cursor.buffer[2] === 0xbf &&
    cursor.base === 0 &&
    cursor.pos === 0
  )
    cursor.pos = 3;
  const first = await cursor.peek();
  if (first === -1) return;
  if (first !== OPEN_BRACE) {
    throw fail(
      'INPUT_FORMAT',
      `expected a JSON object ("{"), found "${String.fromCharCode(first)}"`,
      'format: json-object reads an object keyed by id; an array of records is format: json, one record per line format: jsonl',
    );
  }
  cursor.pos++;
  const levels: Level[] = [{ key: undefined, afterMember: false }];
  /** How many levels of keys lead to a record (1: the top-level members are records); told from the first path. */
  let recordDepth: number | undefined;
  let element = 0;
  let batch: RawRecord[] = [];

  /** Reads a key string at the cursor, and the colon after it. */
  const readKey = async (): Promise<string> => {
    const start = cursor.offset;
    const previous = cursor.keep;
    cursor.keep = previous ?? start;
    const end = await cursor.skipValue();
    cursor.keep = previous;
    if (end === undefined) throw notClosed();
    const text = cursor.bytes(start, end).toString('utf8');
    let key: unknown;
    try {
      key = JSON.parse(text);
    } catch {
      key = undefined;
    }
    if (typeof key !== 'string')
      throw fail(
        'INPUT_JSON',
        `expected a key in quotes, found ${JSON.stringify(text.slice(0, 40))}`,
        'the file is not a JSON object keyed by id; check that it is valid JSON (jq . FILE)',
      );
    if ((await cursor.peek()) !== COLON)
      throw fail(
        'INPUT_JSON',
        `expected ":" after the key ${JSON.stringify(key)}`,
        'check that the file is valid JSON (jq . FILE)',
      );
    cursor.pos++;
    return key;
  };

  /** Whether the object value at the cursor is a level of grouping: its first member's value is an object. The cursor does not move. */
  const isGrouping = async (): Promise<boolean> => {
    const start = cursor.offset;
    cursor.keep = start;
    try {
      cursor.pos++; // "{"
      if ((await cursor.peek()) !== QUOTE) return false;
      await readKey();
      return (await cursor.peek()) === OPEN_BRACE;
    } finally {
      cursor.pos = start - cursor.base;
      cursor.keep = undefined;
    }
  };

  const emit = (keys: readonly string[], start: number, end: number) => {
    element++;
    const bytes = cursor.bytes(start, end);
    const position = { line: element, element, offset: start, length: bytes.length };
    // A huge member's value straight from its bytes, as a JSON array's huge element: its text would
    // be one more copy beside the bytes and the parsed value.
    const huge = bytes.length >= HUGE_ELEMENT_BYTES ? parseLongStrings(bytes) : undefined;
    if (huge !== undefined) {
      batch.push({ ...position, text: '', value: keyed(keys, huge) });
      return;
    }
    const text = decode(bytes);
    if (text === undefined) {
      batch.push({ ...position, text: '', problem: encodingProblem('utf-8', bytes) });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      const problem: RecordProblem = {
        code: 'INPUT_JSON',
        message: `not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
        hint: 'the value of this key is not valid JSON',
      };
      batch.push({ ...position, text, problem });
      return;
    }
    batch.push({ ...position, text, value: keyed(keys, parsed) });
  };

  while (levels.length > 0) {
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
    const level = levels[levels.length - 1]!;
    const b = await cursor.peek();
    if (b === -1) throw notClosed();
    if (b === CLOSE_BRACE) {
      cursor.pos++;
      levels.pop();
      if (levels.length > 0) levels[levels.length - 1]!.afterMember = true;
      continue;
    }
    if (level.afterMember) {
      if (b !== COMMA)
        throw fail(
          'INPUT_JSON',
          `expected "," or "}" after a member, found "${String.fromCharCode(b)}"`,
          'check that the file is valid JSON (jq . FILE)',
        );
      cursor.pos++;
      level.afterMember = false;
      continue;
    }
    if (b !== QUOTE)
      throw fail(
        'INPUT_JSON',
        `expected a key in quotes, found "${String.fromCharCode(b)}"`,
        'check that the file is valid JSON (jq . FILE)',
      );
    const key = await readKey();
    const v = await cursor.peek();
    if (v === -1) throw notClosed();
    const depth = levels.length;
    if (recordDepth === undefined && !(v === OPEN_BRACE && (await isGrouping()))) recordDepth = depth;
    if (recordDepth === undefined || depth < recordDepth) {
      if (v === OPEN_BRACE) {
        cursor.pos++;
        levels.push({ key, afterMember: false });
        continue;
      }
      // A grouping level holds something else than an object of records: one bad record.
      const start = cursor.offset;
      cursor.keep = start;
      const end = await cursor.skipValue();
      if (end === undefined) throw notClosed();
      element++;
      const keys = [...levels.slice(1).map((l) => l.key!), key];
      batch.push({
        line: element,
        element,
        offset: start,
        length: end - start,
        text: '',
        problem: {
          code: 'INPUT_JSON',
          message: `"${keys.join('" → "')}" is not an object of records like the keys before it`,
          hint: 'the records of a keyed object sit at one depth (json-object in docs/formats.md)',
        },
      });
      cursor.keep = undefined;
      level.afterMember = true;
      continue;
    }
    const start = cursor.offset;
    cursor.keep = start;
    const end = await cursor.skipValue();
    if (end === undefined) throw notClosed();
    emit([...levels.slice(1).map((l) => l.key!), key], start, end);
    cursor.keep = undefined;
    cursor.shed();
    level.afterMember = true;
  }
  if ((await cursor.peek()) !== -1) {
    throw fail(
      'INPUT_JSON',
      'unexpected content after the JSON object\'s closing "}"',
      'a json-object file holds one object keyed by id; for one record per line use format: jsonl',
    );
  }
  if (batch.length > 0) yield batch;
}
