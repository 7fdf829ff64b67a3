/**
 * An audit of a fresh compose output agrees with its manifest exactly; a shard edited by one
 * byte, a missing shard, a missing manifest, an unlisted shard and relabelled records are each
 * reported with their code and exit 6.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/report.js';
import type { Diagnostic } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { composeMixture, copyOutput, writeCorpora } from './mixtures.js';
import { manifestContentSha256 } from '../../src/manifest/manifest.js';

const dir = tempDir('mixsmith-audit-verify-');
let clean: string;

interface ManifestJson {
  files: { path: string; split: string; rows: number }[];
  splits: Record<string, { rows: number }>;
  groups: Record<string, { share: number; selected: number; validation: { selected: number } }>;
  sources: Record<string, { selected: number; validationSelected: number }>;
}

async function auditJson(
  ...argv: string[]
): Promise<{ code: number; result: AuditResult & { violations: Diagnostic[] }; stderr: string }> {
  const run = await runCli(['audit', ...argv, '--json']);
  return { code: run.code, result: JSON.parse(run.stdout), stderr: run.stderr };
}

beforeAll(async () => {
  writeCorpora(dir);
  clean = await composeMixture(dir, 'clean');
});

describe('audit of a fresh compose output', () => {
  it('agrees with its manifest exactly', async () => {
    const { code, result } = await auditJson(clean);
    expect(code).toBe(0);
    expect(result.ok).toBe(true);
    const subject = result.subjects[0]!;
    const manifest = JSON.parse(readFileSync(path.join(clean, 'manifest.json'), 'utf8')) as ManifestJson;
    expect(subject.kind).toBe('mixture');
    expect(subject.manifest.status).toBe('ok');
    expect(subject.composition).toBe('provenance');
    expect(subject.files.filter((f) => f.role === 'shard').map((f) => [f.path, f.status, f.rows])).toEqual(
      manifest.files.map((f) => [f.path, 'ok', f.rows]),
    );
    // the trainer layout files beside the shards are verified too
    expect(subject.files.filter((f) => f.role !== 'shard').every((f) => f.status === 'ok')).toBe(true);
    expect(subject.files.length).toBeGreaterThan(2); // several train shards
    for (const [name, split] of Object.entries(manifest.splits))
      expect(subject.splits.find((s) => s.name === name)?.rows).toBe(split.rows);
    const [train, validation] = subject.splits;
    expect(train!.name).toBe('train');
    expect(validation!.name).toBe('validation');
    for (const [group, g] of Object.entries(manifest.groups)) {
      expect(train!.groups[group]!.rows).toBe(g.selected);
      expect(train!.groups[group]!.plannedShare).toBe(g.share);
      expect(validation!.groups[group]!.rows).toBe(g.validation.selected);
    }
    for (const [source, s] of Object.entries(manifest.sources)) {
      expect(train!.sources[source]!.rows).toBe(s.selected);
      expect(validation!.sources[source]!.rows).toBe(s.validationSelected);
    }
    expect(result.subjects[0]!.figures['share.medical']).toBe(0.3);
    expect(result.subjects[0]!.figures['dup.exact']).toBe(0);
    expect(result.subjects[0]!.figures['leak.validation']).toBe(0);
    expect(result.violations).toEqual([]);
  });

  it('is deterministic: the same report twice', async () => {
    const a = await runCli(['audit', clean, '--json']);
    const b = await runCli(['audit', clean, '--json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('prints a table on stderr and nothing on stdout without --json', async () => {
    const run = await runCli(['audit', clean]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/split train: 300 rows/);
    expect(run.stderr).toMatch(/medical\s+90\s+30\.0%\s+30\.0%\s+0\.0 pt/);
    expect(run.stderr).toMatch(/audit: ok/);
  });
});

describe('tampered outputs', () => {
  it('reports a shard edited by one byte (AUDIT_CHECKSUM, exit 6)', async () => {
    const out = copyOutput(clean, path.join(dir, 'edited'));
    const shard = path.join(out, 'train-00001-of-00003.jsonl');
    const bytes = readFileSync(shard);
    const at = bytes.indexOf('answer');
    bytes[at] = 'A'.charCodeAt(0); // same length, one byte different
    writeFileSync(shard, bytes);
    const { code, result, stderr } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.violations.map((v) => v.code)).toEqual(['AUDIT_CHECKSUM']);
    expect(result.violations[0]!.message).toMatch(
      /^train-00001-of-00003\.jsonl differs from its manifest entry: sha256 /,
    );
    expect(result.subjects[0]!.files.find((f) => f.path === 'train-00001-of-00003.jsonl')!.status).toBe('mismatch');
    expect(stderr).toMatch(/edited\/train-00001-of-00003\.jsonl: error\[AUDIT_CHECKSUM\]/);
  });

  it('reports a missing shard (AUDIT_FILE_MISSING, exit 6)', async () => {
    const out = copyOutput(clean, path.join(dir, 'no-shard'));
    rmSync(path.join(out, 'train-00002-of-00003.jsonl'));
    const { code, result } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.violations.map((v) => v.code)).toEqual(['AUDIT_FILE_MISSING']);
    expect(result.violations[0]!.where?.file).toMatch(/no-shard\/train-00002-of-00003\.jsonl$/);
    expect(result.subjects[0]!.splits[0]!.rows).toBe(200);
  });

  it('reports a missing manifest as incomplete (AUDIT_INCOMPLETE, exit 6) and still measures the shards', async () => {
    const out = copyOutput(clean, path.join(dir, 'no-manifest'));
    rmSync(path.join(out, 'manifest.json'));
    const { code, result } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.violations.map((v) => v.code)).toEqual(['AUDIT_INCOMPLETE']);
    expect(result.subjects[0]!.manifest.status).toBe('missing');
    expect(result.subjects[0]!.files.every((f) => f.status === 'unverified')).toBe(true);
    expect(result.subjects[0]!.splits.map((s) => [s.name, s.rows])).toEqual([
      ['train', 300],
      ['validation', 30],
    ]);
  });

  it('without a manifest, a gap in shard numbers is a missing shard too', async () => {
    const out = copyOutput(clean, path.join(dir, 'no-manifest-gap'));
    rmSync(path.join(out, 'manifest.json'));
    rmSync(path.join(out, 'train-00000-of-00003.jsonl'));
    const { code, result } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.violations.map((v) => v.code)).toEqual(['AUDIT_INCOMPLETE', 'AUDIT_FILE_MISSING']);
    expect(result.violations[1]!.message).toMatch(/train-00000-of-00003\.jsonl is missing/);
  });

  it('reports a shard the manifest does not list (AUDIT_FILE_UNLISTED)', async () => {
    const out = copyOutput(clean, path.join(dir, 'extra'));
    writeFileSync(
      path.join(out, 'train-00000-of-00001.jsonl'),
      readFileSync(path.join(out, 'validation-00000-of-00001.jsonl')),
    );
    const { code, result } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.violations.map((v) => v.code)).toEqual(['AUDIT_FILE_UNLISTED']);
    expect(result.subjects[0]!.figures['leak.validation']).toBe(30); // its records were audited too
  });

  it('reports a shard edited together with its sha256 in the manifest (the manifest digest, AUDIT_CHECKSUM)', async () => {
    const out = copyOutput(clean, path.join(dir, 'edited-with-manifest'));
    const shard = path.join(out, 'train-00001-of-00003.jsonl');
    const text = readFileSync(shard, 'utf8').replace('answer', 'Answer');
    writeFileSync(shard, text);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const { createHash } = await import('node:crypto');
    const entry = manifest.files.find((f: { path: string }) => f.path === 'train-00001-of-00003.jsonl');
    entry.sha256 = createHash('sha256').update(text).digest('hex');
    writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const { code, result, stderr } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.violations.map((v) => v.code)).toEqual(['AUDIT_CHECKSUM']);
    expect(result.violations[0]!.message).toMatch(/^manifest\.json was changed after compose wrote it/);
    expect(stderr).toMatch(/edited-with-manifest\/manifest\.json: error\[AUDIT_CHECKSUM\]/);
  });

  it('reports a version 2 manifest without its digest, and reads a re-indented one as intact', async () => {
    const stripped = copyOutput(clean, path.join(dir, 'no-digest'));
    const manifest = JSON.parse(readFileSync(path.join(stripped, 'manifest.json'), 'utf8'));
    expect(manifest.manifestVersion).toBe(2);
    expect(manifest.manifestSha256).toBe(manifestContentSha256(manifest));
    const reindented = copyOutput(clean, path.join(dir, 'reindented'));
    writeFileSync(path.join(reindented, 'manifest.json'), JSON.stringify(manifest));
    expect((await auditJson(reindented)).code).toBe(0);
    delete manifest.manifestSha256;
    writeFileSync(path.join(stripped, 'manifest.json'), JSON.stringify(manifest));
    const { code, result } = await auditJson(stripped);
    expect(code).toBe(6);
    expect(result.violations.map((v) => v.code)).toEqual(['AUDIT_CHECKSUM']);
    expect(result.violations[0]!.message).toMatch(/has no manifestSha256/);
  });

  it('reports records relabelled after compose (AUDIT_MANIFEST_MISMATCH) when checksums were redone', async () => {
    const out = copyOutput(clean, path.join(dir, 'relabelled'));
    const shard = path.join(out, 'train-00000-of-00003.jsonl');
    const text = readFileSync(shard, 'utf8').replaceAll(
      '"source":"gen","group":"general"',
      '"source":"med","group":"medical"',
    );
    writeFileSync(shard, text);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const { createHash } = await import('node:crypto');
    const entry = manifest.files.find((f: { path: string }) => f.path === 'train-00000-of-00003.jsonl');
    entry.bytes = Buffer.byteLength(text);
    entry.sha256 = createHash('sha256').update(text).digest('hex');
    // A deliberate rewrite recomputes the manifest's own digest too: what it cannot stop (docs/audit.md).
    manifest.manifestSha256 = manifestContentSha256(manifest);
    writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
    const { code, result } = await auditJson(out);
    expect(code).toBe(6);
    expect(new Set(result.violations.map((v) => v.code))).toEqual(new Set(['AUDIT_MANIFEST_MISMATCH']));
    expect(result.violations.map((v) => v.message).join('\n')).toMatch(
      /source gen has \d+ train records by their provenance fields, the manifest says 210/,
    );
  });
});
