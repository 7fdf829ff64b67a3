/**
 * Stream every file of one subject into its tally, train files first (so validation records can
 * be checked against train keys as they pass), and check each file against its manifest entry.
 */
import { isMixsmithError, MixsmithError } from '../errors.js';
import { readFileRecords } from './file-records.js';
import { groupAndSource } from './group-of.js';
import type { PlannedFile, SubjectInput } from './locate.js';
import { loadProvenanceSidecar } from './provenance-sidecar.js';
import { type AuditSchema, provenanceOf, turnsOf } from './record-body.js';
import type { FileCheck, FileStatus } from './report.js';
import { type FactSource, RecordFeed } from './record-feed.js';
import { splitOrder, type SubjectTally } from './subject-tally.js';

export interface ReadSubjectOptions {
  readonly schema: AuditSchema;
  readonly by: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ReadSubjectResult {
  readonly files: FileCheck[];
  readonly skipped: string[];
  /** Valid records with and without provenance fields. */
  readonly withProvenance: number;
  readonly withoutProvenance: number;
}

function readOrder(files: readonly PlannedFile[]): PlannedFile[] {
  const rank = new Map(splitOrder(new Set(files.map((f) => f.split))).map((s, i) => [s, i]));
  return [...files].sort((a, b) => rank.get(a.split)! - rank.get(b.split)! || (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
}

function statusOf(file: PlannedFile, actual: { rows: number; bytes: number; sha256: string }, verified: boolean): FileStatus {
  if (!file.expected) return verified ? 'unlisted' : 'unverified';
  const e = file.expected;
  return e.rows === actual.rows && e.bytes === actual.bytes && e.sha256 === actual.sha256 ? 'ok' : 'mismatch';
}

export async function readSubject(subject: SubjectInput, tally: SubjectTally, facts: FactSource, options: ReadSubjectOptions): Promise<ReadSubjectResult> {
  const feed = new RecordFeed(tally, facts);
  const files: FileCheck[] = [];
  const skipped: string[] = [];
  const verified = subject.manifest?.status === 'ok';
  let withProvenance = 0;
  let withoutProvenance = 0;
  for (const file of readOrder(subject.files)) {
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    tally.touchSplit(file.split);
    const where = (line: number) => `${file.displayPath}:${line}`;
    const sidecar = file.sidecar ? await loadProvenanceSidecar(file.sidecar, options.signal) : undefined;
    let result: Awaited<ReturnType<typeof readFileRecords>>;
    try {
      result = await readFileRecords(
        file,
        { schema: options.schema, signal: options.signal },
        {
          onRecord: (line, value, body, ordinal, position) => {
            const provenance = provenanceOf(value) ?? sidecar?.at(ordinal);
            if (provenance) withProvenance++;
            else withoutProvenance++;
            const { group, source } = groupAndSource({ value, file: file.displayPath, provenance, by: options.by });
            feed.push({ split: file.split, group, source, file: file.displayPath, line, origin: provenance?.origin || undefined, turns: turnsOf(body) }, body, position);
          },
          onInvalid: (line, message) => feed.invalid(file.split, where(line), message),
          onBatch: () => feed.afterRead(),
        },
      );
      await feed.drain();
    } catch (error) {
      // A file met while walking a folder that is not in a readable format is listed, not fatal.
      if (file.walked && isMixsmithError(error) && error.code === 'INPUT_FORMAT') {
        await feed.drain();
        skipped.push(`${file.displayPath}: ${error.message.replace(`${file.displayPath}: `, '')}`);
        continue;
      }
      throw error;
    }
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    const actual = { rows: result.records, bytes: result.bytes, sha256: result.sha256 };
    files.push({
      path: file.displayPath,
      role: 'shard',
      split: file.split,
      format: result.format,
      schema: result.schema,
      ...actual,
      ...(file.expected ? { expected: file.expected } : {}),
      status: statusOf(file, actual, verified),
    });
  }
  for (const gone of subject.missing) {
    files.push({ path: gone.path, role: 'shard', split: gone.split, format: '', schema: '', rows: 0, bytes: 0, sha256: '', expected: gone.expected, status: 'missing' });
  }
  return { files, skipped, withProvenance, withoutProvenance };
}
