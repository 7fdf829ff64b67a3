/**
 * Stream every file of one subject into its tally, train files first (so validation records can
 * be checked against train keys as they pass), and check each file against its manifest entry.
 */
import { type Diagnostic, isMixsmithError, MixsmithError } from '../errors.js';
import { isElementFormat, isRowFormat } from '../records/read/raw-record.js';
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
  /** `auto` (guess UTF-8 or GB18030 per JSONL/CSV/TSV file) or an encoding name. */
  readonly encoding?: string | undefined;
  readonly by: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ReadSubjectResult {
  readonly files: FileCheck[];
  readonly skipped: string[];
  /** AUDIT_UNREADABLE: one per file with records that could not be read, and one when nothing was read at all. */
  readonly findings: Diagnostic[];
  /** Records that could not be read, over all files. */
  readonly unreadable: number;
  /** Valid records with and without provenance fields. */
  readonly withProvenance: number;
  readonly withoutProvenance: number;
}

function readOrder(files: readonly PlannedFile[]): PlannedFile[] {
  const rank = new Map(splitOrder(new Set(files.map((f) => f.split))).map((s, i) => [s, i]));
  return [...files].sort(
    (a, b) =>
      rank.get(a.split)! - rank.get(b.split)! ||
      (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0),
  );
}

function statusOf(
  file: PlannedFile,
  actual: { rows: number; bytes: number; sha256: string },
  verified: boolean,
): FileStatus {
  if (!file.expected) return verified ? 'unlisted' : 'unverified';
  const e = file.expected;
  return e.rows === actual.rows && e.bytes === actual.bytes && e.sha256 === actual.sha256 ? 'ok' : 'mismatch';
}

export async function readSubject(
  subject: SubjectInput,
  tally: SubjectTally,
  facts: FactSource,
  options: ReadSubjectOptions,
): Promise<ReadSubjectResult> {
  const feed = new RecordFeed(tally, facts);
  const files: FileCheck[] = [];
  const skipped: string[] = [];
  const findings: Diagnostic[] = [];
  let unreadable = 0;
  let readable = 0;
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
        { schema: options.schema, signal: options.signal, encoding: options.encoding },
        {
          onRecord: (line, value, body, ordinal, position) => {
            const provenance = provenanceOf(value) ?? sidecar?.at(ordinal);
            if (provenance) withProvenance++;
            else withoutProvenance++;
            const { group, source } = groupAndSource({ value, file: file.displayPath, provenance, by: options.by });
            feed.push(
              {
                split: file.split,
                group,
                source,
                file: file.displayPath,
                line,
                origin: provenance?.origin || undefined,
                turns: turnsOf(body),
              },
              body,
              position,
            );
          },
          onInvalid: (line, message) => feed.invalid(file.split, where(line), message),
          onBatch: () => feed.afterRead(),
        },
      );
      await feed.drain();
    } catch (error) {
      // A file met while walking a folder that is not in a readable format (or whose header cannot be decoded) is listed, not fatal.
      if (file.walked && isMixsmithError(error) && (error.code === 'INPUT_FORMAT' || error.code === 'INPUT_ENCODING')) {
        await feed.drain();
        skipped.push(`${file.displayPath}: ${error.message.replace(`${file.displayPath}: `, '')}`);
        continue;
      }
      throw error;
    }
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    const actual = { rows: result.records, bytes: result.bytes, sha256: result.sha256 };
    unreadable += result.unreadable;
    readable += result.records - result.unreadable;
    if (result.firstUnreadable) findings.push(unreadableFinding(file.displayPath, result));
    files.push({
      path: file.displayPath,
      role: 'shard',
      split: file.split,
      format: result.format,
      schema: result.schema,
      ...actual,
      ...(file.expected ? { expected: file.expected } : {}),
      status: statusOf(file, actual, verified),
      ...(result.encoding === 'utf-8' ? {} : { encoding: result.encoding }),
      ...(result.unreadable > 0 ? { unreadable: result.unreadable } : {}),
    });
  }
  // Never a bare "ok" over data of which nothing could be read.
  if (readable === 0 && unreadable === 0 && skipped.length > 0) {
    findings.push({
      code: 'AUDIT_UNREADABLE',
      message: `nothing was read: ${skipped.length === 1 ? 'the one data file was' : `all ${skipped.length} data files were`} not in a readable format (${skipped.map((s) => s.slice(0, s.indexOf(': '))).join(', ')})`,
      where: { file: subject.name },
      hint: 'mixsmith inspect FILE shows what mixsmith sees in a file',
    });
  }
  for (const gone of subject.missing) {
    files.push({
      path: gone.path,
      role: 'shard',
      split: gone.split,
      format: '',
      schema: '',
      rows: 0,
      bytes: 0,
      sha256: '',
      expected: gone.expected,
      status: 'missing',
    });
  }
  return { files, skipped, findings, unreadable, withProvenance, withoutProvenance };
}

/** AUDIT_UNREADABLE for a file some of whose records could not be read, with the first problem and what to do. */
function unreadableFinding(displayPath: string, result: Awaited<ReturnType<typeof readFileRecords>>): Diagnostic {
  const first = result.firstUnreadable!;
  const all = result.unreadable === result.records;
  const encodingHint =
    first.code === 'INPUT_ENCODING' && first.hint
      ? first.hint.replace(
          /set encoding: (\S+) on the source \(or --encoding \S+ for inspect\)/,
          'audit with --encoding $1',
        )
      : undefined;
  const place = isRowFormat(result.format) ? 'row' : isElementFormat(result.format) ? 'element' : 'line';
  return {
    code: 'AUDIT_UNREADABLE',
    message: `${all ? 'none' : `${result.unreadable}`} of its ${result.records} records could ${all ? '' : 'not '}be read (read as ${result.encoding}); the first, at ${place} ${first.line}: ${first.code}: ${first.message}`,
    where: { file: displayPath },
    hint: encodingHint ?? first.hint ?? 'mixsmith inspect FILE lists the records that cannot be read',
  };
}
