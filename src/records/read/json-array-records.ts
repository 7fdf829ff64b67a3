/**
 * A JSON array file as records, streamed: a byte scanner finds each top-level element's extent
 * (tracking depth and strings), so a one-line array of any size never sits in memory whole.
 * Structural characters are ASCII, so scanning UTF-8 bytes is safe. Only UTF-8 is read (JSON's own
 * rule, RFC 8259 §8.1): in GB18030 or Shift_JIS a trail byte can be 0x5C, a backslash, which would
 * derail the string tracking.
 */
import { MixsmithError } from '../../errors.js';
import { DEFAULT_READ_LIMITS, type ReadLimits, recordTooLarge } from '../../io/read-limits.js';
import type { RawRecord } from './raw-record.js';
import { releaseMemory } from '../../workers/release-memory.js';
import { CarriedBytes } from './carried-bytes.js';
import { parseLongStrings } from './long-string-json.js';
import { encodingProblem, recordDecoder } from './text-encoding.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const NEWLINE = 10;

/**
 * Elements at least this long are parsed from their bytes (long-string-json.ts) and come with their
 * value, not their text; the same bound as the JSONL keyer's (records/facts/line-keys.ts).
 */
export const HUGE_ELEMENT_BYTES = 16 << 20;

const isSpace = (b: number) => b === 32 || b === 10 || b === 13 || b === 9;

type Phase = 'start' | 'between' | 'element' | 'done';

export async function* jsonArrayRecords(
  chunks: AsyncIterable<Buffer>,
  displayPath: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): AsyncGenerator<RawRecord[]> {
  let phase: Phase = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let element = 0; // 1-based number of the current element
  let elementStart = 0; // stream offset
  /** The current element's bytes in earlier chunks (already scanned): joined once, when it ends. */
  const carried = new CarriedBytes();
  let chunkOffset = 0; // stream offset of the next chunk
  let sawBom = false;
  const decode = recordDecoder('utf-8');

  for await (const chunk of chunks) {
    const buffer = chunk;
    const bufferBase = chunkOffset;
    const batch: RawRecord[] = [];
    const emit = (endInBuffer: number) => {
      const { bytes, own } =
        elementStart >= bufferBase
          ? { bytes: buffer.subarray(elementStart - bufferBase, endInBuffer), own: false }
          : carried.take(buffer.subarray(0, endInBuffer));
      if (bytes.length > limits.maxRecordBytes)
        throw recordTooLarge({ file: displayPath, element }, `element ${element}`, limits);
      const position = { line: element, element, offset: elementStart, length: bytes.length };
      // A huge element's value straight from its bytes: its JSON text would be one more copy.
      const value = bytes.length >= HUGE_ELEMENT_BYTES ? parseLongStrings(bytes) : undefined;
      const text = value === undefined ? decode(bytes) : '';
      if (value !== undefined) batch.push({ ...position, text: '', value });
      else if (text === undefined) batch.push({ ...position, text: '', problem: encodingProblem('utf-8', bytes) });
      else batch.push({ ...position, text });
      // Bytes of its own are given back now, not at the collector's next full run.
      if (own) void releaseMemory(bytes.buffer);
    };
    for (let i = 0; i < buffer.length; i++) {
      const b = buffer[i]!;
      if (b === NEWLINE) line++;
      if (phase === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
          continue;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
        else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          if (depth === 0) {
            emit(i); // a scalar element closed by the array's ]
            phase = 'done';
          } else if (--depth === 0) {
            emit(i + 1);
            phase = 'between';
          }
        } else if (b === COMMA && depth === 0) {
          emit(i);
          phase = 'between';
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (phase === 'start') {
        if (!sawBom && chunkOffset === 0 && i === 0 && b === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
          sawBom = true;
          i += 2;
          continue;
        }
        if (b !== OPEN_BRACKET) {
          throw new MixsmithError(
            'INPUT_FORMAT',
            `${displayPath}:${line}: expected a JSON array ("["), found "${String.fromCharCode(b)}"`,
            {
              where: { file: displayPath, line },
              hint: 'a .json source is read as an array of records; for one record per line use format: jsonl',
            },
          );
        }
        phase = 'between';
      } else if (phase === 'between') {
        if (b === COMMA) continue;
        if (b === CLOSE_BRACKET) {
          phase = 'done';
          continue;
        }
        phase = 'element';
        elementStart = bufferBase + i;
        element++;
        depth = 0;
        i--; // read this byte again as the element's first
      } else {
        throw new MixsmithError(
          'INPUT_JSON',
          `${displayPath}:${line}: unexpected content after the JSON array's closing "]"`,
          {
            where: { file: displayPath, line },
            hint: 'a .json source holds one array of records; for one record per line use format: jsonl',
          },
        );
      }
    }
    if (phase === 'element') {
      carried.add(elementStart >= bufferBase ? buffer.subarray(elementStart - bufferBase) : buffer);
      if (bufferBase + buffer.length - elementStart > limits.maxRecordBytes)
        throw recordTooLarge({ file: displayPath, element }, `element ${element}`, limits);
    }
    chunkOffset += chunk.length;
    if (batch.length > 0) yield batch;
  }
  const last = phase as Phase; // set inside the loop, beyond the compiler's narrowing
  if (last === 'element' || last === 'between') {
    throw new MixsmithError(
      'INPUT_JSON',
      `${displayPath}:${line}: the JSON array is not closed (the file ends inside it)`,
      {
        where: { file: displayPath, line },
        hint: 'the file may be truncated: copy it again, or check that it ends with "]"',
      },
    );
  }
}
