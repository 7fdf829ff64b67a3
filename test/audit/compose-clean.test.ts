/**
 * The audit measures what compose's filters remove, by the same rules: from a corpus with near
 * copies (one word changed) and eval items pasted into longer training records, an output
 * composed without the filters fails `dup.near`/`leak.near` and `contamination` against the eval
 * set, and the same recipe with `dedup.near` and `decontaminate:` audits clean (exit 0) under
 * those rules with the same eval set.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/report.js';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { type AlpacaRecord, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { oneWordChanged, proseRecords } from './prose.js';

const dir = tempDir('mixsmith-audit-compose-clean-');
const EVAL = proseRecords(90_000, 20);
const RULES = ['dup.exact=0', 'dup.near=0', 'leak.validation=0', 'leak.near=0', 'contamination=0'];
const FILTERS =
  'dedup:\n  exact: true\n  near: { threshold: 0.8 }\ndecontaminate:\n  eval:\n    - { name: eval, path: eval.jsonl }\n';

/** An eval item pasted into a training record behind a preface: no exact match, all its n-grams. */
function pasted(item: AlpacaRecord): AlpacaRecord {
  return {
    instruction: `Here is a practice question from last year. ${item.instruction}`,
    input: '',
    output: item.output,
  };
}

function corpus(base: number): AlpacaRecord[] {
  const records = proseRecords(base, 300);
  return [
    ...records,
    ...records.slice(0, 20).map((r) => oneWordChanged(r)),
    ...EVAL.slice(base % 7, (base % 7) + 5).map(pasted),
  ];
}

async function composeWith(name: string, extra: string): Promise<string> {
  const text = twoGroupRecipe({
    medical: 'med.jsonl',
    general: 'gen.jsonl',
    volume: 500,
    validation: 40,
    medicalShare: 0.5,
    extra: `output:\n  max_rows_per_shard: 200\n${extra}`,
  });
  const out = path.join(dir, name);
  await compose(parseRecipe(text, 'recipe.yaml', dir), { out });
  return out;
}

async function audit(out: string) {
  const run = await runCli([
    'audit',
    out,
    '--eval',
    path.join(dir, 'eval.jsonl'),
    ...RULES.flatMap((r) => ['--expect', r]),
    '--json',
  ]);
  return { ...run, result: JSON.parse(run.stdout) as AuditResult };
}

beforeAll(() => {
  writeJsonl(path.join(dir, 'med.jsonl'), corpus(0));
  writeJsonl(path.join(dir, 'gen.jsonl'), corpus(30_000));
  writeJsonl(path.join(dir, 'eval.jsonl'), EVAL);
});

describe('audit of composed outputs, with and without the filters', () => {
  it('without dedup.near and decontaminate, the planted near copies and pasted items are found (exit 6)', async () => {
    const { code, result } = await audit(await composeWith('unfiltered', ''));
    expect(code).toBe(6);
    const figures = result.subjects[0]!.figures;
    expect(figures['dup.near']! + figures['leak.near']!).toBeGreaterThan(0);
    expect(figures.contamination).toBeGreaterThan(0);
    expect([figures['dup.exact'], figures['leak.validation']]).toEqual([0, 0]);
    const overlap = result.subjects[0]!.evals[0]!;
    // pasted behind a preface: by n-grams, never as exact content
    expect(Object.values(overlap.splits).reduce((n, s) => n + s.content + s.prompt, 0)).toBe(0);
    // the pasted question is found whole: the exact layer (#18)
    expect(overlap.examples[0]).toMatchObject({ match: 'question', matchedShare: 1 });
    expect(overlap.examples[0]!.record.text).toMatch(/^Here is a practice question/);
  });

  it('with dedup.near and decontaminate against the same eval set, every rule holds (exit 0)', async () => {
    const out = await composeWith('filtered', FILTERS);
    const { code, result, stderr } = await audit(out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(result.subjects[0]!.rules.map((r) => [r.rule, r.actual])).toEqual(RULES.map((r) => [r, 0]));
    expect(result.subjects[0]!.findings).toEqual([]);
  });
});
