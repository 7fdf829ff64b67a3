/**
 * Which input files the scan analyses in worker threads, and the one pool they share (started at
 * the first such file, closed when the scan ends), with the one thread that hashes their bytes.
 * Where a record is analysed never changes the output; this only decides where it is fastest.
 */
import { MixsmithError } from '../../errors.js';
import type { RecordFormat } from '../../recipe/names.js';
import { type FileDigest, HashPool, inlineDigest } from '../../io/hash-pool.js';
import { ScanPool } from './scan-pool.js';
import { defaultWorkerCount, MIN_POOL_BYTES } from '../../workers/worker-pool.js';
import type { BatchRouting } from './analyzed-batches.js';

/**
 * How each format's records cross to a worker: as text (JSON formats: parsed there) or as the
 * values the reader parsed (CSV: cloning them costs about what parsing JSON would, and the
 * normalising and hashing still leave this thread). Parquet stays inline: decoding dominates
 * here anyway, and cloning its rows added a quarter to the CPU time for an unconfirmed gain in
 * wall time (docs/benchmarks.md).
 */
const CROSSING: Partial<Record<RecordFormat, 'text' | 'values'>> = {
  jsonl: 'text',
  json: 'text',
  csv: 'values',
  tsv: 'values',
};

export class ScanWorkers {
  private pool: ScanPool | undefined;
  private hashes: HashPool | undefined;
  private readonly count: number;

  /** `requested`: the --workers count (0 = analyse inline), or undefined for the default. */
  constructor(
    private readonly requested: number | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.count = requested ?? defaultWorkerCount();
  }

  /** How to analyse a file of this format and size. */
  routeFor(format: RecordFormat, fileBytes: number): BatchRouting {
    const crossing = CROSSING[format];
    if (this.count < 1 || crossing === undefined) return {};
    if (this.requested === undefined && fileBytes < MIN_POOL_BYTES) return {};
    this.pool ??= new ScanPool(this.count, this.signal);
    return { pool: this.pool, withValues: crossing === 'values' };
  }

  /** Where a file's sha256 is computed: beside its records' workers when it has them, else inline. */
  digestFor(routing: BatchRouting): FileDigest {
    if (!routing.pool) return inlineDigest();
    this.hashes ??= new HashPool(this.signal);
    return this.hashes.file();
  }

  async close(): Promise<void> {
    await Promise.all([this.pool?.close(), this.hashes?.close()]);
  }
}

/**
 * Most worker threads `--workers` may ask for. Each worker is a V8 isolate with its own heap and
 * its own copy of the loaded modules, plus up to IN_FLIGHT_PER_WORKER batches, and past a few
 * workers the main thread's reading and ordering is the limit (docs/benchmarks.md), so more
 * threads than cores only cost memory: 100000 workers would allocate gigabytes before doing any
 * work. A fixed cap, not one from the core count, so that a command line valid on one machine is
 * valid on every machine; 64 is above the core count of ordinary machines.
 */
export const MAX_WORKERS = 64;

/** The --workers value as a count, or undefined when not given; refuses anything but a whole number from 0 to MAX_WORKERS. */
export function workerCountOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_WORKERS) return value;
  const whole = typeof value === 'number' && Number.isInteger(value) && value >= 0;
  throw new MixsmithError(
    'USAGE',
    whole
      ? `--workers must be at most ${MAX_WORKERS}, got ${value}`
      : `--workers must be a whole number of 0 or more, got ${String(value)}`,
    {
      where: { file: `--workers ${String(value)}` },
      hint: whole
        ? 'more threads than cores only cost memory; leave --workers out for one worker per core (at most 4)'
        : '--workers 0 scans on the main thread only; leave it out for one worker per core (at most 4)',
    },
  );
}
