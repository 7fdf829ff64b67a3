/**
 * FrenchMedMCQA's multiple-answer questions rendered by a template (#20 item 3): the `answers`
 * dict becomes "a. …" lines under the question, the `correct_answers` list the letters joined by
 * ", ". Of the 2,171 train records, 1,576 have several correct answers (SOURCE.md); every one is
 * composed with all its letters, in the file's order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';
import { FRENCH_MEDMCQA } from './real-files.js';

interface FrenchRecord {
  readonly question: string;
  readonly answers: Record<string, string>;
  readonly correct_answers: string[];
}

describe.runIf(hasRealData)('FrenchMedMCQA as a full MCQ mapping', () => {
  it('renders every train question with its options and all its correct answers', async () => {
    const dir = tempDir();
    const file = realFile('frenchmedmcqa', 'train.json');
    const records = JSON.parse(readFileSync(file, 'utf8')) as FrenchRecord[];
    expect(records.filter((r) => r.correct_answers.length > 1)).toHaveLength(1576);
    const recipe = `name: fr-mcq
seed: 2
sources:
  - name: fr
    group: medical
    path: ${JSON.stringify(file)}
    schema: ${JSON.stringify(FRENCH_MEDMCQA)}
mixture:
  volume: 3000
  shares: { medical: 1 }
  shortage: cap
`;
    const out = path.join(dir, 'out');
    const { manifest } = await compose(parseRecipe(recipe, 'recipe.yaml', dir), { out, workers: 0 });
    expect(manifest.sources.fr!.invalid).toBe(0);
    const rows = readFileSync(path.join(out, 'train-00000-of-00001.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { origin: string; messages: { role: string; content: string }[] });
    expect(rows.length).toBe(manifest.sources.fr!.available);
    let several = 0;
    for (const row of rows) {
      const element = Number(/#element=(\d+)$/.exec(row.origin)![1]);
      const record = records[element - 1]!;
      const options = Object.entries(record.answers).map(([letter, text]) => `${letter}. ${text}`);
      expect(row.messages).toEqual([
        { role: 'user', content: `${record.question}\n${options.join('\n')}` },
        { role: 'assistant', content: record.correct_answers.join(', ') },
      ]);
      if (record.correct_answers.length > 1) several++;
    }
    // 2,168 samples after exact dedup (3 repeated questions), 1,574 of them with several answers.
    expect([rows.length, several]).toEqual([2168, 1574]);
    const example = rows.find((r) => r.messages[1]!.content.includes(', '))!;
    expect(example.messages[1]!.content).toMatch(/^[a-e](, [a-e])+$/);
  });

  it('inspect shows the rendered sample', async () => {
    const schema = JSON.stringify(FRENCH_MEDMCQA);
    const run = await runCli(['inspect', realFile('frenchmedmcqa', 'dev.json'), '--schema', schema, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { files: { records: number; valid: number }[] };
    expect(run.stdout).toMatch(/\\na\. /);
    expect(report.files[0]!.records).toBe(312);
  });
});
