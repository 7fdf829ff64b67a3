/**
 * Checks a composed output against the corpus ground truth: rows per source, no id twice, no two
 * records with the same normalised key, no record that truth marks as a later copy. For W2 it
 * also counts (as information, not as failures: quality is tested in the project's own suite)
 * quoted eval questions and planted near-duplicate pairs left in the output.
 */
import { existsSync } from 'node:fs';
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
    if (counts[source] !== expect[source]) problems.push(`${source}: ${counts[source]} rows, expected ${expect[source]}`);
  }
  let laterCopies = 0;
  for (const id of idsFromTsv(path.join(dataDir, 'truth.dropped.tsv'))) if (ids.has(id)) laterCopies++;
  if (laterCopies > 0) problems.push(`${laterCopies} records are later copies of a kept record (truth.dropped.tsv)`);
  const result = { ok: problems.length === 0, records: records.length, counts, problems: problems.slice(0, 5) };
  if (quality) {
    let contaminated = 0;
    for (const id of idsFromTsv(path.join(dataDir, 'truth.contaminated.tsv'))) if (ids.has(id)) contaminated++;
    result.quality = { contaminatedLeft: contaminated, nearPairs: leftNearPairs(path.join(dataDir, 'truth.neardups.jsonl'), ids) };
  }
  return result;
}
