/**
 * A filter worker: batches of candidates' texts in, their facts out (`candidate-facts.ts`),
 * matched with the pool's shared eval index (read in place, never copied or rebuilt).
 */
import { EvalIndex } from '../decontam/eval-index.js';
import { poolData, serveBatches } from '../workers/serve-batches.js';
import { CandidateFacts, packFacts, type PackedFacts, transferOfFacts } from './candidate-facts.js';
import type { CandidateFactsData, CandidateTexts } from './candidate-facts-pool.js';

let facts: CandidateFacts | undefined;

serveBatches<CandidateTexts, PackedFacts>(({ texts, nearTexts }) => {
  const data = poolData<CandidateFactsData>();
  facts ??= new CandidateFacts(data.index ? EvalIndex.fromShared(data.index) : undefined, data.near);
  const count = texts?.length ?? nearTexts?.length ?? 0;
  const out = [];
  for (let i = 0; i < count; i++) out.push(facts.of(texts?.[i], data.near ? (nearTexts ?? texts)?.[i] : undefined));
  const packed = packFacts(out, data.near?.bands ?? 0);
  return { result: packed, transfer: transferOfFacts(packed) };
});
