/**
 * An audit worker: batches of record texts in, their facts out (`record-facts.ts`). It keeps no
 * state but its `FactComputer` (its own copy of the eval n-gram index), so any batch may go to
 * any worker.
 */
import { poolData, serveBatches } from '../workers/serve-batches.js';
import { type FactBatch, FactComputer, type FactInput, type FactSettings, transferablesOf } from './record-facts.js';

// Requests wait in the port until the listener below is attached, after the tokenizer loads.
const computer = await FactComputer.create(poolData<FactSettings>());

serveBatches<FactInput, FactBatch>((input) => {
  const batch = computer.compute(input);
  return { result: batch, transfer: transferablesOf(batch) };
});
