/**
 * OUTPUT_IO for a failed write (or read back) of an output file: the path, the system's code and
 * a hint that says what the code means, so a full disk (ENOSPC), a used-up quota (EDQUOT) and a
 * failing device (EIO) read differently. Every writer of the output folder reports through this.
 */
import { MixsmithError } from '../errors.js';

const HINTS: Record<string, string> = {
  ENOSPC: 'the disk holding the output folder is full: free space there, or give --out on another disk',
  EDQUOT: 'your disk quota on the file system of the output folder is used up: free space, or give --out elsewhere',
  EIO: 'the device reported an input/output error: check the disk (e.g. dmesg), and write the output elsewhere',
  EROFS: 'the file system of the output folder is read-only: give --out on a writable one',
  EACCES: 'no permission to write there: give --out in a folder you can write to',
  EPERM: 'no permission to write there: give --out in a folder you can write to',
  EFBIG: 'a file grew past what the file system allows: make shards smaller (output.max_bytes_per_shard)',
};

const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
};

export function outputIoError(file: string, cause: unknown, doing = 'write'): MixsmithError {
  if (cause instanceof MixsmithError) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = code
    ? WORDS[code]
      ? `${code} (${WORDS[code]})`
      : code
    : cause instanceof Error
      ? cause.message
      : String(cause);
  return new MixsmithError('OUTPUT_IO', `cannot ${doing} ${file}: ${reason}`, {
    where: { file },
    cause,
    hint: (code && HINTS[code]) ?? 'check that the output folder is writable and the disk has room',
  });
}
