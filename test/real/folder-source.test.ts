/**
 * A real folder with its SOURCE.md beside the data (frenchmedmcqa/: three JSON arrays) is read
 * alike by plan, compose, inspect and audit: the same three files, the same 3,105 records, and
 * no INPUT_FORMAT for the Markdown file (issue #20, item 5).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const RECORDS = 2171 + 312 + 622;

describe.runIf(hasRealData)('a folder source with its SOURCE.md', () => {
  it('is three data files to plan, compose, inspect and audit alike', async () => {
    const dir = tempDir();
    const recipe = path.join(dir, 'r.yaml');
    writeFileSync(
      recipe,
      `name: folder
seed: 1
sources:
  - { name: fr, group: medical, path: ${JSON.stringify(realFile('frenchmedmcqa'))}, schema: { turns: [{ role: user, from: question }] } }
mixture: { volume: 100, shares: { medical: 1 } }
`,
    );
    const plan = await runCli(['plan', recipe, '--availability', '--json', '--workers', '0']);
    expect(plan.code, plan.stderr).toBe(0);
    const source = JSON.parse(plan.stdout).availability.sources[0];
    expect([source.files, source.read]).toEqual([3, RECORDS]);

    const out = path.join(dir, 'out');
    const compose = await runCli(['compose', recipe, '--out', out, '--json', '--quiet', '--workers', '0']);
    expect(compose.code, compose.stderr).toBe(0);
    const inputs = JSON.parse(compose.stdout).manifest.sources.fr.files as { path: string; records: number }[];
    expect(inputs.map((i) => path.basename(i.path))).toEqual(['dev.json', 'test.json', 'train.json']);
    expect(inputs.reduce((sum, i) => sum + i.records, 0)).toBe(RECORDS);

    const inspect = await runCli(['inspect', realFile('frenchmedmcqa'), '--json']);
    expect(inspect.code, inspect.stderr).toBe(0);
    const files = JSON.parse(inspect.stdout).files as { file: string; records: number }[];
    expect(files.map((f) => path.basename(f.file))).toEqual(['dev.json', 'test.json', 'train.json']);
    expect(files.reduce((sum, f) => sum + f.records, 0)).toBe(RECORDS);

    const audit = await runCli(['audit', realFile('frenchmedmcqa'), '--json', '--no-near', '--workers', '0']);
    expect(audit.code, audit.stderr).toBe(0);
    const subject = JSON.parse(audit.stdout).subjects[0];
    expect(subject.files).toHaveLength(3);
  });
});
