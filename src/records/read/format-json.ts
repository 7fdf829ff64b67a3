/** A JSON array of records, streamed element by element (never parsed whole); UTF-8 only (RFC 8259). */
import { MixsmithError } from '../../errors.js';
import { byteStream } from '../../io/byte-stream.js';
import type { InputFormatReader, ReadRecordsOptions } from './input-format.js';
import { jsonArrayRecords } from './json-array-records.js';
import { lastRecordLine, withLineOnFailure } from './read-failure.js';
import { isUtf8Name } from './text-encoding.js';

export function refuseEncoding(options: ReadRecordsOptions): void {
  if (isUtf8Name(options.encoding ?? 'utf-8')) return;
  throw new MixsmithError(
    'INPUT_ENCODING',
    `${options.displayPath}: a JSON array is read as UTF-8 only, not ${options.encoding}`,
    {
      where: { file: options.displayPath },
      hint: `JSON exchanged between systems is UTF-8 (RFC 8259): convert it (iconv -f ${options.encoding} -t utf-8), or write one record per line and use format: jsonl`,
    },
  );
}

export const jsonFormat: InputFormatReader = {
  name: 'json',
  // .json names JSON arrays and JSONL alike: the first byte decides (detect-format.ts).
  extensions: [],
  description: 'JSON arrays (.json)',
  position: 'element',
  read(file, options) {
    refuseEncoding(options);
    return withLineOnFailure(
      jsonArrayRecords(byteStream(file, options), options.displayPath, options.limits),
      lastRecordLine,
      options.displayPath,
    );
  },
};
