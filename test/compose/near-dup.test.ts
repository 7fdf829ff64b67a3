/**
 * Near-duplicate removal inside compose: removed before quotas are filled (so quotas stay exact),
 * in priority order within and across groups, with evidence for every removal; sweeps stay nested.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { jaccard } from '../../src/near-dup/jaccard.js';
import { shingles } from '../../src/text/shingles.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { keyText, readSplit } from '../helpers/outputs.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
const words = [
  'amber',
  'basil',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'grove',
  'harbor',
  'island',
  'juniper',
  'kelp',
  'lagoon',
  'meadow',
  'nectar',
  'orchid',
  'prairie',
];
const sentence = (i: number, n = 40) =>
  Array.from({ length: n }, (_, k) => `${words[(i * 7 + k * 3) % words.length]}${(i * 31 + k) % 97}`).join(' ');
/** The same text with one word changed: Jaccard of 3-word shingles well above 0.8. */
const tweak = (text: string) => text.replace(/^(\S+)/, 'changed');

beforeAll(() => {
  const medical = alpacaRecords('med', 300).map((r, i) => ({ ...r, output: `${r.output} ${sentence(i)}` }));
  const general = alpacaRecords('gen', 600).map((r, i) => ({ ...r, output: `${r.output} ${sentence(1000 + i)}` }));
  const nearMed = medical.slice(0, 40).map((r) => ({ ...r, output: tweak(r.output) }));
  const nearCross = medical.slice(100, 130).map((r) => ({ ...r, output: tweak(r.output) }));
  writeJsonl(path.join(dir, 'med.jsonl'), [...medical, ...nearMed]);
  writeJsonl(path.join(dir, 'gen.jsonl'), [...general, ...nearCross, ...general.slice(0, 10)]);
});

const recipe = (extra = '') =>
  twoGroupRecipe({
    medical: 'med.jsonl',
    general: 'gen.jsonl',
    volume: 600,
    validation: 40,
    extra: `dedup:\n  near: { threshold: 0.8 }\n${extra}`,
  }).replace('shares: { medical: 0.3, general: 0.7 }', 'shares: { medical: 0.4, general: 0.6 }');

const textOf = (r: { messages?: { content: string }[] }) => r.messages!.map((m) => m.content).join('\n');

describe('dedup.near in compose', () => {
  let out: string;
  let manifest: Awaited<ReturnType<typeof compose>>['manifest'];
  beforeAll(async () => {
    const result = await compose(parseRecipe(recipe(), 'r.yaml', dir), { out: path.join(dir, 'near') });
    out = result.out;
    manifest = result.manifest;
  });

  it('leaves no near-duplicate pair in the output and fills the quotas exactly', () => {
    const records = [...readSplit(out, 'train'), ...readSplit(out, 'validation')];
    expect(readSplit(out, 'train').filter((r) => r.group === 'medical')).toHaveLength(240);
    expect(readSplit(out, 'train').filter((r) => r.group === 'general')).toHaveLength(360);
    const sets = records.map((r) => shingles(textOf(r)));
    let pairs = 0;
    for (let i = 0; i < sets.length; i++)
      for (let j = i + 1; j < sets.length; j++) if (jaccard(sets[i]!, sets[j]!) >= 0.8) pairs++;
    expect(pairs).toBe(0);
  });

  it('writes evidence for every removal and counts them per source', () => {
    const lines = readFileSync(path.join(out, 'removed.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const near = lines.filter((l) => l.reason === 'dup-near');
    const exact = lines.filter((l) => l.reason === 'dup-exact');
    expect(exact).toHaveLength(10);
    expect(exact[0]).toMatchObject({ origin: 'gen.jsonl:631', source: 'gen', matched: 'gen.jsonl:1', similarity: 1 });
    expect(near.length).toBeGreaterThan(0);
    for (const l of near) {
      expect(l.similarity).toBeGreaterThanOrEqual(0.8);
      expect(l.matched).toMatch(/^(med|gen)\.jsonl:\d+$/);
    }
    const counted = Object.values(manifest.sources).reduce((sum, s) => sum + (s.removed['dup-near'] ?? 0), 0);
    expect(counted).toBe(near.length);
    expect(manifest.evidence.removed).toMatchObject({ path: 'removed.jsonl', rows: lines.length });
  });

  it('is deterministic', async () => {
    const again = await compose(parseRecipe(recipe(), 'r.yaml', dir), { out: path.join(dir, 'near-again') });
    expect(readFileSync(path.join(again.out, 'removed.jsonl'), 'utf8')).toBe(
      readFileSync(path.join(out, 'removed.jsonl'), 'utf8'),
    );
    expect(readSplit(again.out, 'train')).toEqual(readSplit(out, 'train'));
  });

  it('keeps a sweep with near and cross-group duplicates nested', async () => {
    const sweep = await compose(
      parseRecipe(recipe('sweep:\n  volume: [150, 300, 600]\n  shares:\n    medical: [0.2, 0.4]\n'), 'r.yaml', dir),
      { out: path.join(dir, 'near-sweep') },
    );
    for (const share of ['0.2', '0.4']) {
      for (const [small, large] of [
        [150, 300],
        [300, 600],
      ]) {
        for (const group of ['medical', 'general']) {
          const a = readSplit(path.join(sweep.out, `v${small}-medical${share}`), 'train')
            .filter((r) => r.group === group)
            .map(keyText);
          const b = new Set(
            readSplit(path.join(sweep.out, `v${large}-medical${share}`), 'train')
              .filter((r) => r.group === group)
              .map(keyText),
          );
          for (const key of a) expect(b.has(key)).toBe(true);
        }
      }
    }
  });
});
