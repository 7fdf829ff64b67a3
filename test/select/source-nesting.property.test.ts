/**
 * Nesting across sweep points for every group and every source (issue #20 item 10): for random
 * shares over 2–5 groups, random per-source weights and caps (counts and shares) and random
 * source sizes (so sources run short), the real selection (recipe text → planMixture →
 * selectFromFacts) of every group and every source at volume n is a subset of that at n + k.
 * Under `cap` a shortfall is left short; under `redistribute` it moves to other sources and groups.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentKey, rankDigest } from '../../src/keys/hashing.js';
import { planMixture } from '../../src/plan/plan.js';
import { parseRecipe } from '../../src/recipe/load.js';
import type { FactRow } from '../../src/records/facts/fact-rows.js';
import { selectFromFacts } from '../../src/select/select-facts.js';
import type { PointSelection } from '../../src/select/select.js';

const SEED = 11;

interface SourceCase {
  readonly size: number;
  readonly weight: number | undefined;
  /** A count (≥ 1) or a share of the group (< 1). */
  readonly max: number | undefined;
}

const sourceArb: fc.Arbitrary<SourceCase> = fc.record({
  size: fc.integer({ min: 0, max: 80 }),
  weight: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
  max: fc.option(
    fc.oneof(
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 1, max: 19 }).map((n) => n / 20),
    ),
    { nil: undefined },
  ),
});

const caseArb = fc.record({
  groups: fc.array(
    fc.record({
      part: fc.integer({ min: 0, max: 6 }),
      // The last source of a group is left without max: the recipe requires one (docs/recipe.md).
      sources: fc.array(sourceArb, { minLength: 1, maxLength: 4 }),
    }),
    { minLength: 2, maxLength: 5 },
  ),
  volumes: fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 2, maxLength: 4 }),
  start: fc.integer({ min: 1, max: 120 }),
  validation: fc.integer({ min: 0, max: 6 }),
  shortage: fc.constantFrom('cap' as const, 'redistribute' as const),
  /** Every few records repeat one of another source of the group (the first in scan order owns it). */
  duplicateEvery: fc.integer({ min: 0, max: 7 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const sourceName = (g: number, s: number) => `s${g}-${s}`;

/** Shares as twentieths summing to exactly 1 (the recipe checks the sum). */
function shares(c: Case): number[] {
  const parts = c.groups.map((g) => g.part + (g.part === 0 && c.groups.every((x) => x.part === 0) ? 1 : 0));
  const total = parts.reduce((a, b) => a + b, 0);
  const twentieths = parts.map((p) => Math.floor((p * 20) / total));
  twentieths[twentieths.findIndex((_, i) => parts[i]! > 0)]! += 20 - twentieths.reduce((a, b) => a + b, 0);
  return twentieths.map((t) => t / 20);
}

function recipeText(c: Case, volumes: readonly number[]): string {
  const lines = c.groups.flatMap((g, gi) =>
    g.sources.map((s, si) => {
      const max = si === g.sources.length - 1 ? undefined : s.max;
      const settings = [
        ...(s.weight === undefined ? [] : [`weight: ${s.weight}`]),
        ...(max === undefined ? [] : [`max: ${max}`]),
      ];
      return `  - { name: ${sourceName(gi, si)}, group: g${gi}, path: x.jsonl${settings.map((x) => `, ${x}`).join('')} }`;
    }),
  );
  const groupShares = shares(c);
  return `name: nesting
seed: ${SEED}
sources:
${lines.join('\n')}
mixture:
  volume: ${volumes[0]}
  shares: { ${groupShares.map((share, gi) => `g${gi}: ${share}`).join(', ')} }
  shortage: ${c.shortage}
split:
  validation: ${c.validation}
sweep:
  volume: [${volumes.join(', ')}]
`;
}

/** Fact rows in scan order (groups in recipe order, sources by name), some keys repeated across a group's sources. */
function factsOf(c: Case): FactRow[] {
  const rows: FactRow[] = [];
  c.groups.forEach((g, gi) => {
    const names = g.sources.map((_, si) => sourceName(gi, si)).sort();
    let fileIndex = 0;
    for (const name of names) {
      const si = Number(name.split('-')[1]);
      for (let i = 0; i < g.sources[si]!.size; i++) {
        const copyOf = c.duplicateEvery > 0 && si > 0 && i % c.duplicateEvery === 0;
        const key = contentKey(copyOf ? `${gi}-0-${i}` : `${name}-${i}`);
        rows.push({
          key,
          ranks: rankDigest(SEED, key),
          source: name,
          group: `g${gi}`,
          fileIndex,
          line: i + 1,
          offset: i,
          length: 1,
          chars: 10,
          tokens: 3,
        });
      }
      fileIndex++;
    }
  });
  return rows;
}

/** Training keys of a point per group and per source. */
function trainingSets(selection: PointSelection, sourceOf: ReadonlyMap<string, string>) {
  const sets = new Map<string, Set<string>>();
  for (const r of selection.records) {
    if (r.split !== 'train') continue;
    for (const part of [`group ${r.group}`, `source ${sourceOf.get(r.candidate.key)}`]) {
      const set = sets.get(part) ?? new Set<string>();
      set.add(r.candidate.key);
      sets.set(part, set);
    }
  }
  return sets;
}

describe('weighted and capped sources stay nested across sweep points', () => {
  it('every group and every source at volume n is a subset of itself at n + k', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        let volume = c.start;
        const volumes = [volume, ...c.volumes.map((step) => (volume += step))];
        const { recipe } = parseRecipe(recipeText(c, volumes), 'r.yaml', '/nowhere');
        const plan = planMixture(recipe);
        const facts = factsOf(c);
        const sourceOf = new Map<string, string>();
        for (const row of facts) if (!sourceOf.has(row.key)) sourceOf.set(row.key, row.source);
        const points = selectFromFacts(facts, plan, recipe).map((s) => trainingSets(s, sourceOf));
        for (let i = 0; i < points.length; i++) {
          for (let j = i + 1; j < points.length; j++) {
            for (const [part, keys] of points[i]!) {
              const larger = points[j]!.get(part) ?? new Set<string>();
              for (const key of keys) expect(larger.has(key), `${part}: ${volumes[i]} ⊄ ${volumes[j]}`).toBe(true);
            }
          }
        }
        // A count max is never passed.
        for (const [gi, g] of c.groups.entries()) {
          g.sources.forEach((s, si) => {
            if (si === g.sources.length - 1 || s.max === undefined || s.max < 1) return;
            for (const p of points) expect(p.get(`source ${sourceName(gi, si)}`)?.size ?? 0).toBeLessThanOrEqual(s.max);
          });
        }
      }),
      { numRuns: 100 },
    );
  });
});
