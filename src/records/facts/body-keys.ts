/**
 * A huge record's content key from its mapped body, without its text whole: each turn's string is
 * cut into pieces, each piece escaped as JSON and handed to the JSONL keyer's writers
 * (keys/key-bytes*.ts), which normalise across the cuts and are drained into md5 as they go. So a
 * 300 MB CSV cell, JSON-array element or Parquet cell is keyed at the cost of a few MB, not of
 * `sampleText` (a joined copy), `normalizeForKey` (one or two more) and md5's UTF-8 (one more).
 *
 * The same key, ranks and length as analyze-record.ts `analyzeBody`, or undefined (the caller
 * takes the general path) whenever the writers decline a character, or the text normalises to
 * nothing (the general path calls that `empty`).
 */
import { createHash } from 'node:crypto';
import { contentKey, rankDigest } from '../../keys/hashing.js';
import type { SampleBody } from '../../sample.js';
import type { AnalyzedRecord } from './analyze-record.js';
import { threadWriters } from './line-keys.js';

/** Bodies whose text is at least this many UTF-16 units are keyed in pieces. */
export const PIECEWISE_BODY_UNITS = 16 << 20;
/** UTF-16 units per piece: a piece's JSON text is a young string, collected cheaply. */
const PIECE_UNITS = 1 << 16;

/** The strings whose `\n`-joined text is the body's `sampleText`. */
const partsOf = (body: SampleBody): readonly string[] =>
  body.kind === 'text' ? [body.text] : body.messages.map((message) => message.content);

/** Units of the body's `sampleText`, without joining it. */
export function bodyUnits(body: SampleBody): number {
  const parts = partsOf(body);
  let units = Math.max(0, parts.length - 1);
  for (const part of parts) units += typeof part === 'string' ? part.length : 0;
  return units;
}

/** The end of the piece of `text` starting at `from`: never between the halves of a surrogate pair. */
function pieceEnd(text: string, from: number): number {
  let to = Math.min(text.length, from + PIECE_UNITS);
  if (to < text.length && (text.charCodeAt(to - 1) & 0xfc00) === 0xd800) to--;
  return to;
}

export function analyzeBodyInPieces(
  body: SampleBody,
  options: { readonly seed: number; readonly distinctSuffix?: string | undefined },
): AnalyzedRecord | undefined {
  const parts = partsOf(body);
  if (parts.some((part) => typeof part !== 'string')) return undefined;
  for (const writer of threadWriters()) {
    const md5 = createHash('md5');
    let bytes = 0;
    const sink = (text: Uint8Array) => {
      md5.update(text);
      bytes += text.length;
    };
    writer.reset();
    let declined = false;
    for (let p = 0; p < parts.length && !declined; p++) {
      const part = parts[p]!;
      if (p > 0) writer.appendNewline();
      for (let from = 0; from < part.length; ) {
        const to = pieceEnd(part, from);
        const json = Buffer.from(JSON.stringify(part.slice(from, to)), 'utf8');
        if (!writer.appendJsonString(json, 1, json.length - 1)) {
          declined = true;
          break;
        }
        writer.drainTo(sink);
        from = to;
      }
    }
    if (declined) continue;
    sink(writer.text());
    if (bytes === 0) return undefined;
    const base = md5.digest('hex');
    const key = options.distinctSuffix === undefined ? base : contentKey(`${base}:${options.distinctSuffix}`);
    return { key, ranks: rankDigest(options.seed, key), chars: writer.units };
  }
  return undefined;
}
