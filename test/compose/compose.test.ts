/**
 * End-to-end guarantees of compose on generated data with exact, normalised and cross-group
 * duplicates: determinism, order independence, exact quotas, dedup, disjoint splits, nesting.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { alpacaRecords, twoGroupRecipe, writeJsonArray, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { keyText, readManifest, readSplit, snapshot } from '../helpers/outputs.js';

const dir = tempDir();

beforeAll(() => {
  const medical = alpacaRecords('med', 400);
  const general = alpacaRecords('gen', 900);
  // exact copies, normalised copies (case/space), and medical records copied into general
  const medicalDupes = [
    ...medical.slice(0, 30),
    ...medical.slice(30, 40).map((r) => ({ ...r, instruction: `  ${r.instruction.toUpperCase()}` })),
  ];
  const crossCopies = medical.slice(100, 150);
  writeJsonl(path.join(dir, 'med-a.jsonl'), [...medical.slice(0, 200), ...medicalDupes]);
  writeJsonl(path.join(dir, 'med-b.jsonl'), medical.slice(200));
  writeJsonArray(path.join(dir, 'gen.json'), [...general, ...general.slice(0, 25), ...crossCopies]);
});

async function run(name: string, recipeText: string, set: string[] = []) {
  const loaded = parseRecipe(recipeText, 'recipe.yaml', dir, { set });
  const out = path.join(dir, name);
  const result = await compose(loaded, { out });
  return { out, manifest: result.manifest };
}

const recipe = (extra: Partial<Parameters<typeof twoGroupRecipe>[0]> = {}) =>
  twoGroupRecipe({
    medical: ['med-a.jsonl', 'med-b.jsonl'],
    general: 'gen.json',
    volume: 300,
    validation: 30,
    ...extra,
  });

describe('compose', () => {
  it('gives every group exactly its quota, no duplicate keys, disjoint splits', async () => {
    const { out, manifest } = await run('basic', recipe());
    const train = readSplit(out, 'train');
    const validation = readSplit(out, 'validation');
    expect(train).toHaveLength(300);
    expect(validation).toHaveLength(30);
    expect(train.filter((r) => r.group === 'medical')).toHaveLength(90);
    expect(train.filter((r) => r.group === 'general')).toHaveLength(210);
    expect(validation.filter((r) => r.group === 'medical')).toHaveLength(9);
    const keys = [...train, ...validation].map(keyText);
    expect(new Set(keys).size).toBe(keys.length);
    // medical records copied into general belong to medical (higher precedence)
    const sources = manifest.sources as Record<
      string,
      { duplicates: number; crossGroupDuplicates: number; available: number }
    >;
    expect(sources.med!.duplicates).toBe(40);
    expect(sources.gen!.duplicates).toBe(25);
    expect(sources.gen!.crossGroupDuplicates).toBe(50);
    expect(sources.med!.available).toBe(400);
    expect(sources.gen!.available).toBe(900);
    for (const r of train) expect(r.origin).toMatch(/^((med-a|med-b)\.jsonl:\d+|gen\.json#element=\d+)$/);
  });

  it('is byte-identical across runs and independent of input listing order', async () => {
    const a = await run('det-a', recipe());
    const b = await run('det-b', recipe());
    const reordered = await run('det-c', recipe({ medical: ['med-b.jsonl', 'med-a.jsonl'] }));
    expect(snapshot(b.out)).toEqual(snapshot(a.out));
    expect(snapshot(reordered.out)).toEqual(snapshot(a.out));
    expect(a.manifest.run).toBeDefined();
  });

  it('selects differently under another seed, with the same quotas', async () => {
    const a = await run('seed-a', recipe({ seed: 1 }));
    const b = await run('seed-b', recipe({ seed: 2 }));
    const keysA = new Set(readSplit(a.out, 'train').map(keyText));
    const keysB = readSplit(b.out, 'train').map(keyText);
    expect(keysB.filter((k) => keysA.has(k)).length).toBeLessThan(keysB.length);
    const quotas = (m: typeof a.manifest) =>
      Object.fromEntries(Object.entries(m.groups).map(([g, x]) => [g, [x.quota, x.selected, x.validation.selected]]));
    expect(quotas(b.manifest)).toEqual(quotas(a.manifest));
  });

  it('nests: the smaller volume is a subset per group, validation identical', async () => {
    const small = await run('nest-small', recipe({ volume: 100 }));
    const large = await run('nest-large', recipe({ volume: 250 }));
    for (const group of ['medical', 'general']) {
      const smallKeys = readSplit(small.out, 'train')
        .filter((r) => r.group === group)
        .map(keyText);
      const largeKeys = new Set(
        readSplit(large.out, 'train')
          .filter((r) => r.group === group)
          .map(keyText),
      );
      expect(smallKeys.length).toBeGreaterThan(0);
      for (const key of smallKeys) expect(largeKeys.has(key)).toBe(true);
    }
    const validationKeys = (out: string) => readSplit(out, 'validation').map(keyText).sort();
    expect(validationKeys(small.out)).toEqual(validationKeys(large.out));
  });

  it('shards by rows with names that count the shards, manifest last and complete', async () => {
    const { out, manifest } = await run('shards', recipe({ extra: 'output:\n  max_rows_per_shard: 120\n' }));
    const names = readdirSync(out)
      .filter((n) => /^(train|validation)-/.test(n) || n === 'manifest.json')
      .sort();
    expect(names).toEqual([
      'manifest.json',
      'train-00000-of-00003.jsonl',
      'train-00001-of-00003.jsonl',
      'train-00002-of-00003.jsonl',
      'validation-00000-of-00001.jsonl',
    ]);
    const files = manifest.files;
    expect(files.map((f) => f.rows)).toEqual([120, 120, 60, 30]);
    expect(readManifest(out).splits).toEqual({ train: { rows: 300 }, validation: { rows: 30 } });
    // no staging folders left beside the output
    expect(readdirSync(dir).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('refuses an existing output folder unless forced', async () => {
    const out = path.join(dir, 'exists');
    await compose(parseRecipe(recipe(), 'recipe.yaml', dir), { out });
    writeFileSync(path.join(out, 'marker'), 'x');
    await expect(compose(parseRecipe(recipe(), 'recipe.yaml', dir), { out })).rejects.toMatchObject({
      code: 'OUTPUT_EXISTS',
      exitCode: 5,
    });
    expect(existsSync(path.join(out, 'marker'))).toBe(true);
    await compose(parseRecipe(recipe(), 'recipe.yaml', dir), { out, force: true });
    expect(existsSync(path.join(out, 'marker'))).toBe(false);
  });

  it('reports a shortage by group, or caps and reports the shortfall', async () => {
    const text = recipe({ volume: 2000 });
    await expect(
      compose(parseRecipe(text, 'recipe.yaml', dir), { out: path.join(dir, 'short') }),
    ).rejects.toMatchObject({ code: 'SHORTAGE', message: expect.stringContaining('group "medical" needs 600') });
    expect(existsSync(path.join(dir, 'short'))).toBe(false);
    const capped = await run('capped', text, ['mixture.shortage=cap']);
    const groups = capped.manifest.groups as Record<string, { selected: number; shortfall: number }>;
    expect(groups.medical).toMatchObject({ selected: 400 - 9 - 0, shortfall: 600 - 391 });
  });

  it('leaves nothing behind when interrupted', async () => {
    const controller = new AbortController();
    controller.abort();
    const out = path.join(dir, 'aborted');
    await expect(
      compose(parseRecipe(recipe(), 'recipe.yaml', dir), { out, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('.aborted'))).toEqual([]);
  });
});
