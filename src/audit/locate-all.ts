/**
 * Sort the PATHs of one `mixsmith audit` call into subjects: each output folder (and each point
 * of a sweep folder) is audited on its own; all plain files and folders together form one dataset.
 */
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { MixsmithError } from '../errors.js';
import { displayPathOf } from '../records/read/expand-paths.js';
import {
  datasetSubject,
  isOutputFolder,
  isSweepFolder,
  mixtureSubject,
  statTarget,
  type SubjectInput,
} from './locate.js';
import { loadSweepIndex, SWEEP_INDEX_FILE, type SweepIndexPoint } from './sweep-index.js';

export interface LocatedSweep {
  readonly dir: string;
  readonly points: readonly { readonly point: SweepIndexPoint; readonly subject: number | null }[];
}

export interface Located {
  readonly subjects: SubjectInput[];
  readonly sweep: LocatedSweep | null;
  readonly findings: Diagnostic[];
}

async function locateSweep(
  dir: string,
  name: string,
  subjects: SubjectInput[],
  findings: Diagnostic[],
): Promise<LocatedSweep> {
  const index = await loadSweepIndex(dir);
  if ('problem' in index) {
    findings.push({
      code: 'AUDIT_INCOMPLETE',
      message: `${name}/${SWEEP_INDEX_FILE} is unusable: ${index.problem}`,
      where: { file: `${name}/${SWEEP_INDEX_FILE}` },
      hint: 'compose the sweep again; the index is written when every point is done',
    });
    return { dir: name, points: [] };
  }
  const points: { point: SweepIndexPoint; subject: number | null }[] = [];
  for (const point of index.points) {
    const absolute = path.resolve(dir, point.path);
    const pointName = `${name}/${point.path}`;
    const exists = await statTarget(absolute, dir).then(
      (t) => t.isDirectory,
      () => false,
    );
    if (!exists) {
      findings.push({
        code: 'AUDIT_FILE_MISSING',
        message: `sweep point ${point.path} is listed in ${SWEEP_INDEX_FILE} but its folder is missing`,
        where: { file: pointName },
        hint: 'compose the sweep again',
      });
      points.push({ point, subject: null });
      continue;
    }
    subjects.push(await mixtureSubject(absolute, pointName));
    points.push({ point, subject: subjects.length - 1 });
  }
  return { dir: name, points };
}

export async function locateAll(paths: readonly string[], cwd: string): Promise<Located> {
  if (paths.length === 0)
    throw new MixsmithError('USAGE', 'name at least one PATH to audit', {
      hint: 'mixsmith audit out/mix (an output folder), a sweep folder, or data files',
    });
  const subjects: SubjectInput[] = [];
  const findings: Diagnostic[] = [];
  const plain: { absolute: string; isDirectory: boolean }[] = [];
  let sweep: LocatedSweep | null = null;
  for (const given of paths) {
    const target = await statTarget(given, cwd);
    const name = displayPathOf(target.absolute, cwd) || '.';
    if (target.isDirectory && isSweepFolder(target.absolute)) {
      if (sweep)
        throw new MixsmithError('USAGE', `${given}: audit one sweep folder at a time (${sweep.dir} is already given)`, {
          hint: 'run mixsmith audit once per sweep',
        });
      sweep = await locateSweep(target.absolute, name, subjects, findings);
    } else if (target.isDirectory && (await isOutputFolder(target.absolute))) {
      subjects.push(await mixtureSubject(target.absolute, name));
    } else {
      plain.push(target);
    }
  }
  if (plain.length > 0) {
    const dataset = await datasetSubject(plain, cwd);
    if (dataset.files.length === 0) {
      throw new MixsmithError('INPUT_EMPTY', `${dataset.name}: no data files found`, {
        where: { file: dataset.name },
        hint: 'audit reads .jsonl, .ndjson, .json (and .gz of each); Parquet/CSV when the readers support them',
      });
    }
    subjects.push(dataset);
  }
  return { subjects, sweep, findings };
}
