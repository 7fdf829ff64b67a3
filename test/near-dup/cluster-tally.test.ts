import { describe, expect, it } from 'vitest';
import { ClusterTally, describeLargeCluster } from '../../src/near-dup/cluster-tally.js';

describe('ClusterTally', () => {
  it('finds clusters that remove more than the share of a source', () => {
    const tally = new ClusterTally();
    for (let i = 0; i < 3; i++) tally.record({ keptId: 'k1', droppedId: `d${i}`, droppedSource: 'med' });
    tally.record({ keptId: 'k1', droppedId: 'g0', droppedSource: 'gen' });
    tally.record({ keptId: 'k2', droppedId: 'x', droppedSource: 'med' });
    const sources = new Map([
      ['med', 200],
      ['gen', 1000],
    ]);
    const large = tally.largeClusters(sources, 0.01);
    expect(large).toEqual([
      {
        keptId: 'k1',
        exampleDroppedId: 'd0',
        source: 'med',
        removed: 3,
        sourceRecords: 200,
        share: 0.015,
        clusterSize: 5,
      },
    ]);
    expect(tally.clusterSize('k1')).toBe(5);
    expect(tally.clusterSize('unknown')).toBe(1);
    expect(tally.largeClusters(sources, 0.004).map((c) => `${c.keptId}/${c.source}`)).toEqual(['k1/med', 'k2/med']);
  });

  it('describes a cluster with its size and two example texts', () => {
    const message = describeLargeCluster(
      {
        keptId: 'k1',
        exampleDroppedId: 'd0',
        source: 'med',
        removed: 3,
        sourceRecords: 200,
        share: 0.015,
        clusterSize: 5,
      },
      'What are the symptoms of X?\n\nThey include…',
      'x'.repeat(300),
      40,
    );
    expect(message).toContain('cluster of 5 records removes 3 of 200 records (1.5 %) of source "med"');
    expect(message).toContain('"What are the symptoms of X? They includ…"');
    expect(message).toContain(`"${'x'.repeat(39)}…"`);
  });
});
