/**
 * A failure of the byte stream itself (truncated gzip/zstd) is reported at the line after the
 * last record read, so the user sees how far the file got.
 */
import { MixsmithError } from '../../errors.js';
import type { RawRecord } from './raw-record.js';

/** `lastLineOf` gives a batch's last line. */
export async function* withLineOnFailure<B>(
  batches: AsyncGenerator<B>,
  lastLineOf: (batch: B) => number | undefined,
  displayPath: string,
): AsyncGenerator<B> {
  let lastLine = 0;
  try {
    for await (const batch of batches) {
      lastLine = lastLineOf(batch) ?? lastLine;
      yield batch;
    }
  } catch (error) {
    if (
      error instanceof MixsmithError &&
      error.code === 'INPUT_IO' &&
      error.where?.line === undefined &&
      lastLine > 0
    ) {
      throw new MixsmithError('INPUT_IO', `${error.message}, after line ${lastLine}`, {
        where: { file: displayPath, line: lastLine + 1 },
        hint: error.hint,
        cause: error.cause,
      });
    }
    throw error;
  }
}

export const lastRecordLine = (batch: RawRecord[]) => batch.at(-1)?.line;
