/**
 * Arrow IPC, stream or file format (compression is inside the format: no .gz/.zst wrapper), one
 * record batch at a time. A Hugging Face `save_to_disk` folder is a source path too: expand-paths.ts
 * reads a split folder's `.arrow` files in the order its `state.json` lists them.
 */
import { arrowRecords } from './arrow-records.js';
import type { InputFormatReader } from './input-format.js';

export const arrowFormat: InputFormatReader = {
  name: 'arrow',
  extensions: ['.arrow', '.arrows', '.feather'],
  description:
    'Arrow IPC stream or file (.arrow, .arrows, .feather; Hugging Face datasets caches and save_to_disk folders)',
  position: 'row',
  read: (file, options) => arrowRecords(file, options),
};
