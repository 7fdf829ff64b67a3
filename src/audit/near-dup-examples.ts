/**
 * The earlier side of near-duplicate example pairs, read again from the audited files by position
 * (`io/read-at`: a `pread` per record in plain files, the wanted row groups in Parquet, one more
 * decompression pass for gzip/zstd). Only the few records shown as examples are read, after the
 * audit's one pass, so memory stays at a location per record.
 */
import type { RecordFormat } from '../recipe/names.js';
import { readAt } from '../records/read/read-at.js';
import type { PresetName } from '../recipe/types.js';
import { sampleText } from '../sample.js';
import { type NearDupTally, PAIR_TEXT_CHARS, type PendingPair } from './near-dup-tally.js';
import { pairSnippets } from './pair-snippets.js';
import { bodyReaderNamed, provenanceOf } from './record-body.js';
import { snippet } from './record-keys.js';
import type { FileRef } from './file-records.js';
import type { Example, FileCheck, NearDupPair } from './report.js';
import type { SplitPairs } from './subject-tally.js';

/** An audited file as the pass read it: where it is and which reader it took. */
export interface ReadFile {
  readonly absolutePath: string;
  readonly displayPath: string;
  readonly format: RecordFormat;
  /** The text encoding the pass read it in. */
  readonly encoding: string;
  /** A preset name or `fields`, as `FileReadResult.schema` gave it. */
  readonly schema: string;
}

/** An earlier record read again: its example and its text (up to `PAIR_TEXT_CHARS`). */
interface ReadAgain {
  readonly example: Example;
  readonly text: string;
}

/** Examples for location ids, reading each file once for all its ids. */
async function earlierExamples(
  ids: ReadonlySet<number>,
  tally: NearDupTally,
  files: ReadonlyMap<string, ReadFile>,
  signal?: AbortSignal,
): Promise<Map<number, ReadAgain>> {
  const byFile = new Map<number, number[]>();
  for (const id of ids) {
    const file = tally.locations.get(id).file;
    byFile.set(file, [...(byFile.get(file) ?? []), id]);
  }
  const out = new Map<number, ReadAgain>();
  for (const [fileId, fileIds] of byFile) {
    const displayPath = tally.files.names[fileId]!;
    const locations = fileIds.map((id) => ({ id, ...tally.locations.get(id) })).sort((a, b) => a.offset - b.offset);
    const base = (l: (typeof locations)[number]) => ({
      file: displayPath,
      line: l.line,
      group: tally.groups.names[l.group]!,
      source: tally.sources.names[l.source]!,
    });
    const found = new Map<number, { text: string; origin?: string }>();
    let failure = 'file not found';
    const file = files.get(displayPath);
    if (file && file.schema !== 'none') {
      const reader = bodyReaderNamed(file.schema as PresetName | 'fields');
      try {
        for await (const raw of readAt(file.absolutePath, locations, {
          format: file.format,
          encoding: file.encoding,
          displayPath,
          signal,
        })) {
          const value = raw.value !== undefined ? raw.value : JSON.parse(raw.text);
          const origin = provenanceOf(value)?.origin;
          found.set(raw.offset, {
            text: sampleText(reader.toBody(value)).slice(0, PAIR_TEXT_CHARS),
            ...(origin ? { origin } : {}),
          });
        }
      } catch (error) {
        // The file changed since the pass (or a record no longer parses): say so in the example.
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    for (const l of locations) {
      const record = found.get(l.offset) ?? { text: `(could not be read again: ${failure})` };
      out.set(l.id, { example: { ...base(l), ...record, text: snippet(record.text) }, text: record.text });
    }
  }
  return out;
}

/** The audited files by display path, as the pass read them (shards only). */
export function readFilesOf(planned: readonly FileRef[], checks: readonly FileCheck[]): Map<string, ReadFile> {
  const absolute = new Map(planned.map((f) => [f.displayPath, f.absolutePath]));
  const out = new Map<string, ReadFile>();
  for (const check of checks) {
    const absolutePath = absolute.get(check.path);
    if (check.role !== 'shard' || absolutePath === undefined || check.status === 'missing') continue;
    out.set(check.path, {
      absolutePath,
      displayPath: check.path,
      format: check.format as RecordFormat,
      encoding: check.encoding ?? 'utf-8',
      schema: check.schema,
    });
  }
  return out;
}

/** Every split's near-duplicate example pairs with both sides read (the earlier side again, from its file). */
export async function nearDupPairs(
  tally: NearDupTally,
  files: ReadonlyMap<string, ReadFile>,
  signal?: AbortSignal,
): Promise<Map<string, SplitPairs>> {
  const splits = [...tally.splitTallies()];
  const ids = new Set(splits.flatMap(([, t]) => [...t.examples, ...t.leakExamples].map((p) => p.earlier)));
  const earlier = ids.size === 0 ? new Map<number, ReadAgain>() : await earlierExamples(ids, tally, files, signal);
  const resolve = (list: readonly PendingPair[]): NearDupPair[] =>
    list.map((p) => {
      const first = earlier.get(p.earlier)!;
      const [a, b] = pairSnippets(first.text, p.laterText);
      return { jaccard: p.jaccard, earlier: { ...first.example, text: a }, later: { ...p.later, text: b } };
    });
  return new Map(
    splits.map(([name, t]) => [name, { duplicates: resolve(t.examples), leaks: resolve(t.leakExamples) }]),
  );
}
