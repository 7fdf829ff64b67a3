/**
 * The manifest's other files — provenance sidecars, trainer layout files (dataset card,
 * dataset_info.json, axolotl.yaml) and the removal evidence log — checked for presence, bytes,
 * sha256 and (for line files) rows. Each is hashed as a stream.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../manifest/manifest.js';
import type { Diagnostic } from '../errors.js';
import type { FileCheck, FileRole } from './report.js';

interface Artifact {
  readonly path: string;
  readonly role: FileRole;
  readonly rows?: number;
  readonly bytes: number;
  readonly sha256: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function isArtifact(v: unknown): v is { path: string; bytes: number; sha256: string; rows?: number } {
  return isObject(v) && typeof v.path === 'string' && typeof v.bytes === 'number' && typeof v.sha256 === 'string';
}

/** Every non-shard file the manifest describes (fields it lacks are simply not checked). */
export function artifactsOf(manifest: Manifest): Artifact[] {
  const out: Artifact[] = [];
  const m = manifest as unknown as Record<string, unknown>;
  for (const file of manifest.files) {
    const sidecars = (file as unknown as Record<string, unknown>).sidecars;
    if (Array.isArray(sidecars)) for (const s of sidecars) if (isArtifact(s)) out.push({ ...s, role: 'sidecar' });
  }
  if (Array.isArray(m.layouts))
    for (const l of m.layouts)
      if (isArtifact(l)) out.push({ path: l.path, bytes: l.bytes, sha256: l.sha256, role: 'layout' });
  const removed = isObject(m.evidence) ? m.evidence.removed : undefined;
  if (isArtifact(removed)) out.push({ ...removed, role: 'evidence' });
  return out;
}

async function measure(file: string): Promise<{ bytes: number; sha256: string; rows: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
  }
  return { bytes, sha256: hash.digest('hex'), rows };
}

export async function verifyArtifacts(
  dir: string,
  subject: string,
  manifest: Manifest,
): Promise<{ files: FileCheck[]; findings: Diagnostic[] }> {
  const files: FileCheck[] = [];
  const findings: Diagnostic[] = [];
  for (const a of artifactsOf(manifest)) {
    const expected = { rows: a.rows ?? 0, bytes: a.bytes, sha256: a.sha256 };
    const base = { path: a.path, role: a.role, split: '', format: '', schema: '', expected };
    const absolute = path.join(dir, ...a.path.split('/'));
    if (!existsSync(absolute)) {
      files.push({ ...base, rows: 0, bytes: 0, sha256: '', status: 'missing' });
      findings.push({
        code: 'AUDIT_FILE_MISSING',
        message: `${a.path} (${a.role}) is listed in the manifest but missing`,
        where: { file: `${subject}/${a.path}` },
        hint: 'restore the file or compose the mixture again',
      });
      continue;
    }
    const actual = await measure(absolute);
    const rows = a.rows === undefined ? 0 : actual.rows;
    const ok = actual.bytes === a.bytes && actual.sha256 === a.sha256 && (a.rows === undefined || rows === a.rows);
    files.push({ ...base, rows, bytes: actual.bytes, sha256: actual.sha256, status: ok ? 'ok' : 'mismatch' });
  }
  return { files, findings };
}
