/** Overlaps the real-data README measured, found again by composing the files together. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { hasRealData, realFile } from '../helpers/real-data.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-overlap-');

async function crossGroup(first: string, second: string, name: string) {
  const recipe = {
    name,
    seed: 3,
    sources: [
      { name: 'first', group: 'a', path: realFile(first) },
      { name: 'second', group: 'b', path: realFile(second) },
    ],
    mixture: { volume: 10, shares: { a: 0.5, b: 0.5 }, shortage: 'cap' },
    dedup: { prefer: ['a', 'b'] },
  };
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(recipe));
  const { manifest } = await compose(await loadRecipe(file), { out: path.join(dir, name) });
  return manifest.sources;
}

describe.runIf(hasRealData)('real overlaps', () => {
  it('chatdoctor5k.json (CRLF) and GenMedGPT-5k.json (LF) are the same 5,452 records', async () => {
    const sources = await crossGroup('chatdoctor/chatdoctor5k.json', 'doctorglm/GenMedGPT-5k.json', 'chatdoctor');
    expect(sources.first!.available).toBe(5452);
    expect(sources.second!.crossGroupDuplicates).toBe(5452);
    expect(sources.second!.available).toBe(0);
  });

  it('carbonz0 part 00 and the finished hikariming translation share 3,126 records', async () => {
    const sources = await crossGroup(
      'alpaca-chinese-carbonz0/zh-data-part-00.json',
      'alpaca-chinese-hikariming/alpaca_data-0-3252-中文-已完成.json',
      'alpaca-zh',
    );
    expect(sources.second!.crossGroupDuplicates).toBe(3126);
  });
});
