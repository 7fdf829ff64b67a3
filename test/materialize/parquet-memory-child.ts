/**
 * Run by parquet-memory.test.ts in a child process with a small heap: writes ROWS chat records
 * (about 1 KB of JSON each) through the shard writer into Parquet with the given row group size,
 * then prints one JSON line with what it wrote and its peak memory.
 *
 * usage: node --max-old-space-size=N --import tsx parquet-memory-child.ts DIR ROWS ROWS_PER_GROUP ROWS_PER_SHARD
 */
import { getHeapStatistics } from 'node:v8';
import { parquetSinks } from '../../src/materialize/parquet-sink.js';
import { ShardWriter } from '../../src/materialize/shard-writer.js';
import { parquetColumns } from '../../src/materialize/parquet-columns.js';

const [dir, rowsText, groupText, shardText] = process.argv.slice(2);
const rows = Number(rowsText);
const filler = 'The patient should discuss dosage, interactions and follow-up with a clinician. '.repeat(6);

let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};

const writer = new ShardWriter(
  dir!,
  'train',
  parquetSinks({
    columns: parquetColumns('messages', true),
    compression: 'zstd',
    maxRowsPerRowGroup: Number(groupText),
    maxBytesPerRowGroup: Number.MAX_SAFE_INTEGER,
    metadata: { 'mixsmith.recipe_sha256': '0'.repeat(64) },
    createdBy: 'mixsmith test',
  }),
  { maxRows: Number(shardText), maxBytes: null },
);
let jsonBytes = 0;
for (let i = 0; i < rows; i++) {
  const line = JSON.stringify({
    messages: [
      { role: 'user', content: `Question ${i}: ${filler.slice(i % 97)}` },
      { role: 'assistant', content: `Answer ${i}: ${filler.slice((i * 7) % 89)}` },
    ],
    source: 'synthetic',
    group: i % 10 < 3 ? 'medical' : 'general',
    origin: `synthetic.jsonl:${i + 1}`,
  });
  jsonBytes += line.length + 1;
  await writer.writeLine(line);
  if (i % 1000 === 0) sample();
}
const files = await writer.finish();
sample();
process.stdout.write(
  `${JSON.stringify({
    rows: files.reduce((sum, f) => sum + f.rows, 0),
    files: files.map((f) => f.path),
    jsonBytes,
    peakHeapBytes: peakHeap,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
