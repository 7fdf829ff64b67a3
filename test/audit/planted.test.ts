/**
 * Planted problems are found and `--expect` turns each into exit 6 naming the rule and the
 * figure, while the clean output passes every rule: a train record copied into validation, an
 * eval item pasted into training, a share 5 points off, and a record repeated inside train. An
 * eval question pasted with another answer is shown in the exact prompt column but, like
 * compose's decontaminate, not counted when the item's n-grams are mostly its answer's.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/report.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import {
  appendLine,
  asOutputLine,
  composeMixture,
  copyOutput,
  EVAL,
  readLines,
  reseal,
  writeCorpora,
} from './mixtures.js';

const dir = tempDir('mixsmith-audit-planted-');
let clean: string;
const evalFile = () => path.join(dir, 'eval.jsonl');
const RULES = ['share.medical=0.30±0.005', 'dup.exact=0', 'leak.validation=0', 'contamination=0'];

function expectArgs(rules: readonly string[]): string[] {
  return rules.flatMap((r) => ['--expect', r]);
}

async function audit(out: string, rules: readonly string[] = RULES) {
  const run = await runCli(['audit', out, '--eval', evalFile(), ...expectArgs(rules), '--json']);
  return { ...run, result: JSON.parse(run.stdout) as AuditResult };
}

beforeAll(async () => {
  writeCorpora(dir);
  clean = await composeMixture(dir, 'clean');
});

describe('--expect on planted problems', () => {
  it('passes every rule on the clean output (exit 0)', async () => {
    const { code, result, stderr } = await audit(clean);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(result.subjects[0]!.rules.map((r) => [r.rule, r.ok])).toEqual(RULES.map((r) => [r, true]));
  });

  it('finds a train record copied into validation: leak.validation', async () => {
    const out = copyOutput(clean, path.join(dir, 'leak'));
    const trainLine = readLines(path.join(out, 'train-00000-of-00003.jsonl'))[5]!;
    appendLine(path.join(out, 'validation-00000-of-00001.jsonl'), trainLine);
    reseal(out);
    const { code, result, stderr } = await audit(out);
    expect(code).toBe(6);
    expect(stderr).toMatch(/error\[AUDIT_EXPECT\]: --expect leak\.validation=0 does not hold: leak\.validation is 1\n/);
    const failed = result.subjects[0]!.rules.filter((r) => !r.ok).map((r) => r.figure);
    expect(failed).toEqual(['leak.validation']);
    const validation = result.subjects[0]!.splits.find((s) => s.name === 'validation')!;
    expect(validation.leak!.examples[0]!.file).toBe('validation-00000-of-00001.jsonl');
    expect(validation.leak!.examples[0]!.line).toBe(31);
    // within each split nothing repeats, so dup.exact still holds
    expect(result.subjects[0]!.figures['dup.exact']).toBe(0);
  });

  it('finds an eval item pasted into training: contamination', async () => {
    const out = copyOutput(clean, path.join(dir, 'contaminated'));
    appendLine(
      path.join(out, 'train-00002-of-00003.jsonl'),
      asOutputLine(EVAL[7]!, { source: 'med', group: 'medical', origin: 'med.jsonl:3' }),
    );
    reseal(out);
    const { code, result, stderr } = await audit(out, ['contamination=0']);
    expect(code).toBe(6);
    expect(stderr).toMatch(/--expect contamination=0 does not hold: contamination is 1/);
    const overlap = result.subjects[0]!.evals[0]!;
    expect(overlap.name).toBe('eval');
    expect(overlap.records).toBe(EVAL.length);
    expect(overlap.splits.train).toEqual({ records: 1, content: 1, prompt: 0, sources: { med: 1 } });
    expect(overlap.itemsHit).toBe(1);
    // the 12-token item is shorter than 13 words: one whole-item gram, found whole
    // the pasted question is found whole: the exact layer (#18)
    expect(overlap.examples[0]).toMatchObject({
      match: 'question',
      evalId: expect.stringMatching(/^eval:.*eval\.jsonl:8$/),
      matchedShare: 1,
    });
    expect(overlap.examples[0]!.record.text).toContain('exam question 7');
    expect(overlap.examples[0]!.evalText).toContain('exam question 7');
  });

  it('counts an eval question pasted with a different answer, and shows it in the exact prompt column', async () => {
    const out = copyOutput(clean, path.join(dir, 'question-only'));
    appendLine(
      path.join(out, 'train-00002-of-00003.jsonl'),
      asOutputLine(
        { ...EVAL[3]!, output: 'a different answer' },
        { source: 'gen', group: 'general', origin: 'gen.jsonl:9' },
      ),
    );
    reseal(out);
    // Since #18 an eval item is its question (not question and answer): the question is found whole
    // by the exact layer, so the record contaminates it, as compose's decontaminate: now removes
    // it. Before, the item's two 13-grams both ran into its answer and the record was kept.
    const { code, result } = await audit(out, ['contamination.eval=0']);
    expect(code).toBe(6);
    expect(result.subjects[0]!.evals[0]!.splits.train).toMatchObject({ records: 1, content: 0, prompt: 1 });
    expect(result.subjects[0]!.evals[0]!.examples[0]!.match).toBe('question');
  });

  it('finds a share 5 points off: share.medical', async () => {
    const off = await composeMixture(dir, 'off', { medicalShare: 0.35 });
    const { code, result, stderr } = await audit(off);
    expect(code).toBe(6);
    expect(stderr).toMatch(/--expect share\.medical=0\.30±0\.005 does not hold: share\.medical is 0\.35/);
    expect(result.subjects[0]!.rules.filter((r) => !r.ok).map((r) => r.figure)).toEqual(['share.medical']);
    // the mixture is what its own recipe planned: no integrity finding, only the rule
    expect(result.subjects[0]!.findings).toEqual([]);
    expect(result.subjects[0]!.splits[0]!.groups.medical!.plannedShare).toBe(0.35);
  });

  it('finds a record repeated inside train: dup.exact', async () => {
    const out = copyOutput(clean, path.join(dir, 'repeated'));
    const line = readLines(path.join(out, 'train-00000-of-00003.jsonl'))[0]!;
    for (let i = 0; i < 3; i++) appendLine(path.join(out, 'train-00002-of-00003.jsonl'), line);
    reseal(out);
    const { code, result, stderr } = await audit(out, ['dup.exact=0']);
    expect(code).toBe(6);
    expect(stderr).toMatch(/dup\.exact is 3/);
    const train = result.subjects[0]!.splits[0]!;
    expect(train.repeated).toMatchObject({ keys: 1, extraCopies: 3, maxCopies: 4, byCopies: { '4': 1 } });
    expect(train.repeated.top[0]!.copies).toBe(4);
  });

  it('a rule on a figure the audit does not have is a usage error naming a close one (exit 2)', async () => {
    const run = await runCli(['audit', clean, '--expect', 'share.medicall=0.3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error\[USAGE\].*no figure "share\.medicall"/);
    expect(run.stderr).toMatch(/did you mean "share\.medical"/);
  });

  it('a malformed rule is a usage error before anything is read (exit 2)', async () => {
    const run = await runCli(['audit', path.join(dir, 'does-not-exist'), '--expect', 'share.medical ~ 0.3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a rule/);
  });

  it('a PATH that does not exist exits 4', async () => {
    const run = await runCli(['audit', path.join(dir, 'does-not-exist')]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/error\[INPUT_NOT_FOUND\]/);
  });
});
