/** The messages between the scan pool (main thread) and a scan worker. */
import type { BatchInput, BatchOutcome, RecordContext } from '../compose/record-outcome.js';

export interface WorkerRequest {
  /** The batch's number, so the reply finds its promise whatever order replies come in. */
  readonly seq: number;
  readonly context: RecordContext;
  readonly input: BatchInput;
}

/**
 * The batch's outcomes (and a lines batch's bytes, handed back), or the stack of an unexpected
 * error (a bug: record errors are outcomes).
 */
export type WorkerReply = { readonly seq: number; readonly outcome: BatchOutcome; readonly bytes?: Uint8Array } | { readonly seq: number; readonly failure: string };
