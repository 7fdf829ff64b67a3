/** CSV and TSV with a header row: each row an object keyed by the header, in the source's encoding. */
import { byteStream } from '../../io/byte-stream.js';
import { type CsvFormat, csvRecords } from './csv-records.js';
import type { InputFormatReader } from './input-format.js';
import { lastRecordLine, withLineOnFailure } from './read-failure.js';

function delimited(format: CsvFormat, extensions: readonly string[], description: string): InputFormatReader {
  return {
    name: format,
    extensions,
    description,
    position: 'line',
    read: (file, options) =>
      withLineOnFailure(
        csvRecords(byteStream(file, options), {
          format,
          encoding: options.encoding ?? 'utf-8',
          displayPath: options.displayPath,
          limits: options.limits,
        }),
        lastRecordLine,
        options.displayPath,
      ),
  };
}

export const csvFormat = delimited('csv', ['.csv'], 'CSV (.csv)');
export const tsvFormat = delimited('tsv', ['.tsv', '.tab'], 'TSV (.tsv, .tab)');
