/** A JSON object keyed by id, its members (at one depth) as records with their keys; UTF-8 only, as JSON arrays. */
import { byteStream } from '../../io/byte-stream.js';
import { refuseEncoding } from './format-json.js';
import type { InputFormatReader } from './input-format.js';
import { jsonObjectRecords } from './json-object-records.js';
import { withLineOnFailure } from './read-failure.js';

export const jsonObjectFormat: InputFormatReader = {
  name: 'json-object',
  // .json names arrays, JSONL and keyed objects alike: the content decides (detect-format.ts).
  extensions: [],
  description: 'JSON objects keyed by id (.json)',
  position: 'element',
  read(file, options) {
    refuseEncoding(options);
    // A stream failure names the bytes read, not a line: a keyed object is often one line.
    return withLineOnFailure(
      jsonObjectRecords(byteStream(file, options), options.displayPath, options.limits),
      () => undefined,
      options.displayPath,
    );
  },
};
