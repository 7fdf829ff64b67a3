/**
 * Near-duplicate spot checks on real data (../shared/data/real/medalpaca): templated medical Q&A
 * where the field choice matters. Records are offered in priority order (md5 of seed and text), as
 * the selection pipeline does, after exact dedup on the chosen fields.
 */
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClusterTally, describeLargeCluster } from '../../src/near-dup/cluster-tally.js';
import { DEFAULT_NEAR_DUP_SETTINGS } from '../../src/near-dup/defaults.js';
import { MinHasher } from '../../src/near-dup/minhash.js';
import { NearDupIndex } from '../../src/near-dup/near-dup-index.js';
import type { SampleBody } from '../../src/sample.js';
import { type TextFields, textForFields } from '../../src/text/fields.js';
import { shingles } from '../../src/text/shingles.js';
import { hasRealData, realFile } from '../helpers/real-data.js';

interface Removal {
  dropped: string;
  kept: string;
  jaccard: number;
}

function nearDupPass(
  bodies: readonly SampleBody[],
  fields: TextFields,
): { removals: Removal[]; distinct: number; tally: ClusterTally<number> } {
  const { bands, rows, seed } = DEFAULT_NEAR_DUP_SETTINGS;
  const hasher = new MinHasher({ permutations: bands * rows, seed });
  const texts = bodies.map((b) => textForFields(b, fields));
  const byKey = new Map<string, number>();
  texts.forEach((t, i) => {
    const key = t.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
    if (!byKey.has(key)) byKey.set(key, i);
  });
  const order = [...byKey.values()].sort((a, b) =>
    hash('md5', `42:${texts[a]}`, 'hex') < hash('md5', `42:${texts[b]}`, 'hex') ? -1 : 1,
  );
  const index = new NearDupIndex<number>(DEFAULT_NEAR_DUP_SETTINGS);
  const tally = new ClusterTally<number>();
  const removals: Removal[] = [];
  for (const i of order) {
    const set = shingles(texts[i]!);
    const match = index.offer(i, set, hasher.signature(set));
    if (!match) continue;
    removals.push({ dropped: texts[i]!, kept: texts[match.matchId]!, jaccard: match.jaccard });
    tally.record({ keptId: match.matchId, droppedId: i, droppedSource: 'medical_meadow_small' });
  }
  return { removals, distinct: order.length, tally };
}

describe.skipIf(!hasRealData)('near duplicates in medical_meadow_small', () => {
  it('drops more with user fields (same question, different answer) than with all fields', () => {
    const records = JSON.parse(readFileSync(realFile('medalpaca', 'medical_meadow_small.json'), 'utf8')) as {
      instruction: string;
      input: string;
      output: string;
    }[];
    // The alpaca preset's shape: instruction and input in the user turn, output in the assistant turn.
    const bodies: SampleBody[] = records.map((r) => ({
      kind: 'chat',
      messages: [
        { role: 'user', content: `${r.instruction}\n${r.input}` },
        { role: 'assistant', content: r.output },
      ],
    }));
    const all = nearDupPass(bodies, 'all');
    const user = nearDupPass(bodies, 'user');
    console.log(
      `medical_meadow_small (${records.length}): fields=all drops ${all.removals.length} of ${all.distinct} distinct; ` +
        `fields=user drops ${user.removals.length} of ${user.distinct}; e.g. ${JSON.stringify(all.removals[0]?.dropped.slice(32, 110))} ~ ` +
        `${JSON.stringify(all.removals[0]?.kept.slice(32, 110))} (Jaccard ${all.removals[0]?.jaccard.toFixed(3)})`,
    );
    expect(all.removals.length).toBeGreaterThan(50);
    expect(user.removals.length).toBeGreaterThan(all.removals.length);
    for (const r of [...all.removals, ...user.removals])
      expect(r.jaccard).toBeGreaterThanOrEqual(DEFAULT_NEAR_DUP_SETTINGS.threshold);
    // "Angina" and "Angina pectoris" pages share their answers: one of each such pair goes.
    expect(all.removals.some((r) => /angina/i.test(r.dropped) && /angina/i.test(r.kept))).toBe(true);
    // No cluster takes 1 % of the source with all fields; on questions alone, a long template
    // ("When to seek urgent medical care when I have X?") is one shingle away from its siblings,
    // and the guard names it.
    const sourceRecords = new Map([['medical_meadow_small', records.length]]);
    expect(all.tally.largeClusters(sourceRecords)).toEqual([]);
    const large = user.tally.largeClusters(sourceRecords);
    const text = (i: number) => textForFields(bodies[i]!, 'user');
    console.log(
      `guard, fields=user: ${large.map((c) => describeLargeCluster(c, text(c.keptId), text(c.exampleDroppedId))).join('\n')}`,
    );
    expect(large.length).toBeGreaterThanOrEqual(1);
    expect(text(large[0]!.keptId)).toMatch(/When to seek urgent medical care when I have/);
  });
});
