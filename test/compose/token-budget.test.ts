/**
 * Token budgets: shares apply to tokens, each group lands within one sample of its budget, and the
 * manifest's counts match an independent count of the written files with the same tokenizer.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { get_encoding } from 'tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { readSplit } from '../helpers/outputs.js';
import { tempDir } from '../helpers/temp.js';
import { WORD_LEVEL_TOKENIZER } from '../helpers/word-level-tokenizer.js';

const dir = tempDir();

beforeAll(() => {
  const long = (prefix: string, n: number) =>
    alpacaRecords(prefix, n).map((r, i) => ({ ...r, output: `${r.output} ${'detail '.repeat(i % 40)}` }));
  writeJsonl(path.join(dir, 'med.jsonl'), long('med', 400));
  writeJsonl(path.join(dir, 'gen.jsonl'), long('gen', 800));
  // A tiny word-level tokenizer.json in Hugging Face's format: every word is one token.
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(WORD_LEVEL_TOKENIZER));
});

const recipe = (volume: string, tokenizer: string, extra = '') =>
  twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 0, extra }).replace(
    'volume: 0',
    `volume: ${volume}\n  tokenizer: ${tokenizer}`,
  );

const textOf = (r: { messages?: { content: string }[] }) => r.messages!.map((m) => m.content).join('\n');

describe('token budgets', () => {
  it('fills each group to within one sample of its token budget, counted like an independent tokenizer', async () => {
    const { manifest, out } = await compose(parseRecipe(recipe('"20k tokens"', 'o200k_base'), 'r.yaml', dir), {
      out: path.join(dir, 'o200k'),
    });
    expect(manifest.unit).toBe('tokens');
    expect(manifest.tokenMethod).toBe('o200k_base');
    const encoder = get_encoding('o200k_base');
    try {
      const train = readSplit(out, 'train');
      for (const [group, budget] of [
        ['medical', 6000],
        ['general', 14000],
      ] as const) {
        const rows = train.filter((r) => r.group === group);
        const counts = rows.map((r) => encoder.encode_ordinary(textOf(r)).length);
        const total = counts.reduce((a, b) => a + b, 0);
        expect(manifest.groups[group]!.tokens).toBe(total);
        expect(total).toBeGreaterThanOrEqual(budget);
        expect(total - Math.max(...counts)).toBeLessThan(budget);
      }
    } finally {
      encoder.free();
    }
  });

  it('nests token budgets across a sweep', async () => {
    const result = await compose(
      parseRecipe(
        recipe('"20k tokens"', 'o200k_base', 'sweep:\n  volume: ["5k tokens", "20k tokens"]\n'),
        'r.yaml',
        dir,
      ),
      { out: path.join(dir, 'token-sweep') },
    );
    const keys = (name: string) =>
      new Set(readSplit(path.join(result.out, name), 'train').map((r) => String(r.origin)));
    const small = keys('v5000');
    const large = keys('v20000');
    expect(small.size).toBeGreaterThan(0);
    for (const origin of small) expect(large.has(origin)).toBe(true);
    expect(result.sweep!.points[1]!.tokenMethod).toBe('o200k_base');
  });

  it('holds out a validation count in records and still fills the token budget (rescanning for room)', async () => {
    const text = twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 0, validation: 60 }).replace(
      'volume: 0',
      'volume: "20k tokens"\n  tokenizer: o200k_base',
    );
    const { manifest, out } = await compose(parseRecipe(text, 'r.yaml', dir), {
      out: path.join(dir, 'with-validation'),
    });
    expect(readSplit(out, 'validation')).toHaveLength(60);
    expect(manifest.groups.medical!.tokens).toBeGreaterThanOrEqual(6000);
    expect(manifest.groups.general!.tokens).toBeGreaterThanOrEqual(14000);
    expect(manifest.groups.medical!.shortfall).toBe(0);
  });

  it('reads a local tokenizer.json', async () => {
    const { manifest } = await compose(parseRecipe(recipe('"4k tokens"', '{ path: tokenizer.json }'), 'r.yaml', dir), {
      out: path.join(dir, 'hf'),
    });
    expect(manifest.tokenMethod).toBe('tokenizer.json:tokenizer.json');
    expect(manifest.groups.medical!.tokens).toBeGreaterThanOrEqual(1200);
  });

  it('counts tokens of sample-volume mixtures with the character estimate, labelled', async () => {
    const { manifest } = await compose(
      parseRecipe(twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 100 }), 'r.yaml', dir),
      { out: path.join(dir, 'chars') },
    );
    expect(manifest.tokenMethod).toBe('estimate: ceil(chars / 4)');
    expect(manifest.groups.medical!.tokens).toBeGreaterThan(0);
  });

  it('asks for a tokenizer when the volume is in tokens', () => {
    expect(() =>
      parseRecipe(
        twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 0 }).replace(
          'volume: 0',
          'volume: 50M tokens',
        ),
        'r.yaml',
        dir,
      ),
    ).toThrow(/needs mixture.tokenizer/);
  });
});
