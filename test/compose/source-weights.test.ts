/**
 * Sources inside a group (issue #20 item 10): a capped large English source and a weighted Chinese
 * one, end to end through compose: each source's quota is met from its own records, the manifest
 * reports it per source, a short source follows the shortage policy, and a sweep stays nested per source.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { MixsmithError } from '../../src/errors.js';
import { parseRecipe } from '../../src/recipe/load.js';
import { alpacaRecords, writeJsonl } from '../helpers/corpus.js';
import { keyText, readSplit } from '../helpers/outputs.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();

beforeAll(() => {
  writeJsonl(path.join(dir, 'en.jsonl'), alpacaRecords('en', 2000));
  writeJsonl(path.join(dir, 'zh.jsonl'), alpacaRecords('zh', 300));
  writeJsonl(path.join(dir, 'fr.jsonl'), alpacaRecords('fr', 60));
  writeJsonl(path.join(dir, 'med.jsonl'), alpacaRecords('med', 400));
});

const recipe = (
  options: { en?: string; zh?: string; fr?: string; volume?: number; extra?: string } = {},
) => `name: by-source
seed: 3
sources:
  - { name: en, group: general, path: en.jsonl${options.en ?? ', max: 0.5'} }
  - { name: zh, group: general, path: zh.jsonl${options.zh ?? ', weight: 2'} }
  - { name: fr, group: general, path: fr.jsonl${options.fr ?? ''} }
  - { name: med, group: medical, path: med.jsonl }
mixture:
  volume: ${options.volume ?? 500}
  shares: { medical: 0.2, general: 0.8 }
${options.extra ?? ''}`;

const countBy = (rows: { source?: unknown }[]) => {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[String(r.source)] = (counts[String(r.source)] ?? 0) + 1;
  return counts;
};

describe('weighted and capped sources inside a group', () => {
  it('splits the group by weight, holds a count max, and reports each source in the manifest', async () => {
    const text = recipe({ fr: ', max: 50' });
    const { out, manifest } = await compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, 'weights') });
    // general 400 by weight 1 : 2 : 1 is 100 / 200 / 100; fr is held at 50 and its 50 go to zh, not
    // to en, whose share max (0.5) keeps it at its own part.
    expect(countBy(readSplit(out, 'train'))).toEqual({ en: 100, zh: 250, fr: 50, med: 100 });
    expect(manifest.groups.general!.sources).toEqual({
      en: {
        quota: 100,
        plannedQuota: 100,
        available: 2000,
        selected: 100,
        shortfall: 0,
        tokens: expect.any(Number),
        validation: 0,
      },
      zh: {
        quota: 250,
        plannedQuota: 250,
        available: 300,
        selected: 250,
        shortfall: 0,
        tokens: expect.any(Number),
        validation: 0,
      },
      fr: {
        quota: 50,
        plannedQuota: 50,
        available: 60,
        selected: 50,
        shortfall: 0,
        tokens: expect.any(Number),
        validation: 0,
      },
    });
    expect(manifest.groups.general).toMatchObject({ quota: 400, selected: 400 });
    expect(manifest.groups.general!.strata).toBeUndefined();
    expect(manifest.groups.medical!.sources).toBeUndefined();
  });

  it('a source short of its quota follows mixture.shortage', async () => {
    // fr's quota is 100 (weight 1 of 4 of general's 400); it holds 60.
    const run = (shortage: string, name: string) =>
      compose(parseRecipe(recipe({ extra: `  shortage: ${shortage}\n  max_epochs: 2\n` }), 'r.yaml', dir), {
        out: path.join(dir, name),
      });
    const error = await run('error', 'short-error').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('SHORTAGE');
    expect((error as MixsmithError).message).toContain('source "fr" of group "general" needs 100 training');

    const capped = await run('cap', 'short-cap');
    expect(countBy(readSplit(capped.out, 'train'))).toEqual({ en: 100, zh: 200, fr: 60, med: 100 });
    expect(capped.manifest.groups.general!.sources!.fr).toMatchObject({ quota: 100, selected: 60, shortfall: 40 });

    const repeated = await run('repeat', 'short-repeat');
    expect(countBy(readSplit(repeated.out, 'train'))).toEqual({ en: 100, zh: 200, fr: 100, med: 100 });
    expect(repeated.manifest.sources.fr).toMatchObject({ selected: 100, distinct: 60 });

    // The 40 go to the group's other sources with room and no max: zh alone (en has a share max).
    const moved = await run('redistribute', 'short-redistribute');
    expect(countBy(readSplit(moved.out, 'train'))).toEqual({ en: 100, zh: 240, fr: 60, med: 100 });
    expect(moved.manifest.groups.general!.sources).toMatchObject({
      zh: { plannedQuota: 200, quota: 240 },
      fr: { plannedQuota: 100, quota: 60, shortfall: 0 },
    });
  });

  it('stays nested per source across a sweep', async () => {
    const text = recipe({ fr: ', max: 40', extra: '  shortage: cap\nsweep:\n  volume: [150, 300, 500]\n' });
    const { out } = await compose(parseRecipe(text, 'r.yaml', dir), { out: path.join(dir, 'sweep') });
    const bySource = (point: string) => {
      const sets = new Map<string, Set<string>>();
      for (const r of readSplit(path.join(out, point), 'train')) {
        const set = sets.get(String(r.source)) ?? new Set<string>();
        set.add(keyText(r));
        sets.set(String(r.source), set);
      }
      return sets;
    };
    const points = ['v150', 'v300', 'v500'].map(bySource);
    for (let i = 0; i + 1 < points.length; i++) {
      for (const [source, keys] of points[i]!) {
        for (const key of keys) expect(points[i + 1]!.get(source)!.has(key), `${source} at point ${i}`).toBe(true);
      }
    }
    expect(Object.fromEntries([...points[2]!].map(([s, k]) => [s, k.size]))).toEqual({
      en: 100,
      zh: 260,
      fr: 40,
      med: 100,
    });
  });
});
