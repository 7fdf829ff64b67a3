/** Length strata: a fixed share of a group's quota comes from long records, nested across a sweep. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { keyText, readSplit } from '../helpers/outputs.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
const LONG = 2000;

beforeAll(() => {
  writeJsonl(path.join(dir, 'med.jsonl'), alpacaRecords('med', 400));
  // every fourth general record is long (over LONG characters)
  writeJsonl(
    path.join(dir, 'gen.jsonl'),
    alpacaRecords('gen', 1200).map((r, i) => (i % 4 === 0 ? { ...r, input: 'context sentence. '.repeat(150) } : r)),
  );
});

const strata = `  strata:\n    general:\n      - { name: long, min_chars: ${LONG}, share: 0.2 }\n`;
const recipe = (extra = '') =>
  twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 500, validation: 50, extra }).replace(
    'mixture:\n',
    `mixture:\n${strata}`,
  );
const chars = (r: { messages?: { content: string }[] }) => r.messages!.map((m) => m.content).join('\n').length;

describe('length strata', () => {
  it('takes the stratum share of the group quota from long records, training and validation', async () => {
    const { out, manifest } = await compose(parseRecipe(recipe(), 'r.yaml', dir), { out: path.join(dir, 'strata') });
    const general = readSplit(out, 'train').filter((r) => r.group === 'general');
    expect(general).toHaveLength(350);
    expect(general.filter((r) => chars(r) >= LONG)).toHaveLength(70); // 20 % of 350
    expect(readSplit(out, 'validation').filter((r) => r.group === 'general' && chars(r) >= LONG)).toHaveLength(7); // 20 % of 35
    expect(manifest.groups.general).toMatchObject({
      quota: 350,
      selected: 350,
      strata: { long: { quota: 70, selected: 70 }, rest: { quota: 280, selected: 280 } },
    });
    expect(manifest.groups.medical!.strata).toBeUndefined();
  });

  it('holds the long share constant across a sweep, nested', async () => {
    const { out } = await compose(parseRecipe(recipe('sweep:\n  volume: [200, 500]\n'), 'r.yaml', dir), {
      out: path.join(dir, 'strata-sweep'),
    });
    const longKeys = (name: string) =>
      readSplit(path.join(out, name), 'train')
        .filter((r) => r.group === 'general' && chars(r) >= LONG)
        .map(keyText);
    const small = longKeys('v200');
    expect(small).toHaveLength(28); // 20 % of 140
    const large = new Set(longKeys('v500'));
    for (const key of small) expect(large.has(key)).toBe(true);
  });

  it('rejects strata of an unknown group and shares above 1', () => {
    const bad = recipe().replace(
      '    general:\n      - { name: long, min_chars: 2000, share: 0.2 }',
      '    genral:\n      - { name: long, min_chars: 2000, share: 1.2 }',
    );
    expect(() => parseRecipe(bad, 'r.yaml', dir)).toThrow(/genral|at most 1/);
  });
});
