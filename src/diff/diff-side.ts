/**
 * One side of a diff: an output folder, a sweep point, or data files, streamed record by record
 * with their content keys. Reuses the audit's locating and reading, so both commands agree on
 * what a record, a group and a content key are.
 */
import { MixsmithError } from '../errors.js';
import { readFileRecords } from '../audit/file-records.js';
import { groupAndSource } from '../audit/group-of.js';
import { locateAll } from '../audit/locate-all.js';
import type { SubjectInput } from '../audit/locate.js';
import { type AuditSchema, provenanceOf } from '../audit/record-body.js';
import { type RecordKeys, recordKeys } from '../audit/record-keys.js';
import type { RecordPlace } from '../audit/split-tally.js';

export interface SideRecord extends RecordPlace {
  readonly keys: RecordKeys;
}

export interface SideOptions {
  readonly schema: AuditSchema;
  readonly by: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The one mixture or dataset a diff argument names. */
export async function openSide(given: string, cwd: string): Promise<SubjectInput> {
  const located = await locateAll([given], cwd);
  if (located.sweep) {
    throw new MixsmithError('USAGE', `${given} is a sweep folder; diff compares two mixtures`, {
      where: { file: given },
      hint: `name a point folder, e.g. ${given}/<point>`,
    });
  }
  return located.subjects[0]!;
}

export async function forEachRecord(
  side: SubjectInput,
  options: SideOptions,
  visit: (record: SideRecord) => void,
): Promise<void> {
  for (const file of side.files) {
    if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
    await readFileRecords(
      file,
      { schema: options.schema, signal: options.signal },
      {
        onRecord: (line, value, body) => {
          const provenance = provenanceOf(value);
          const { group, source } = groupAndSource({ value, file: file.displayPath, provenance, by: options.by });
          visit({
            split: file.split,
            group,
            source,
            file: file.displayPath,
            line,
            origin: provenance?.origin,
            keys: recordKeys(body, false),
          });
        },
        // A diff compares what can be read; the audit is the place that reports unreadable records.
        onInvalid: () => {},
      },
    );
  }
  if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
}
