/**
 * `audit --encoding` and encoding detection (#20 item 7): a GB18030 CSV folder used to be audited
 * "ok" (exit 0) with none of its records read, the reason only in --json. Now the encoding is
 * guessed per file as compose's inspect guesses it (UTF-8 or GB18030), `--encoding` sets it, and
 * records that cannot be read are an AUDIT_UNREADABLE finding naming the file, counted by the
 * `unreadable` figure (`--expect unreadable=0`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/report.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-audit-encoding-');

// GB18030 bytes of 高血压, 内科 and 低盐饮食 (as in test/inspect/inspect.test.ts).
const HIGH_BLOOD_PRESSURE = Buffer.from('b8dfd1aad1b9', 'hex');
const INTERNAL_MEDICINE = Buffer.from('c4dabfc6', 'hex');
const LOW_SALT_DIET = Buffer.from('b5cdd1ced2fbcab3', 'hex');
const ROWS = 40;

/** A GB18030 CSV of Chinese medical dialogues: title,ask,answer, one distinct row per i. */
function gb18030Csv(): Buffer {
  const parts: Buffer[] = [Buffer.from('title,ask,answer\r\n')];
  for (let i = 0; i < ROWS; i++) {
    parts.push(
      HIGH_BLOOD_PRESSURE,
      Buffer.from(` ${i},`),
      INTERNAL_MEDICINE,
      Buffer.from(','),
      LOW_SALT_DIET,
      Buffer.from(` ${i * 7}\r\n`),
    );
  }
  return Buffer.concat(parts);
}

const folder = path.join(dir, 'dialogues');
mkdirSync(folder);
writeFileSync(path.join(folder, 'chinese-medical-dialogue.csv'), gb18030Csv());

async function auditJson(...argv: string[]) {
  const run = await runCli(['audit', ...argv, '--json', '--no-near', '--workers', '0']);
  return { ...run, result: JSON.parse(run.stdout) as AuditResult };
}

describe('audit of a GB18030 CSV', () => {
  it('detects GB18030 without --encoding and reads every record', async () => {
    const { code, result } = await auditJson(folder, '--expect', 'unreadable=0');
    expect(code).toBe(0);
    const subject = result.subjects[0]!;
    expect(subject.files.map((f) => [path.basename(f.path), f.encoding, f.rows, f.unreadable])).toEqual([
      ['chinese-medical-dialogue.csv', 'gb18030', ROWS, undefined],
    ]);
    expect(subject.splits[0]!.rows).toBe(ROWS);
    expect(subject.figures.unreadable).toBe(0);
  });

  it('reads it with --encoding gb18030', async () => {
    const { code, result } = await auditJson(
      folder,
      '--encoding',
      'gb18030',
      '--expect',
      'unreadable=0',
      '--expect',
      'rows=40',
    );
    expect(code).toBe(0);
    expect(result.subjects[0]!.files[0]!.encoding).toBe('gb18030');
  });

  it('read as UTF-8, every record is unreadable: a finding naming the file, exit 6, never a bare ok', async () => {
    const { code, result, stderr } = await auditJson(folder, '--encoding', 'utf-8');
    expect(code).toBe(6);
    const subject = result.subjects[0]!;
    expect(subject.figures.unreadable).toBe(ROWS);
    expect(subject.files[0]!.unreadable).toBe(ROWS);
    expect(subject.findings).toHaveLength(1);
    const finding = subject.findings[0]!;
    expect(finding.code).toBe('AUDIT_UNREADABLE');
    expect(finding.where?.file).toMatch(/dialogues\/chinese-medical-dialogue\.csv$/);
    expect(finding.message).toMatch(
      /^none of its 40 records could be read \(read as utf-8\); the first, at line 2: INPUT_ENCODING/,
    );
    expect(finding.hint).toMatch(/audit with --encoding gb18030/);
    expect(stderr).toMatch(/dialogues\/chinese-medical-dialogue\.csv: error\[AUDIT_UNREADABLE\]/);
    const rule = await auditJson(folder, '--encoding', 'utf-8', '--expect', 'unreadable=0');
    expect(rule.code).toBe(6);
    expect(rule.result.subjects[0]!.rules).toMatchObject([{ ok: false }]);
    // The human report does not end in a bare "ok" either.
    const human = await runCli(['audit', folder, '--encoding', 'utf-8', '--no-near', '--workers', '0']);
    expect(human.code).toBe(6);
    expect(human.stderr).toContain('AUDIT_UNREADABLE');
  });

  it('names the files it could not read, and a folder of which nothing was read is a finding', async () => {
    const notes = path.join(dir, 'notes');
    mkdirSync(notes);
    writeFileSync(path.join(notes, 'readme.txt'), 'These are the notes of the export.\n');
    const { code, result } = await auditJson(notes);
    expect(code).toBe(6);
    const subject = result.subjects[0]!;
    expect(subject.notes.join('\n')).toMatch(
      /1 files were not read \(not in a readable format\): \S*notes\/readme\.txt: cannot tell the format/,
    );
    expect(subject.findings.map((f) => f.code)).toEqual(['AUDIT_UNREADABLE']);
    expect(subject.findings[0]!.message).toMatch(
      /^nothing was read: the one data file was not in a readable format \(\S*notes\/readme\.txt\)$/,
    );
  });
});
