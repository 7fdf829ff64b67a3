/**
 * Which compression wraps a file, told by its first bytes (magic numbers), so a gzip file named
 * `.json` is still read. The extension is only checked for agreement: a `.gz` file that is not
 * gzip is reported rather than parsed as garbage.
 */
import { open } from 'node:fs/promises';
import { MixsmithError } from '../errors.js';

export type Compression = 'none' | 'gzip' | 'zstd';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** The compression a file name claims: `.gz` / `.zst` / `.zstd`, else none. */
export function compressionByName(file: string): Compression {
  if (/\.gz$/i.test(file)) return 'gzip';
  if (/\.zstd?$/i.test(file)) return 'zstd';
  return 'none';
}

/** The file name without its compression extension, for telling the record format by name. */
export function withoutCompressionExtension(file: string): string {
  return file.replace(/\.(gz|zstd?)$/i, '');
}

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/** Reads the first 4 bytes of `file`. Throws INPUT_FORMAT when the name promises what the bytes deny. */
export async function detectCompression(file: string, displayPath: string): Promise<Compression> {
  const head = new Uint8Array(4);
  let bytesRead = 0;
  try {
    const handle = await open(file, 'r');
    try {
      ({ bytesRead } = await handle.read(head, 0, 4, 0));
    } finally {
      await handle.close();
    }
  } catch (cause) {
    throw new MixsmithError(
      'INPUT_IO',
      `${displayPath}: cannot read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      {
        where: { file: displayPath },
        cause,
        hint: 'check that the file exists and is readable',
      },
    );
  }
  const bytes = head.subarray(0, bytesRead);
  const byContent: Compression = startsWith(bytes, GZIP_MAGIC)
    ? 'gzip'
    : startsWith(bytes, ZSTD_MAGIC)
      ? 'zstd'
      : 'none';
  const byName = compressionByName(file);
  if (byName !== 'none' && byContent !== byName && bytesRead > 0) {
    throw new MixsmithError(
      'INPUT_FORMAT',
      `${displayPath}: named as ${byName} but its first bytes are ${byContent === 'none' ? 'not compressed' : byContent}`,
      {
        where: { file: displayPath },
        hint: `rename the file to match its content, or compress it again (${byName === 'gzip' ? 'gzip' : 'zstd'} FILE)`,
      },
    );
  }
  return byContent;
}
