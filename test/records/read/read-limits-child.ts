/**
 * Reads a JSONL file with a chosen decoder and prints how the read ended, as one JSON line; run by
 * read-limits.test.ts in a child process so that its peak memory can be measured alone.
 * Arguments: FILE ZSTD_DECODER (auto | cli | napi | worker) GZIP_DECODER (auto | inline | worker | worker-stream).
 */
import type { GzipDecoder } from '../../../src/io/byte-stream.js';
import type { ZstdDecoder } from '../../../src/io/zstd-stream.js';
import { MixsmithError } from '../../../src/errors.js';
import { readRecords } from '../../../src/records/read/read-records.js';

const [file, zstdDecoder, gzipDecoder] = process.argv.slice(2) as [string, ZstdDecoder, GzipDecoder];
let records = 0;
try {
  for await (const batch of readRecords(file, { format: 'jsonl', displayPath: file, zstdDecoder, gzipDecoder }))
    records += batch.length;
  console.log(JSON.stringify({ records }));
} catch (error) {
  if (!(error instanceof MixsmithError)) throw error;
  console.log(JSON.stringify({ records, code: error.code, where: error.where, message: error.message }));
}
