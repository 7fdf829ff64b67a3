/**
 * Gives a large ArrayBuffer's memory back now, not at the collector's next full run: the buffer
 * is transferred into a message that is never delivered (both ports of its channel are closed),
 * which detaches it here and frees its memory once the channel is gone. A 300 MB record's buffers
 * otherwise lingered as garbage for seconds, beside the next copies of the record (measured:
 * a 300 MB block still counted in the process's memory 3 s after its last use).
 *
 * Only for memory no one will read again: the buffer is detached (length 0) afterwards, and every
 * view of it is empty.
 */
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MessageChannel } from 'node:worker_threads';

/**
 * Detaches `buffer` now; its memory is free once the returned promise settles (the channel's
 * ports close on a later turn of the event loop, so a caller that means to allocate as much again
 * awaits it first; one that does not may ignore it).
 */
export async function releaseMemory(buffer: ArrayBufferLike): Promise<void> {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
  const { port1, port2 } = new MessageChannel();
  const closed = Promise.all([once(port1, 'close'), once(port2, 'close')]);
  port1.postMessage(null, [buffer]);
  port1.close();
  port2.close();
  await closed;
}

let fullCollection: (() => void) | undefined;

/**
 * Runs a full garbage collection now. For the one place where garbage is known to be large and the
 * next step allocates as much again: after a scan that read a huge record, its strings (hundreds of
 * MB, in V8's large-object space) were still uncollected when the write phase read the record
 * again, and the two copies met at the write's peak (300 MB Parquet cell: 1.1 GB; collected first:
 * 0.79 GB). V8 offers no such call without `--expose-gc`; the flag set now exposes `gc` in a new
 * context, the documented way to reach it from a running process.
 */
export function collectGarbage(): void {
  if (!fullCollection) {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    // Without it the collector runs when it would have anyway: more memory at the peak, same output.
    fullCollection = typeof gc === 'function' ? (gc as () => void) : () => {};
  }
  fullCollection();
}
