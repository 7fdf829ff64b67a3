/** The first bytes of a file's (decompressed) content, for format and encoding sniffing. */
import { byteStream } from './byte-stream.js';

export const SNIFF_BYTES = 64 * 1024;

export async function readHead(file: string, displayPath: string, maxBytes = SNIFF_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of byteStream(file, { displayPath, maxFileBytes: maxBytes })) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}
