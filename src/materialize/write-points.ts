/**
 * The write phase for one mixture or a whole sweep: every selected record is read and rendered
 * once, then put into the order spool of each point that contains it; each point's spool is
 * then drained into its shards. A sweep of 30 points costs one re-read, not 30.
 */
import { mkdir } from 'node:fs/promises';
import { BUCKET_BYTES, OrderSpool } from '../io/order-spool.js';
import { outputIoError } from '../io/output-error.js';
import type { SinkFactory } from './shard-sink.js';
import type { WrittenFile } from './shard-writer.js';
import type { OutputSpec } from '../recipe/types.js';
import type { Candidate } from '../records/facts/candidate.js';
import { materialize, type WantedRecord } from './materialize.js';
import type { ScanResult } from '../select/scan.js';
import type { PointSelection } from '../select/select.js';
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
  /** Worker threads for rendering (materialize.ts); the output is the same for any count. */
  readonly workers?: number | undefined;
  /** The mappings' meta keys (output-meta.ts): rendered records carry them in `meta`. */
  readonly metaKeys?: readonly string[] | undefined;
}

/**
 * Where each wanted record goes: a list of (spool, position) slots per record, linked through
 * typed arrays rather than an object per slot.
 */
class Slots {
  readonly wanted: WantedRecord[] = [];
  /** Candidate → index in `wanted`; only needed when several points may pick the same record. */
  private readonly indexOf: Map<Candidate, number> | undefined;
  private readonly first: Int32Array;
  private readonly next: Int32Array;
  private readonly spool: Uint32Array;
  private readonly position: Uint32Array;
  private count = 0;

  constructor(capacity: number, shared: boolean) {
    this.indexOf = shared ? new Map() : undefined;
    this.first = new Int32Array(capacity).fill(-1);
    this.next = new Int32Array(capacity);
    this.spool = new Uint32Array(capacity);
    this.position = new Uint32Array(capacity);
  }

  add(candidate: Candidate, group: string, spool: number, position: number): void {
    let index = this.indexOf?.get(candidate);
    if (index === undefined) {
      index = this.wanted.length;
      this.indexOf?.set(candidate, index);
      this.wanted.push({ candidate, group });
    }
    const slot = this.count++;
    this.spool[slot] = spool;
    this.position[slot] = position;
    this.next[slot] = this.first[index]!;
    this.first[index] = slot;
  }

  /**
   * Put `line` into every spool that wants record `index`; a promise when some spool must go to
   * disk. `owned`: the line's memory is its own, never written or freed after this (`putBytes`).
   */
  place(
    index: number,
    line: string | Uint8Array,
    spools: readonly OrderSpool[],
    owned = false,
  ): Promise<void> | undefined {
    let full = false;
    for (let slot = this.first[index]!; slot >= 0; slot = this.next[slot]!) {
      const spool = spools[this.spool[slot]!]!;
      if (typeof line === 'string') spool.put(this.position[slot]!, line);
      else spool.putBytes(this.position[slot]!, line, owned);
      full ||= spool.mustFlush;
    }
    return full ? flushFull(spools) : undefined;
  }
}

async function flushFull(spools: readonly OrderSpool[]): Promise<void> {
  for (const spool of spools) if (spool.mustFlush) await spool.flush();
}

export async function writePoints(
  scan: ScanResult,
  selections: readonly PointSelection[],
  options: WritePointsOptions,
): Promise<WrittenFile[][]> {
  const estimate = (s: PointSelection) => s.records.reduce((sum, r) => sum + r.candidate.length + 64, 0);
  const totalBytes = selections.reduce((sum, s) => sum + estimate(s), 0);
  // One mixture holds each record once (its splits are disjoint); sweep points share records.
  const slots = new Slots(
    selections.reduce((sum, s) => sum + s.records.length, 0),
    selections.length > 1,
  );
  const spools: OrderSpool[] = [];
  for (const selection of selections) {
    const dir = options.dirOf(selection);
    await mkdir(dir, { recursive: true }).catch((cause: unknown) => {
      throw outputIoError(dir, cause, 'create');
    });
    spools.push(
      new OrderSpool(
        dir,
        selection.rows.train + selection.rows.validation,
        totalBytes <= BUCKET_BYTES ? 0 : estimate(selection),
      ),
    );
    for (const record of selection.records) {
      const position = record.split === 'train' ? record.position : selection.rows.train + record.position;
      slots.add(record.candidate, record.group, spools.length - 1, position);
    }
  }
  const written: WrittenFile[][] = [];
  try {
    await materialize(scan, slots.wanted, (index, line, owned) => slots.place(index, line, spools, owned), options);
    for (const [i, selection] of selections.entries()) {
      written.push(
        await writeSplits(spools[i]!.drain(), selection.rows, {
          dir: options.dirOf(selection),
          output: options.output,
          sinks: options.sinks,
          signal: options.signal,
        }),
      );
    }
  } catch (error) {
    // No bucket file may still be on its way when the caller removes the folder.
    await Promise.all(spools.map((spool) => spool.settle()));
    throw error;
  }
  return written;
}
