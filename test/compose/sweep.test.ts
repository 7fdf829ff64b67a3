/**
 * Sweeps: one scan serves every point; smaller points are subsets of larger ones per group; one
 * validation set shared by all points and disjoint from every training set; the sweep index.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import type { ComposeEvent } from '../../src/compose/events.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { runCli } from '../helpers/cli.js';
import { alpacaRecords, twoGroupRecipe, writeJsonArray, writeJsonl } from '../helpers/corpus.js';
import { keyText, readManifest, readSplit } from '../helpers/outputs.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();

beforeAll(() => {
  const medical = alpacaRecords('med', 500);
  const general = alpacaRecords('gen', 1200);
  writeJsonl(path.join(dir, 'med.jsonl'), [...medical, ...medical.slice(0, 40)]);
  writeJsonArray(path.join(dir, 'gen.json'), [...general, ...medical.slice(200, 260)]);
  writeJsonl(path.join(dir, 'small-med.jsonl'), medical.slice(0, 50));
});

const sweepRecipe = (extra = '') =>
  twoGroupRecipe({
    medical: 'med.jsonl',
    general: 'gen.json',
    volume: 400,
    validation: 40,
    extra: `sweep:\n  volume: [100, 200, 400]\n  shares:\n    medical: [0, 0.25, 0.5, 1]\n${extra}`,
  });

describe('sweep', () => {
  let out: string;
  let events: ComposeEvent[];
  beforeAll(async () => {
    out = path.join(dir, 'grid');
    events = [];
    await compose(parseRecipe(sweepRecipe(), 'recipe.yaml', dir), { out, onEvent: (e) => events.push(e) });
  });

  const pointKeys = (name: string, split: string, group?: string) =>
    readSplit(path.join(out, name), split)
      .filter((r) => !group || r.group === group)
      .map(keyText);

  it('writes every point from one scan, with an index', () => {
    expect(events.filter((e) => e.type === 'phase' && e.phase === 'scan')).toHaveLength(1);
    const scanned = events.filter((e) => e.type === 'scan-progress').map((e) => (e as { file: string }).file);
    expect(new Set(scanned)).toEqual(new Set(['med.jsonl', 'gen.json']));
    const index = JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8'));
    expect(index.points).toHaveLength(12);
    expect(index.points.map((p: { name: string }) => p.name)).toContain('v200-medical0.25');
    const csv = readFileSync(path.join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    // The first columns are the ones launch scripts read; newer columns are appended (sweep-truth.test.ts).
    expect(csv[0]).toMatch(
      /^name,path,volume,share_medical,share_general,train_rows,validation_rows,train_chars,train_tokens,token_method,/,
    );
    expect(index.warnings).toEqual([]);
    expect(
      index.points.every((p: { flags: string[]; sameAs: string | null }) => p.flags.length === 0 && p.sameAs === null),
    ).toBe(true);
    expect(csv).toHaveLength(13);
    for (const point of index.points) {
      expect(readSplit(path.join(out, point.path), 'train')).toHaveLength(point.volume);
      expect(readManifest(path.join(out, point.path)).point).toMatchObject({ name: point.name, volume: point.volume });
    }
  });

  it('nests across volumes at equal shares, per group', () => {
    for (const share of ['0', '0.25', '0.5', '1']) {
      for (const [small, large] of [
        [100, 200],
        [200, 400],
      ]) {
        for (const group of ['medical', 'general']) {
          const smallKeys = pointKeys(`v${small}-medical${share}`, 'train', group);
          const largeKeys = new Set(pointKeys(`v${large}-medical${share}`, 'train', group));
          for (const key of smallKeys) expect(largeKeys.has(key)).toBe(true);
        }
      }
    }
  });

  it('moves only records at the margin when shares change at equal volume', () => {
    const at25 = new Set(pointKeys('v400-medical0.25', 'train', 'medical'));
    const at50 = pointKeys('v400-medical0.5', 'train', 'medical');
    expect(at50).toHaveLength(200);
    expect(at50.filter((k) => at25.has(k))).toHaveLength(100); // the 0.25 set is inside the 0.5 set
    const general25 = pointKeys('v400-medical0.25', 'train', 'general');
    const general50 = new Set(pointKeys('v400-medical0.5', 'train', 'general'));
    for (const key of general50) expect(general25.includes(key)).toBe(true);
  });

  it('shares one validation set, disjoint from every training set', () => {
    const names = readdirSync(out).filter((n) => n.startsWith('v'));
    const validation = pointKeys(names[0]!, 'validation').sort();
    expect(validation).toHaveLength(40);
    for (const name of names) {
      expect(pointKeys(name, 'validation').sort()).toEqual(validation);
      const train = new Set(pointKeys(name, 'train'));
      for (const key of validation) expect(train.has(key)).toBe(false);
    }
  });

  it('runs from the command line with --sweep', async () => {
    const recipeFile = path.join(dir, 'cli.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(recipeFile, twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.json', volume: 100 }));
    const result = await runCli([
      'compose',
      recipeFile,
      '--out',
      path.join(dir, 'cli-out'),
      '--sweep',
      'volume=1k,200',
      '--sweep',
      'shares.medical=0.1,0.2',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.sweep.points.map((p: { name: string }) => p.name)).toEqual([
      'v1000-medical0.1',
      'v1000-medical0.2',
      'v200-medical0.1',
      'v200-medical0.2',
    ]);
  });
});

describe('shortage policies', () => {
  const small = (shortage: string, extra = '') =>
    twoGroupRecipe({
      medical: 'small-med.jsonl',
      general: 'gen.json',
      volume: 300,
      medicalShare: 0.4,
      extra: `${extra}`,
    }).replace('mixture:\n', `mixture:\n  shortage: ${shortage}\n`);

  it('repeat: whole copies plus the lowest-priority remainder, spread through the order', async () => {
    const { manifest, out } = await compose(parseRecipe(small('repeat', ''), 'r.yaml', dir), {
      out: path.join(dir, 'repeat'),
    });
    const groups = manifest.groups as Record<string, { selected: number; distinct: number; epochs: number }>;
    expect(groups.medical).toMatchObject({ selected: 120, distinct: 50, epochs: 3 });
    const train = readSplit(out, 'train');
    const positions = new Map<string, number[]>();
    train.forEach((r, i) => {
      if (r.group !== 'medical') return;
      const list = positions.get(keyText(r)) ?? [];
      list.push(i);
      positions.set(keyText(r), list);
    });
    const counts = [...positions.values()].map((p) => p.length);
    expect(Math.max(...counts)).toBe(3);
    expect(counts.filter((c) => c === 3)).toHaveLength(20); // 120 = 2 × 50 + 20
    const adjacent = [...positions.values()].filter((p) => p.some((x, i) => i > 0 && x - p[i - 1]! === 1)).length;
    expect(adjacent).toBeLessThan(5);
  });

  it('repeat refuses more than max_epochs', async () => {
    const text = small('repeat').replace('mixture:\n', 'mixture:\n  max_epochs: 2\n');
    await expect(compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, 'repeat2') })).rejects.toMatchObject({
      code: 'SHORTAGE',
      message: expect.stringContaining('3 epochs, above max_epochs = 2'),
    });
  });

  it('redistribute gives the missing share to the other groups', async () => {
    const { manifest } = await compose(parseRecipe(small('redistribute'), 'r.yaml', dir), {
      out: path.join(dir, 'redistribute'),
    });
    const groups = manifest.groups as Record<string, { selected: number; plannedQuota: number; quota: number }>;
    expect(groups.medical).toMatchObject({ plannedQuota: 120, quota: 50, selected: 50 });
    expect(groups.general).toMatchObject({ plannedQuota: 180, quota: 250, selected: 250 });
  });
});
