/**
 * Checks a composed output against the corpus ground truth: rows per source, no id twice, no two
 * records with the same normalised key, no record that truth marks as a later copy. For W2 it
 * also counts (as information, not as failures: quality is tested in the project's own suite)
 * quoted eval questions and planted near-duplicate pairs left in the output, and scores the
 * near-duplicate pass on the planted pairs from what the run says it removed (nearDupScores).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { forEachLine } from './line-reader.mjs';
import { keyHash, keyOf } from './norm.mjs';
import { readOutputRecords } from './output-files.mjs';

function idsFromTsv(file) {
  const ids = new Set();
  if (existsSync(file)) forEachLine(file, (line) => ids.add(line.slice(0, line.indexOf('\t'))));
  return ids;
}

function leftNearPairs(file, present) {
  let planted = 0;
  let left = 0;
  if (!existsSync(file)) return { planted, left };
  forEachLine(file, (line) => {
    const { a, b } = JSON.parse(line);
    planted++;
    if (present.has(a) && present.has(b)) left++;
  });
  return { planted, left };
}

const ID_AT_LINE_START = /^\{"id":"([^"]+)"/;

/**
 * What a run removed, as Map(id → reason): mixsmith's removed.jsonl cites each record as
 * `file:line` (1-based, the file relative to the recipe: the manifest pairs it with its absolute
 * path), mapped to ids by reading those lines; the
 * bench's Python peers write removed.tsv (`id <TAB> reason`). Reasons: dup-exact, dup-near,
 * contaminated, … Null when the run left no such file.
 */
function removedRecords(outDir) {
  const tsv = path.join(outDir, 'removed.tsv');
  const removed = new Map();
  if (existsSync(tsv)) {
    forEachLine(tsv, (line) => {
      const [id, reason] = line.split('\t');
      removed.set(id, reason);
    });
    return removed;
  }
  const jsonl = path.join(outDir, 'removed.jsonl');
  if (!existsSync(jsonl)) return null;
  const absolute = new Map();
  const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  for (const source of manifest.recipe?.resolved?.sources ?? []) {
    for (const [i, file] of (manifest.sources?.[source.name]?.files ?? []).entries())
      absolute.set(file.path, source.path[i]);
  }
  const wanted = new Map(); // file → Map(line → reason)
  forEachLine(jsonl, (line) => {
    const { origin, reason } = JSON.parse(line);
    const at = origin.lastIndexOf(':');
    const file = absolute.get(origin.slice(0, at)) ?? path.resolve(outDir, origin.slice(0, at));
    if (!wanted.has(file)) wanted.set(file, new Map());
    wanted.get(file).set(Number(origin.slice(at + 1)), reason);
  });
  for (const [file, lines] of wanted) {
    // The corpus has no empty lines, so forEachLine's index + 1 is the line number.
    forEachLine(file, (line, index) => {
      const reason = lines.get(index + 1);
      if (reason !== undefined) removed.set(ID_AT_LINE_START.exec(line)?.[1] ?? `${file}:${index + 1}`, reason);
    });
  }
  return removed;
}

/**
 * The near-duplicate pass scored on the planted pairs (truth.neardups.jsonl), the same way for
 * mixsmith and for the peers, from the records each run kept (`outputIds`) and removed:
 *   eligible pairs: both records reached the output decision, i.e. each is in the output or was
 *                   removed as dup-near. mixsmith judges near duplicates greedily in priority
 *                   order only until the quotas are filled, the peers judge their whole pool before
 *                   sampling; pairs with a record never sampled or never offered, or removed for
 *                   another reason (exact copy, contamination), say nothing about either and are
 *                   left out;
 *   recall:         eligible pairs with at least one record removed as dup-near / eligible pairs
 *                   (= 1 − pairs left in the output / eligible pairs);
 *   precision:      dup-near removals that belong to a planted pair / all dup-near removals.
 * Near duplicates the generator made by accident (e.g. two records quoting the same eval item)
 * count as false positives, so precision is a lower bound, equally for every run.
 */
export function nearDupScores(outDir, dataDir, outputIds) {
  const removed = removedRecords(outDir);
  const truthFile = path.join(dataDir, 'truth.neardups.jsonl');
  if (!removed || !existsSync(truthFile)) return null;
  const inPair = new Set();
  const decided = (id) => outputIds.has(id) || removed.get(id) === 'dup-near';
  let eligible = 0;
  let caught = 0;
  forEachLine(truthFile, (line) => {
    const { a, b } = JSON.parse(line);
    inPair.add(a);
    inPair.add(b);
    if (!decided(a) || !decided(b)) return;
    eligible++;
    if (removed.get(a) === 'dup-near' || removed.get(b) === 'dup-near') caught++;
  });
  let nearRemoved = 0;
  let truePositives = 0;
  for (const [id, reason] of removed) {
    if (reason !== 'dup-near') continue;
    nearRemoved++;
    if (inPair.has(id)) truePositives++;
  }
  return {
    nearRemoved,
    truePositives,
    eligible,
    caught,
    precision: nearRemoved ? truePositives / nearRemoved : Number.NaN,
    recall: eligible ? caught / eligible : Number.NaN,
  };
}

export async function verifyOutput({ outDir, dataDir, expect, repoDir, quality = false }) {
  const problems = [];
  const { files, records } = await readOutputRecords(outDir, repoDir);
  if (files.length === 0) return { ok: false, records: 0, problems: [`no output files under ${outDir}`] };
  const counts = { domain: 0, general: 0 };
  const ids = new Set();
  const keys = new Set();
  for (const record of records) {
    const source = { dom: 'domain', gen: 'general' }[String(record.id).slice(0, 3)];
    if (!source) {
      problems.push(`record without a corpus id: ${JSON.stringify(record).slice(0, 80)}`);
      continue;
    }
    counts[source]++;
    if (ids.has(record.id)) problems.push(`id ${record.id} twice`);
    ids.add(record.id);
    const key = keyHash(keyOf(record));
    if (keys.has(key)) problems.push(`${record.id} repeats a normalised key already in the output`);
    keys.add(key);
  }
  for (const source of Object.keys(expect)) {
    if (counts[source] !== expect[source])
      problems.push(`${source}: ${counts[source]} rows, expected ${expect[source]}`);
  }
  let laterCopies = 0;
  for (const id of idsFromTsv(path.join(dataDir, 'truth.dropped.tsv'))) if (ids.has(id)) laterCopies++;
  if (laterCopies > 0) problems.push(`${laterCopies} records are later copies of a kept record (truth.dropped.tsv)`);
  const result = { ok: problems.length === 0, records: records.length, counts, problems: problems.slice(0, 5) };
  if (quality) {
    let contaminated = 0;
    for (const id of idsFromTsv(path.join(dataDir, 'truth.contaminated.tsv'))) if (ids.has(id)) contaminated++;
    result.quality = {
      contaminatedLeft: contaminated,
      nearPairs: leftNearPairs(path.join(dataDir, 'truth.neardups.jsonl'), ids),
      nearScores: nearDupScores(outDir, dataDir, ids),
    };
  }
  return result;
}
