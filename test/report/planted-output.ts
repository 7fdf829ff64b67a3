/**
 * A copy of a composed test mixture with something in every report table: a near-duplicate pair
 * inside train, a train record's near copy in validation, and an eval item pasted into train.
 * The test corpora's numbered records are too short for near duplicates, so the pairs are prose.
 */
import path from 'node:path';
import { appendLine, asOutputLine, copyOutput, EVAL, reseal } from '../audit/mixtures.js';
import { oneWordChanged, proseRecords } from '../audit/prose.js';

export function plantNearAndEval(from: string, to: string): string {
  const out = copyOutput(from, to);
  const [a, b] = proseRecords(70_000, 2);
  const med = (line: number) => ({ source: 'med', group: 'medical', origin: `med.jsonl:${line}` });
  const train = path.join(out, 'train-00002-of-00003.jsonl');
  appendLine(train, asOutputLine(a!, med(1001)));
  appendLine(train, asOutputLine(oneWordChanged(a!), med(1002)));
  appendLine(train, asOutputLine(b!, med(1003)));
  appendLine(path.join(out, 'validation-00000-of-00001.jsonl'), asOutputLine(oneWordChanged(b!), med(1004)));
  appendLine(train, asOutputLine(EVAL[7]!, med(1005)));
  reseal(out);
  return out;
}
