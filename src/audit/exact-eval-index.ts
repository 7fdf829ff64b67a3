/**
 * Every eval item's content key and prompt key, with a bit per eval set (up to 32 sets), so one
 * lookup per audited record says which sets it overlaps exactly. Eval sets are held whole (a
 * fingerprint per item); the audited data is streamed past them.
 *
 * This is the exact side of eval overlap (same normalised content, or same prompt: a question
 * pasted with another answer). What counts as contamination is the n-gram rule of
 * `decontam/eval-index.ts`, as compose's `decontaminate:` applies it; these columns say which of
 * those hits are whole copies, and catch copied prompts whose answers differ too much for it.
 */
import { MixsmithError } from '../errors.js';
import { FingerprintMap } from './fingerprint-map.js';
import type { RecordKeys } from './record-keys.js';

/** One bit per set in a 32-bit value. */
export const MAX_EVAL_SETS = 32;

/** An eval set's name (as rules cite it), its files and its item count. */
export interface EvalSetInfo {
  readonly name: string;
  readonly paths: readonly string[];
  records: number;
}

/** Which sets a record matches exactly, as bit sets. */
export interface EvalMatch {
  /** Bit i set: the record's whole content is an item of eval set i. */
  readonly content: number;
  /** Bit i set: the record's prompt is the prompt of an item of eval set i. */
  readonly prompt: number;
}

/** Exact content and prompt keys of every eval item, a bit per set. */
export class ExactEvalIndex {
  readonly sets: EvalSetInfo[] = [];
  private readonly content = new FingerprintMap();
  private readonly prompts = new FingerprintMap();

  /** Register a set; returns its index. */
  addSet(name: string, paths: readonly string[]): number {
    if (this.sets.length === MAX_EVAL_SETS) {
      throw new MixsmithError('USAGE', `at most ${MAX_EVAL_SETS} --eval sets are supported`, {
        hint: 'merge small eval sets into one folder and pass the folder',
      });
    }
    this.sets.push({ name, paths, records: 0 });
    return this.sets.length - 1;
  }

  addItem(set: number, keys: RecordKeys): void {
    this.sets[set]!.records++;
    if (keys.empty) return;
    const bit = (1 << set) >>> 0;
    this.content.or(keys.key, bit);
    if (keys.prompt) this.prompts.or(keys.prompt, bit);
  }

  /** Distinct contents of set i. */
  distinct(set: number): number {
    const bit = (1 << set) >>> 0;
    let n = 0;
    for (const [, , bits] of this.content.entries()) if (bits & bit) n++;
    return n;
  }

  get isEmpty(): boolean {
    return this.sets.length === 0;
  }

  match(keys: RecordKeys): EvalMatch {
    if (keys.empty || this.sets.length === 0) return { content: 0, prompt: 0 };
    return {
      content: this.content.get(keys.key) ?? 0,
      prompt: keys.prompt ? (this.prompts.get(keys.prompt) ?? 0) : 0,
    };
  }
}
