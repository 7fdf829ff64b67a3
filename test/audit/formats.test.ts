/**
 * Outputs in every shard format compose writes are audited the same way: Parquet shards, gzip
 * JSONL, and the OpenAI target whose provenance sits in sidecars. The manifest's other files
 * (sidecars, trainer layouts, the removal log) are verified too.
 */
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/report.js';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { twoGroupRecipe } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { copyOutput, writeCorpora } from './mixtures.js';

const dir = tempDir('mixsmith-audit-formats-');

async function composeAs(name: string, output: string): Promise<string> {
  const text = twoGroupRecipe({
    medical: 'med.jsonl',
    general: 'gen.jsonl',
    volume: 300,
    validation: 30,
    extra: `output:\n${output}`,
  });
  const out = path.join(dir, name);
  await compose(parseRecipe(text, 'recipe.yaml', dir), { out });
  return out;
}

async function auditJson(...argv: string[]) {
  const run = await runCli(['audit', ...argv, '--json']);
  return { ...run, result: JSON.parse(run.stdout) as AuditResult };
}

beforeAll(() => writeCorpora(dir));

describe('audit across output formats', () => {
  it.each([
    ['parquet', '  format: parquet\n  max_rows_per_shard: 100\n', 'parquet'],
    ['jsonl.gz', '  format: jsonl.gz\n', 'jsonl'],
    // The OpenAI target writes one file per split.
    ['openai target', '  target: openai\n', 'jsonl'],
  ])('%s: verified, composition from provenance, shares as planned', async (name, output, format) => {
    const out = await composeAs(name.replace(/\W/g, '-'), output);
    const { code, result } = await auditJson(
      out,
      '--expect',
      'share.medical=0.3',
      '--expect',
      'leak.validation=0',
      '--expect',
      'dup.exact=0',
    );
    expect(code).toBe(0);
    const subject = result.subjects[0]!;
    expect(subject.composition).toBe('provenance');
    expect(subject.splits.map((s) => [s.name, s.rows])).toEqual([
      ['train', 300],
      ['validation', 30],
    ]);
    const shards = subject.files.filter((f) => f.role === 'shard');
    expect(shards.every((f) => f.status === 'ok' && f.format === format)).toBe(true);
    expect(subject.files.filter((f) => f.role !== 'shard').every((f) => f.status === 'ok')).toBe(true);
  });

  it('reads OpenAI-target provenance from the sidecars and verifies them', async () => {
    const out = await composeAs('openai-check', '  target: openai\n');
    const { result } = await auditJson(out);
    const roles = result.subjects[0]!.files.map((f) => f.role);
    expect(roles.filter((r) => r === 'sidecar')).toHaveLength(2);
    expect(Object.keys(result.subjects[0]!.splits[0]!.sources)).toEqual(['gen', 'med']);
    const broken = copyOutput(out, path.join(dir, 'openai-no-sidecar'));
    rmSync(path.join(broken, 'validation-00000-of-00001.provenance.jsonl'));
    const missing = await auditJson(broken);
    expect(missing.code).toBe(6);
    expect(missing.result.subjects[0]!.findings.map((f) => f.code)).toEqual(['AUDIT_FILE_MISSING']);
  });

  it('reports an edited trainer layout file (AUDIT_CHECKSUM)', async () => {
    const out = await composeAs('layouts', '  max_rows_per_shard: 1000\n');
    const card = result0(await auditJson(out)).files.find((f) => f.role === 'layout')!;
    appendFileSync(path.join(out, card.path), '\n');
    const { code, result } = await auditJson(out);
    expect(code).toBe(6);
    expect(result.subjects[0]!.findings.map((f) => [f.code, f.where?.file.endsWith(card.path)])).toEqual([
      ['AUDIT_CHECKSUM', true],
    ]);
  });
});

function result0(run: { result: AuditResult }) {
  return run.result.subjects[0]!;
}
