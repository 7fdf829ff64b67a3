/** Each bad-input case gets its code, its file:line and exit status, never a stack trace. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { readManifest } from '../helpers/outputs.js';

const dir = tempDir();
const good = alpacaRecords('gen', 50);
writeJsonl(path.join(dir, 'general.jsonl'), good);

function caseFiles(name: string, medicalLines: string[], extra = '') {
  const medical = path.join(dir, `${name}.jsonl`);
  writeFileSync(medical, medicalLines.join('\n'));
  const recipe = path.join(dir, `${name}.yaml`);
  writeFileSync(recipe, twoGroupRecipe({ medical: `${name}.jsonl`, general: 'general.jsonl', volume: 10, extra }));
  return { recipe, out: path.join(dir, `${name}-out`) };
}

const line = (r: object) => JSON.stringify(r);
const ok = alpacaRecords('med', 10).map(line);

describe('bad input', () => {
  const cases: { name: string; lines: string[]; code: string; at: string; exit: number }[] = [
    {
      name: 'malformed',
      lines: [ok[0]!, ok[1]!, '{"instruction": "x", "output": ', ok[2]!],
      code: 'INPUT_JSON',
      at: 'malformed.jsonl:3',
      exit: 4,
    },
    {
      name: 'missing-field',
      lines: [ok[0]!, line({ instruction: 'q' })],
      code: 'INPUT_FIELD_MISSING',
      at: 'missing-field.jsonl:2',
      exit: 4,
    },
    {
      name: 'wrong-type',
      lines: [ok[0]!, ok[1]!, line({ instruction: 'q', output: 42 })],
      code: 'INPUT_FIELD_TYPE',
      at: 'wrong-type.jsonl:3',
      exit: 4,
    },
    { name: 'empty', lines: [''], code: 'INPUT_EMPTY', at: 'empty.jsonl', exit: 4 },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.code} at ${c.at}`, async () => {
      const { recipe, out } = caseFiles(c.name, c.lines);
      const result = await runCli(['compose', recipe, '--out', out]);
      expect(result.code).toBe(c.exit);
      expect(result.stderr).toContain(`${c.at}: error[${c.code}]`);
      expect(result.stderr).toContain('hint:');
      expect(result.stderr).not.toContain('    at ');
    });
  }

  it('a glob that matches nothing names the pattern', async () => {
    const recipe = path.join(dir, 'noglob.yaml');
    writeFileSync(recipe, twoGroupRecipe({ medical: 'nothing/*.jsonl', general: 'general.jsonl', volume: 10 }));
    const result = await runCli(['compose', recipe, '--out', path.join(dir, 'noglob-out')]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('error[INPUT_NOT_FOUND]: source "med": "nothing/*.jsonl" matches no file');
  });

  it('on_error: skip counts bad rows by reason with their first locations', async () => {
    const lines = [...ok, '{oops', line({ instruction: 'q' }), line({ instruction: 'q', output: 1 })];
    const { recipe, out } = caseFiles('skip', [], '');
    writeFileSync(path.join(dir, 'skip.jsonl'), lines.join('\n'));
    writeFileSync(
      recipe,
      twoGroupRecipe({ medical: 'skip.jsonl', general: 'general.jsonl', volume: 10 }).replace(
        'group: medical\n',
        'group: medical\n    on_error: skip\n    max_errors: 5\n',
      ),
    );
    const result = await runCli(['compose', recipe, '--out', out]);
    expect(result.code).toBe(0);
    const med = (
      readManifest(out).sources as Record<string, { invalid: number; invalidByCode: object; invalidExamples: string[] }>
    ).med!;
    expect(med.invalid).toBe(3);
    expect(med.invalidByCode).toEqual({ INPUT_JSON: 1, INPUT_FIELD_MISSING: 1, INPUT_FIELD_TYPE: 1 });
    expect(med.invalidExamples[0]).toMatch(/^skip\.jsonl:11: INPUT_JSON: /);
  });

  it('max_errors stops a source that is mostly broken', async () => {
    const { recipe, out } = caseFiles('toomany', ['{a', '{b', '{c', ok[0]!]);
    writeFileSync(
      recipe,
      twoGroupRecipe({ medical: 'toomany.jsonl', general: 'general.jsonl', volume: 10 }).replace(
        'group: medical\n',
        'group: medical\n    on_error: skip\n    max_errors: 1\n',
      ),
    );
    const result = await runCli(['compose', recipe, '--out', out]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('toomany.jsonl:2: error[INPUT_TOO_MANY_ERRORS]');
  });

  it('an existing output folder is exit 5; bad flags are exit 2', async () => {
    const { recipe } = caseFiles('exists', ok);
    const out = path.join(dir, 'exists-out');
    expect((await runCli(['compose', recipe, '--out', out])).code).toBe(0);
    const again = await runCli(['compose', recipe, '--out', out]);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('error[OUTPUT_EXISTS]');
    const usage = await runCli(['compose', recipe, '--out', out, '--frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('error[USAGE]');
  });

  it('--json prints the error as JSON on stdout', async () => {
    const { recipe, out } = caseFiles('json-err', [ok[0]!, '{bad']);
    const result = await runCli(['compose', recipe, '--out', out, '--json']);
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      error: { code: 'INPUT_JSON', exitCode: 4, diagnostics: [{ where: { file: 'json-err.jsonl', line: 2 } }] },
    });
  });
});
