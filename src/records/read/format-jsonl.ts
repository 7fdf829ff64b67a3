/** JSON Lines: one JSON value per line, plain, gzip or zstd, in the source's encoding. */
import { byteStream } from '../../io/byte-stream.js';
import type { InputFormatReader } from './input-format.js';
import { lineRecords } from './line-records.js';
import { lastRecordLine, withLineOnFailure } from './read-failure.js';

export const jsonlFormat: InputFormatReader = {
  name: 'jsonl',
  extensions: ['.jsonl', '.ndjson'],
  description: 'JSONL (.jsonl, .ndjson)',
  position: 'line',
  read: (file, options) =>
    withLineOnFailure(
      lineRecords(byteStream(file, options), options.encoding ?? 'utf-8', {
        displayPath: options.displayPath,
        limits: options.limits,
      }),
      lastRecordLine,
      options.displayPath,
    ),
};
