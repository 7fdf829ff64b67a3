/** Parquet, one row group at a time (compression is inside the format: no .gz/.zst wrapper). */
import type { InputFormatReader } from './input-format.js';
import { parquetRecords } from './parquet-records.js';

export const parquetFormat: InputFormatReader = {
  name: 'parquet',
  extensions: ['.parquet', '.pq'],
  description: 'Parquet (.parquet)',
  position: 'row',
  read: (file, options) => parquetRecords(file, options),
};
