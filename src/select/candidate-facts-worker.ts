/**
 * A filter worker: batches of candidates' texts, or of their bytes (read again here as the scan
 * read them, records/read/reread-record.ts), in; their facts out (`candidate-facts.ts`), matched
 * with the pool's shared eval index (read in place, never copied or rebuilt).
 */
import { EvalIndex } from '../decontam/eval-index.js';
import { type CompiledReread, compileReread, rereadAt, rereadFailure } from '../records/read/reread-record.js';
import { poolData, serveBatches } from '../workers/serve-batches.js';
import {
  type CandidateFact,
  CandidateFacts,
  factTexts,
  packFacts,
  type PackedFacts,
  transferOfFacts,
} from './candidate-facts.js';
import type { CandidateBytes, CandidateFactsData, CandidateTexts, FactsOfBytes } from './candidate-facts-pool.js';

let facts: CandidateFacts | undefined;
let compiled: CompiledReread<CandidateBytes['context']> | undefined;

function factsOfBytes({ context, input }: CandidateBytes): CandidateFact[] | FactsOfBytes {
  if (compiled?.context.file !== context.file) compiled = compileReread(context);
  const out: CandidateFact[] = [];
  for (let i = 0, start = 0; i < input.ends.length; start = input.ends[i++]!) {
    try {
      const record = rereadAt(input, i, start, compiled);
      if (!record) return { changedAt: i };
      const { text, nearText } = factTexts(record.body, context);
      out.push(facts!.of(text, nearText));
    } catch (error) {
      return rereadFailure(error, i);
    }
  }
  return out;
}

serveBatches<CandidateTexts | CandidateBytes, PackedFacts | FactsOfBytes>((batch) => {
  const data = poolData<CandidateFactsData>();
  facts ??= new CandidateFacts(data.index ? EvalIndex.fromShared(data.index) : undefined, data.near);
  const bands = data.near?.bands ?? 0;
  if ('input' in batch) {
    const out = factsOfBytes(batch);
    if (!Array.isArray(out)) return { result: out };
    const packed = packFacts(out, bands);
    return {
      result: { ...packed, input: batch.input.bytes },
      transfer: [...transferOfFacts(packed), batch.input.bytes.buffer as ArrayBuffer],
    };
  }
  const { texts, nearTexts } = batch;
  const count = texts?.length ?? nearTexts?.length ?? 0;
  const out = [];
  for (let i = 0; i < count; i++) out.push(facts.of(texts?.[i], data.near ? (nearTexts ?? texts)?.[i] : undefined));
  const packed = packFacts(out, bands);
  return { result: packed, transfer: transferOfFacts(packed) };
});
