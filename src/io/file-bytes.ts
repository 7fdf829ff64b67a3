/**
 * Every byte of a file, in 1 MiB chunks, to `onFileBytes`: the size and sha256 of a file whose
 * reader does not stream its bytes (Parquet, Arrow: they read by offsets), or of a whole file
 * whose records a facts part reads only in part. `backlog`: a promise to wait on before reading
 * on when the consumer has fallen behind (a hash on a worker thread, io/hash-pool.ts).
 */
import { createReadStream } from 'node:fs';

export async function passFileBytes(
  path: string,
  onFileBytes: (chunk: Buffer) => void,
  backlog?: () => Promise<void> | undefined,
): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    onFileBytes(chunk as Buffer);
    const behind = backlog?.();
    if (behind) await behind;
  }
}
