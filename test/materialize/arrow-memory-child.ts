/**
 * Run by arrow-memory.test.ts in a child process with a small heap: writes ROWS chat records
 * (about 1 KB of JSON each) through the shard writer into one Arrow shard, then reads the shard
 * back with the Arrow input reader, either streaming (MODE=stream: rows counted and dropped) or
 * keeping every record (MODE=keep: the control), and prints one JSON line.
 *
 * usage: node --max-old-space-size=N --import tsx arrow-memory-child.ts DIR ROWS MODE
 */
import path from 'node:path';
import { arrowSinks } from '../../src/materialize/arrow-sink.js';
import { parquetColumns } from '../../src/materialize/parquet-columns.js';
import { ShardWriter } from '../../src/materialize/shard-writer.js';
import { arrowRecords } from '../../src/records/read/arrow-records.js';
import type { RawRecord } from '../../src/records/read/raw-record.js';

const [dir, rowsText, mode] = process.argv.slice(2);
const rows = Number(rowsText);
const filler = 'The patient should discuss dosage, interactions and follow-up with a clinician. '.repeat(6);

let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};

const writer = new ShardWriter(dir!, 'train', arrowSinks(parquetColumns('messages', true)), {
  maxRows: null,
  maxBytes: null,
});
let jsonBytes = 0;
for (let i = 0; i < rows; i++) {
  const line = JSON.stringify({
    messages: [
      { role: 'user', content: `Question ${i}: ${filler.slice(i % 97)}` },
      { role: 'assistant', content: `Answer ${i}: ${filler.slice((i * 7) % 89)}` },
    ],
    source: 'memory',
    group: 'g',
    origin: `memory.jsonl:${i + 1}`,
  });
  jsonBytes += Buffer.byteLength(line) + 1;
  const pending = writer.writeLine(line);
  if (pending) await pending;
  if (i % 1000 === 0) sample();
}
const files = await writer.finish();
const shard = path.join(dir!, files[0]!.path);

let read = 0;
const kept: RawRecord[] = [];
for await (const batch of arrowRecords(shard, { displayPath: files[0]!.path })) {
  read += batch.length;
  if (mode === 'keep') kept.push(...batch);
  sample();
}
console.log(
  JSON.stringify({
    written: files[0]!.rows,
    read,
    kept: kept.length,
    jsonBytes,
    peakHeapBytes: peakHeap,
    path: files[0]!.path,
  }),
);
