#!/usr/bin/env node
// bench/node-floor.mjs DATA_DIR: the physical floor of W1 for any Node implementation: read both
// sources, split lines, JSON.parse each, nothing else. Used when ../shared/bench (whose
// peers/node_floor.mjs does the same) is not present.
import path from 'node:path';
import { forEachLine } from './lib/line-reader.mjs';

const data = process.argv[2];
let records = 0;
let withId = 0;
for (const source of ['domain', 'general']) {
  forEachLine(path.join(data, `${source}.jsonl`), (line) => {
    const record = JSON.parse(line);
    records++;
    if (record.id) withId++;
  });
}
console.log(`parsed ${records} records (${withId} with id)`);
