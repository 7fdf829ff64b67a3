/**
 * Worker-thread entry: writes one source of the corpus (corpus-source.mjs) and posts back its
 * statistics and the 16-byte key hash of every record, in order. The two sources are written
 * at the same time on the two cores; the main thread then derives the cross-source truth from
 * the hashes alone.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { corpusPlan, SOURCES } from './corpus-plan.mjs';
import { writeSource } from './corpus-source.mjs';
import { FileWriter } from './file-writer.mjs';

const { options, sourceIndex, dir } = workerData;
const source = SOURCES[sourceIndex];
const plan = corpusPlan(options);
const writers = {
  near: new FileWriter(path.join(dir, `.truth.neardups.${source}.part`)),
  contaminated: new FileWriter(path.join(dir, `.truth.contaminated.${source}.part`)),
};
const { stats, hashes } = writeSource({
  seed: options.seed,
  source,
  sourceIndex,
  flavour: source,
  schema: options.schema[source],
  count: plan.sizes[sourceIndex],
  rates: options.rates,
  shared: { contents: plan.shared.contents, at: plan.shared.at[sourceIndex] },
  plants: plan.plants[sourceIndex],
  evalItems: plan.evalItems,
  writers,
  dir,
  jsonArray: options.variants.includes('json'),
});
for (const writer of Object.values(writers)) writer.close();
parentPort.postMessage({ stats, hashes }, [hashes.buffer]);
