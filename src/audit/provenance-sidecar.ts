/**
 * Provenance kept beside a shard instead of inside its records (`<shard>.provenance.jsonl`, for
 * trainers that reject unknown keys, e.g. OpenAI): line n of the sidecar describes record n of the
 * shard. The audit joins them so such outputs still get a composition. Only each record's group
 * and source are kept, as 4-byte indices into the distinct names: one shard's worth of numbers.
 */
import { PROVENANCE_SUFFIX } from '../materialize/provenance-sidecar-sink.js';
import { withoutDataExtension } from '../records/read/input-formats.js';
import { readRecords } from '../records/read/read-records.js';
import type { FileRef } from './file-records.js';
import type { Provenance } from './record-body.js';
import { ValueSeries } from './value-series.js';

/** `train-00000-of-00002.parquet` → `train-00000-of-00002.provenance.jsonl`. */
export function sidecarNameOf(shard: string): string {
  return withoutDataExtension(shard) + PROVENANCE_SUFFIX;
}

export interface SidecarProvenance {
  /** Provenance of the shard's `ordinal`-th record (1-based); origin is not kept. */
  at(ordinal: number): Provenance | undefined;
}

export async function loadProvenanceSidecar(file: FileRef, signal?: AbortSignal): Promise<SidecarProvenance> {
  const names: string[] = [];
  const index = new Map<string, number>();
  const intern = (name: string) => {
    let i = index.get(name);
    if (i === undefined) {
      i = names.length;
      names.push(name);
      index.set(name, i);
    }
    return i;
  };
  const groups = new ValueSeries();
  const sources = new ValueSeries();
  const NONE = 0xffffffff;
  for await (const batch of readRecords(file.absolutePath, {
    format: 'jsonl',
    displayPath: file.displayPath,
    signal,
  })) {
    for (const raw of batch) {
      let entry: { group?: unknown; source?: unknown } = {};
      try {
        entry = JSON.parse(raw.text);
      } catch {
        // An unreadable sidecar line leaves its record without provenance; the checksum says why.
      }
      groups.push(typeof entry.group === 'string' ? intern(entry.group) : NONE);
      sources.push(typeof entry.source === 'string' ? intern(entry.source) : NONE);
    }
  }
  const g = groups.values();
  const s = sources.values();
  return {
    at(ordinal) {
      const gi = g[ordinal - 1];
      const si = s[ordinal - 1];
      if (gi === undefined || si === undefined || gi === NONE || si === NONE) return undefined;
      return { group: names[gi]!, source: names[si]!, origin: '' };
    },
  };
}
