/**
 * Accounting for the large-cluster guard: how many records each kept item caused to be removed,
 * per source.
 *
 * A cluster here is one accepted item plus the items dropped citing it (the filter has no
 * transitive chaining, so that is the whole cluster). A cluster that removes a sizable share of a
 * source usually means templated records ("What are the symptoms of X?" with boilerplate answers)
 * or a threshold set too low, not true duplicates; the guard makes that visible.
 */
import { DEFAULT_MAX_CLUSTER_SHARE } from './defaults.js';

/** One removal: `dropped` near-duplicated the accepted item `kept`. */
export interface ClusterRemoval<Id> {
  readonly keptId: Id;
  readonly droppedId: Id;
  readonly droppedSource: string;
}

/** A cluster over the guard's limit for one source. */
export interface LargeCluster<Id> {
  readonly keptId: Id;
  /** The first item removed from `source` for this cluster: the second example to show. */
  readonly exampleDroppedId: Id;
  readonly source: string;
  /** Records removed from `source` by this cluster. */
  readonly removed: number;
  /** Records `source` had (the denominator of `share`). */
  readonly sourceRecords: number;
  readonly share: number;
  /** Kept item plus every removal, all sources. */
  readonly clusterSize: number;
}

interface Cluster<Id> {
  total: number;
  readonly bySource: Map<string, { removed: number; firstDropped: Id }>;
}

export class ClusterTally<Id = string> {
  private readonly clusters = new Map<Id, Cluster<Id>>();

  /** Count one removal. */
  record(removal: ClusterRemoval<Id>): void {
    let cluster = this.clusters.get(removal.keptId);
    if (!cluster) {
      cluster = { total: 0, bySource: new Map() };
      this.clusters.set(removal.keptId, cluster);
    }
    cluster.total++;
    const entry = cluster.bySource.get(removal.droppedSource);
    if (entry) entry.removed++;
    else cluster.bySource.set(removal.droppedSource, { removed: 1, firstDropped: removal.droppedId });
  }

  /** Size (kept item + removals) of the cluster around an accepted item; 1 when it removed nothing. */
  clusterSize(keptId: Id): number {
    return (this.clusters.get(keptId)?.total ?? 0) + 1;
  }

  /**
   * Clusters that removed more than `maxShare` of some source's records, largest share first (ties
   * in recording order). `sourceRecords` gives each source's record count; sources missing from it
   * are not checked.
   */
  largeClusters(sourceRecords: ReadonlyMap<string, number>, maxShare = DEFAULT_MAX_CLUSTER_SHARE): LargeCluster<Id>[] {
    const found: LargeCluster<Id>[] = [];
    for (const [keptId, cluster] of this.clusters) {
      for (const [source, { removed, firstDropped }] of cluster.bySource) {
        const records = sourceRecords.get(source);
        if (!records) continue;
        const share = removed / records;
        if (share > maxShare) {
          found.push({
            keptId,
            exampleDroppedId: firstDropped,
            source,
            removed,
            sourceRecords: records,
            share,
            clusterSize: cluster.total + 1,
          });
        }
      }
    }
    return found.sort((a, b) => b.share - a.share);
  }
}

/** The guard's message for one large cluster, with its two example texts (trimmed to `maxChars`). */
export function describeLargeCluster<Id>(
  cluster: LargeCluster<Id>,
  keptText: string,
  droppedText: string,
  maxChars = 160,
): string {
  const percent = (cluster.share * 100).toFixed(1);
  return (
    `one near-duplicate cluster of ${cluster.clusterSize} records removes ${cluster.removed} of ${cluster.sourceRecords} ` +
    `records (${percent} %) of source "${cluster.source}"; kept ${String(cluster.keptId)}: ${JSON.stringify(clip(keptText, maxChars))}; ` +
    `removed e.g. ${String(cluster.exampleDroppedId)}: ${JSON.stringify(clip(droppedText, maxChars))}`
  );
}

/** What a warning quotes of a record's text: white space collapsed, at most `maxChars` (160). */
export function clusterSnippet(text: string, maxChars = 160): string {
  return clip(text, maxChars);
}

function clip(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1)}…`;
}
