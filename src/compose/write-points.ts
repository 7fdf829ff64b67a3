/**
 * The write phase for one mixture or a whole sweep: every selected record is read and rendered
 * once, then put into the order spool of each point that contains it; each point's spool is
 * then drained into its shards. A sweep of 30 points costs one re-read, not 30.
 */
import { mkdir } from 'node:fs/promises';
import { BUCKET_BYTES, OrderSpool } from '../io/order-spool.js';
import type { SinkFactory } from '../io/shard-sink.js';
import type { WrittenFile } from '../io/shard-writer.js';
import type { OutputSpec } from '../recipe/types.js';
import type { Candidate } from './candidate.js';
import { materialize, type WantedRecord } from './materialize.js';
import type { ScanResult } from './scan.js';
import type { PointSelection } from './select.js';
import { writeSplits } from './write-splits.js';

export interface WritePointsOptions {
  readonly seed: number;
  readonly dedup: boolean;
  readonly output: OutputSpec;
  readonly signal?: AbortSignal | undefined;
  /** Folder of each point (created if missing). */
  readonly dirOf: (selection: PointSelection) => string;
  /** The shard format; plain JSONL when absent. */
  readonly sinks?: SinkFactory | undefined;
}

interface Slot {
  readonly spool: OrderSpool;
  readonly position: number;
}

export async function writePoints(scan: ScanResult, selections: readonly PointSelection[], options: WritePointsOptions): Promise<WrittenFile[][]> {
  const estimate = (s: PointSelection) => s.records.reduce((sum, r) => sum + r.candidate.length + 64, 0);
  const totalBytes = selections.reduce((sum, s) => sum + estimate(s), 0);
  const slots = new Map<Candidate, Slot[]>();
  const wanted: WantedRecord[] = [];
  const spools: OrderSpool[] = [];
  for (const selection of selections) {
    const dir = options.dirOf(selection);
    await mkdir(dir, { recursive: true });
    const spool = new OrderSpool(dir, selection.rows.train + selection.rows.validation, totalBytes <= BUCKET_BYTES ? 0 : estimate(selection));
    spools.push(spool);
    for (const record of selection.records) {
      const position = record.split === 'train' ? record.position : selection.rows.train + record.position;
      let list = slots.get(record.candidate);
      if (!list) {
        list = [];
        slots.set(record.candidate, list);
        wanted.push({ candidate: record.candidate, group: record.group });
      }
      list.push({ spool, position });
    }
  }
  await materialize(
    scan,
    wanted,
    async (candidate, line) => {
      for (const slot of slots.get(candidate)!) await slot.spool.put(slot.position, line);
    },
    options,
  );
  const written: WrittenFile[][] = [];
  for (const [i, selection] of selections.entries()) {
    written.push(await writeSplits(spools[i]!.drain(), selection.rows, { dir: options.dirOf(selection), output: options.output, sinks: options.sinks }));
  }
  return written;
}
