/**
 * The ordered half of the scan: take each record's outcome (record-outcome.ts) in file order and
 * decide what it means here: count it, report or skip it (on_error), claim its key (the first copy
 * in scan order wins), and offer it to its pool's candidate heaps. This is the only per-record
 * step with state, so it runs on the main thread, in exactly the order one thread would read.
 */
import { crc32 } from 'node:zlib';
import { MixsmithError } from '../errors.js';
import { originOf, placeOf, type RawRecord, whereOf } from '../records/read/raw-record.js';
import { isSplitBySource, isStratified, type MixturePlan, poolOf, sourcePool } from '../plan/plan.js';
import type { SourceSpec } from '../recipe/types.js';
import type { RecordSpill } from '../io/record-spill.js';
import type { FingerprintTable } from './fingerprint-table.js';
import type { RecordPlaces } from './record-places.js';
import { charEstimate, joinedPieces, type TokenCounter } from '../tokens/token-counter.js';
import { parseRecord } from '../records/facts/analyze-record.js';
import { PIECEWISE_RECORD_BYTES } from '../records/facts/line-keys.js';
import { holdsLongStringMarker, parseLongStrings, parsePiecewise } from '../records/read/long-string-json.js';
import type { RecordMapper } from '../records/map/schema-for.js';
import type { FileAnalysis } from '../records/facts/analyzed-batches.js';
import { type Candidate, mayEnter, rankWord } from '../records/facts/candidate.js';
import type { Removal } from './filter-candidates.js';
import { type BatchOutcome, DIGEST_BYTES, type RecordNote } from '../records/facts/record-outcome.js';
import type { ScanBatch } from '../records/read/scan-batch.js';
import type { GroupCandidates } from './scan.js';
import { type InputFileInfo, recordInvalid, type SourceStats } from '../records/facts/source-stats.js';

/** State shared by every file of one scan. */
export interface ScanState {
  readonly plan: MixturePlan;
  readonly groups: ReadonlyMap<string, GroupCandidates>;
  readonly owners: FingerprintTable;
  /** The scan-wide places the owners table keeps for first copies. */
  readonly places: RecordPlaces;
  readonly files: readonly InputFileInfo[];
  readonly dedup: boolean;
  readonly tokens: TokenCounter;
  readonly onRemoved: ((removal: Removal) => void) | undefined;
}

/** One input file being scanned; its `mapper` is set from its first record (analyzed-batches.ts). */
export interface FileScan extends FileAnalysis {
  readonly source: SourceSpec;
  readonly stats: SourceStats;
  readonly info: InputFileInfo;
  /** The group's rank in dedup.prefer: who owns a key. */
  readonly ownerIndex: number;
  /** This file's base in `ScanState.places`. */
  readonly placeBase: number;
  /** Where candidates' bytes are copied (compressed JSONL, when output will be written). */
  readonly spill: RecordSpill | undefined;
}

/** Consume one batch's outcomes, record by record, in order. */
export function consumeBatch(scan: ScanState, file: FileScan, batch: ScanBatch, outcome: BatchOutcome): void {
  const { keyed } = outcome;
  const digests = Buffer.from(outcome.digests.buffer, outcome.digests.byteOffset, outcome.digests.byteLength);
  let next = 0;
  for (let i = 0; i < batch.size; i++) {
    file.stats.read++;
    file.info.records++;
    if (keyed[i] === 0) {
      // Notes come in index order, so a cursor finds each one without a lookup table.
      while (outcome.notes[next]![0] !== i) next++;
      consumeNote(scan, file, batch.recordAt(i), outcome.notes[next]![1]);
      continue;
    }
    consumeKey(scan, file, batch, i, digests, outcome.chars[i]!);
  }
}

function consumeNote(scan: ScanState, file: FileScan, raw: RawRecord, note: RecordNote): void {
  const { source, stats, info } = file;
  if ('conflict' in note) {
    throw new MixsmithError('RECIPE_CONFLICT', `source "${source.name}" ${note.conflict}`, {
      where: { file: info.displayPath, line: raw.line },
      hint: 'change output.schema, or map the source with a schema that fits',
    });
  }
  if ('filtered' in note) {
    stats.filtered[note.filtered] = (stats.filtered[note.filtered] ?? 0) + 1;
    scan.onRemoved?.({
      origin: originOf(info.displayPath, raw),
      source: source.name,
      group: source.group,
      reason: 'filtered',
      matched: note.filtered,
      similarity: 0,
    });
    return;
  }
  const { code, message, hint } = note.error;
  const where = whereOf(info.displayPath, raw);
  if (source.on_error === 'fail') {
    throw new MixsmithError(code, message, {
      where,
      hint: hint ?? `fix the record, or set on_error: skip on source "${source.name}" to count and skip bad records`,
    });
  }
  recordInvalid(stats, { code, message, where });
  scan.onRemoved?.({
    origin: originOf(info.displayPath, raw),
    source: source.name,
    group: source.group,
    reason: 'invalid',
    matched: code,
    similarity: 0,
  });
  if (source.max_errors !== null && stats.invalid > source.max_errors) {
    throw new MixsmithError(
      'INPUT_TOO_MANY_ERRORS',
      `source "${source.name}" has more than max_errors = ${source.max_errors} bad records`,
      {
        where,
        hint: `first problems: ${stats.invalidExamples.join('; ')}`,
      },
    );
  }
}

/** True when record `i` is a later copy of a key already claimed; counts it and logs the evidence. */
function isDuplicate(
  scan: ScanState,
  file: FileScan,
  batch: ScanBatch,
  i: number,
  digests: Buffer,
  at: number,
): boolean {
  const { owners, places, files } = scan;
  const owner = owners.claim(
    digests.readUInt32BE(at),
    digests.readUInt32BE(at + 4),
    file.ownerIndex,
    places.place(file.placeBase, batch.lineAt(i)),
  );
  if (owner === -1) return false;
  if (owner === file.ownerIndex) file.stats.duplicates++;
  else file.stats.crossGroupDuplicates++;
  if (scan.onRemoved) {
    const found = places.locate(owners.foundPlace);
    const first = files[found.fileIndex]!;
    const matched = originOf(first.displayPath, placeOf(first.format, found.line));
    scan.onRemoved({
      origin: originOf(file.info.displayPath, batch.placeAt(i)),
      source: file.source.name,
      group: file.source.group,
      reason: 'dup-exact',
      matched,
      similarity: 1,
    });
  }
  return true;
}

/**
 * A record's token count, counted at most once: the character estimate needs only the length, a
 * real tokenizer needs the text, which the outcome does not carry, so it is derived again here for
 * the few records that need it (stratified pools, and records entering a candidate set).
 */
function countTokens(
  scan: ScanState,
  file: FileScan,
  batch: ScanBatch,
  i: number,
  chars: number,
  lastUse = false,
): number {
  if (scan.tokens === charEstimate) return Math.ceil(chars / 4);
  const huge = lastUse && batch.lengthAt(i) >= PIECEWISE_RECORD_BYTES ? batch.bytesAt(i) : undefined;
  const inPieces = huge && scan.tokens.countPieces ? tokensInPieces(huge, file.mapper!, scan.tokens) : undefined;
  if (inPieces !== undefined) return inPieces;
  const body = file.mapper!.toBody(tokenValue(batch, i, huge));
  return scan.tokens.countJoined(body.kind === 'text' ? [body.text] : body.messages.map((message) => message.content));
}

/**
 * A huge JSONL line's tokens with its long strings decoded a piece at a time from its bytes
 * (long-string-json.ts `parsePiecewise`), never whole: the body is built with markers for them,
 * and the turns are counted from their pieces, joined by "\n" as the sample's text is
 * (`countPieces`). Undefined (count it whole) when a turn holds a marker inside other
 * text, or the bytes cannot be cut.
 */
function tokensInPieces(bytes: Uint8Array, mapper: RecordMapper, tokens: TokenCounter): number | undefined {
  const record = parsePiecewise(bytes, TOKEN_PIECE_BYTES);
  if (!record) return undefined;
  let body: ReturnType<RecordMapper['toBody']>;
  try {
    body = mapper.toBody(record.value);
  } catch {
    return undefined; // the whole record decides
  }
  const parts = body.kind === 'text' ? [body.text] : body.messages.map((message) => message.content);
  const partPieces: Iterable<string>[] = [];
  for (const part of parts) {
    const pieces = record.pieces(part);
    if (!pieces && holdsLongStringMarker(part)) return undefined;
    partPieces.push(pieces ?? [part]);
  }
  return tokens.countPieces!(joinedPieces(partPieces));
}

const TOKEN_PIECE_BYTES = 1 << 16;

/**
 * The record's value for counting its tokens. A huge JSONL line whose bytes nothing reads after
 * (`hugeBytes`, given only then) is parsed from them in place (long-string-json.ts): its decoded
 * text beside its bytes and value was a third copy of it.
 */
function tokenValue(batch: ScanBatch, i: number, hugeBytes: Uint8Array | undefined): unknown {
  const value = hugeBytes ? parseLongStrings(hugeBytes) : undefined;
  return value ?? parseRecord(batch.recordAt(i), { maxDepth: Number.POSITIVE_INFINITY });
}

function consumeKey(
  scan: ScanState,
  file: FileScan,
  batch: ScanBatch,
  i: number,
  digests: Buffer,
  chars: number,
): void {
  const at = i * DIGEST_BYTES;
  if (scan.dedup && isDuplicate(scan, file, batch, i, digests, at)) return;
  const { source, stats } = file;
  const { plan, groups } = scan;
  stats.available++;
  // No closure per record on this path unless the group is stratified: it runs for every input
  // record (a closure each was ~120 MB of garbage at 2 × 1M, by V8's allocation sampling).
  let tokens = -1;
  let pool = source.group;
  if (isSplitBySource(plan, source.group)) pool = sourcePool(source.group, source.name);
  else if (isStratified(plan, source.group)) {
    pool = poolOf(plan, source.group, chars, () => (tokens = countTokens(scan, file, batch, i, chars)));
  }
  const target = groups.get(pool)!;
  target.available++;
  // Most records rank too high for either heap: tell from the numbers, before any string is made.
  const priorityHi = rankWord(digests, at + 16);
  const priorityLo = rankWord(digests, at + 20);
  const splitHi = rankWord(digests, at + 24);
  const splitLo = rankWord(digests, at + 28);
  const byPriorityRoot = target.byPriority.threshold;
  const bySplitRoot = target.bySplit.threshold;
  if (
    (byPriorityRoot === null || !mayEnter(priorityHi, priorityLo, byPriorityRoot, 'priority')) &&
    (bySplitRoot === null || !mayEnter(splitHi, splitLo, bySplitRoot, 'split'))
  )
    return;
  const candidate: Candidate = {
    key: digests.toString('hex', at, at + 16),
    priorityHi,
    priorityLo,
    splitHi,
    splitLo,
    fileIndex: file.info.index,
    offset: batch.offsetAt(i),
    length: batch.lengthAt(i),
    line: batch.lineAt(i),
    chars,
    tokens: 0,
    spill: -1,
    crc32: -1,
  };
  // Tokens are counted only for records that enter a candidate set: a few per output record.
  if (!target.byPriority.admits(candidate) && !target.bySplit.admits(candidate)) return;
  const bytes = batch.bytesAt(i);
  if (bytes) {
    candidate.crc32 = crc32(bytes);
    if (file.spill) candidate.spill = file.spill.append(bytes);
  }
  // The bytes' last use: counting may rewrite them.
  candidate.tokens = tokens >= 0 ? tokens : countTokens(scan, file, batch, i, chars, true);
  target.byPriority.offer(candidate);
  target.bySplit.offer(candidate);
}
