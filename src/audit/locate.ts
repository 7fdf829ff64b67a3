/**
 * What the PATHs given to `mixsmith audit` are: a sweep folder (has `sweep.json`), a mixsmith
 * output folder (has `manifest.json`, or shard-named files without one: incomplete), or plain
 * data files and folders, which together form one dataset. This module only looks at names and
 * the manifest; reading records is `read-subject.ts`'s job.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { MixsmithError } from '../errors.js';
import { displayPathOf } from '../records/read/expand-paths.js';
import { folderDataFiles } from '../records/read/save-to-disk.js';
import { listFiles, parseShardName } from './list-files.js';
import { loadManifest, MANIFEST_FILE, type ManifestLoad } from './read-manifest.js';
import type { FileRef } from './file-records.js';
import { sidecarNameOf } from './provenance-sidecar.js';
import { SWEEP_INDEX_FILE } from './sweep-index.js';

export interface PlannedFile extends FileRef {
  readonly split: string;
  /** The manifest's entry for this file, when it has one. */
  readonly expected?: { readonly rows: number; readonly bytes: number; readonly sha256: string };
  /** Found by walking a folder (an unreadable format is skipped) rather than named by the user. */
  readonly walked: boolean;
  /** Where the records' provenance is kept when not in the records (`*.provenance.jsonl`). */
  readonly sidecar?: FileRef;
}

export interface SubjectInput {
  readonly name: string;
  readonly kind: 'mixture' | 'dataset';
  /** The output folder (mixtures only). */
  readonly dir?: string;
  /** Null for datasets: no manifest is expected. */
  readonly manifest: ManifestLoad | null;
  readonly files: PlannedFile[];
  /** Files the manifest lists that are not there. */
  readonly missing: {
    readonly path: string;
    readonly split: string;
    readonly expected: { rows: number; bytes: number; sha256: string };
  }[];
  readonly findings: Diagnostic[];
  /** Files under a dataset folder left out because their names are not data files (README.md, .xml). */
  readonly ignored: number;
}

/** The split a plain file counts in: its shard name's, else `data`. */
export function splitOfPlainFile(file: string): string {
  return parseShardName(file)?.split ?? 'data';
}

/**
 * An output folder: it has a manifest, or files named like shards at its top level (but not a
 * save_to_disk split folder, whose `data-00000-of-0000N.arrow` sit beside its `state.json`).
 */
export async function isOutputFolder(dir: string): Promise<boolean> {
  if (existsSync(path.join(dir, MANIFEST_FILE))) return true;
  if (existsSync(path.join(dir, 'state.json'))) return false;
  const files = await listFiles(dir);
  return files.some((f) => !f.includes('/') && parseShardName(f) !== undefined);
}

export function isSweepFolder(dir: string): boolean {
  return existsSync(path.join(dir, SWEEP_INDEX_FILE));
}

function shardGaps(files: readonly string[], subject: string): Diagnostic[] {
  const seen = new Map<string, { count: number; indexes: Set<number>; example: string }>();
  for (const file of files) {
    const shard = parseShardName(file);
    if (!shard) continue;
    const id = `${path.posix.dirname(file)}\u0000${shard.split}\u0000${shard.count}`;
    const entry = seen.get(id) ?? { count: shard.count, indexes: new Set<number>(), example: file };
    entry.indexes.add(shard.index);
    seen.set(id, entry);
  }
  const findings: Diagnostic[] = [];
  for (const { count, indexes, example } of seen.values()) {
    for (let i = 0; i < count; i++) {
      if (indexes.has(i)) continue;
      const name = example.replace(/-\d{5}-of-/, `-${String(i).padStart(5, '0')}-of-`);
      findings.push({
        code: 'AUDIT_FILE_MISSING',
        message: `shard ${name} is missing (its siblings say there are ${count})`,
        where: { file: `${subject}/${name}` },
        hint: 'the output is incomplete: compose it again',
      });
    }
  }
  return findings;
}

/** An output folder as a subject: files from the manifest, plus shard files it does not list. */
export async function mixtureSubject(dir: string, name: string): Promise<SubjectInput> {
  const manifest = await loadManifest(dir);
  const onDisk = await listFiles(dir);
  const findings: Diagnostic[] = [];
  const files: PlannedFile[] = [];
  const missing: SubjectInput['missing'] = [];
  const ref = (file: string) => ({ absolutePath: path.join(dir, ...file.split('/')), displayPath: file });
  const withSidecar = (file: string) => {
    const sidecar = sidecarNameOf(file);
    return onDisk.includes(sidecar) ? { ...ref(file), sidecar: ref(sidecar) } : ref(file);
  };
  if (manifest.status === 'ok') {
    const listed = new Set<string>();
    for (const entry of manifest.manifest.files) {
      listed.add(entry.path);
      const expected = { rows: entry.rows, bytes: entry.bytes, sha256: entry.sha256 };
      if (onDisk.includes(entry.path))
        files.push({ ...withSidecar(entry.path), split: entry.split, expected, walked: false });
      else {
        missing.push({ path: entry.path, split: entry.split, expected });
        findings.push({
          code: 'AUDIT_FILE_MISSING',
          message: `${entry.path} is listed in the manifest (${entry.rows} rows) but missing`,
          where: { file: `${name}/${entry.path}` },
          hint: 'restore the file or compose the mixture again',
        });
      }
    }
    for (const file of onDisk) {
      const shard = parseShardName(file);
      if (!shard || listed.has(file)) continue;
      files.push({ ...withSidecar(file), split: shard.split, walked: false });
      findings.push({
        code: 'AUDIT_FILE_UNLISTED',
        message: `${file} looks like a shard but the manifest does not list it; its records are audited too`,
        where: { file: `${name}/${file}` },
        hint: 'a trainer globbing the folder would read it: remove it, or compose again',
      });
    }
  } else {
    const problem =
      manifest.status === 'missing'
        ? `has no ${MANIFEST_FILE}`
        : `has an unusable ${MANIFEST_FILE}: ${manifest.problem}`;
    findings.push({
      code: 'AUDIT_INCOMPLETE',
      message: `output folder ${name} ${problem}, so its files cannot be verified`,
      where: { file: `${name}/${MANIFEST_FILE}` },
      hint: 'compose writes the manifest last: a folder without one is from a run that did not finish',
    });
    for (const file of onDisk) {
      const shard = parseShardName(file);
      if (shard) files.push({ ...withSidecar(file), split: shard.split, walked: false });
    }
    findings.push(...shardGaps(onDisk, name));
  }
  return { name, kind: 'mixture', dir, manifest, files, missing, findings, ignored: 0 };
}

/** Plain files and folders (every data file under them), as one dataset. */
export async function datasetSubject(
  targets: readonly { absolute: string; isDirectory: boolean }[],
  cwd: string,
): Promise<SubjectInput> {
  const files: PlannedFile[] = [];
  const seen = new Set<string>();
  let ignored = 0;
  const add = (absolutePath: string, walked: boolean) => {
    if (seen.has(absolutePath)) return;
    seen.add(absolutePath);
    const displayPath = displayPathOf(absolutePath, cwd);
    files.push({ absolutePath, displayPath, split: splitOfPlainFile(displayPath), walked });
  };
  for (const target of targets) {
    if (!target.isDirectory) add(target.absolute, false);
    else {
      // The folder rule every command shares (a save_to_disk split: the .arrow files its state.json lists).
      const all = (await listFiles(target.absolute)).map((file) => path.join(target.absolute, ...file.split('/')));
      const data = await folderDataFiles(all, cwd);
      for (const file of data) add(file, true);
      ignored += all.length - data.length;
    }
  }
  const name = targets.map((t) => displayPathOf(t.absolute, cwd) || '.').join(' ');
  return { name, kind: 'dataset', manifest: null, files, missing: [], findings: [], ignored };
}

/** A PATH that must exist: a file or a folder. */
export async function statTarget(given: string, cwd: string): Promise<{ absolute: string; isDirectory: boolean }> {
  const absolute = path.resolve(cwd, given);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    throw new MixsmithError('INPUT_NOT_FOUND', `${given}: no such file or folder`, {
      where: { file: given },
      hint: 'give an output folder, a sweep folder, or data files and folders',
    });
  }
  return { absolute, isDirectory: info.isDirectory() };
}
