/**
 * The presets whose key text (`sampleText` of the body) is built from top-level string fields
 * alone, written as data, so the byte-level key path (compose/line-keys.ts) can build that text
 * without parsing records into objects. Each plan must say exactly what its preset function in
 * presets.ts does (test/compose/line-keys.test.ts checks both paths on generated records); a
 * record the plan does not cover (a field of another type, a required field missing, a field
 * listed in `elsewhere`) takes the preset function, which reports it.
 */
import type { PresetName } from '../../recipe/types.js';

/** One field of a turn. Required: a string, '' included. Optional: absent, null and '' leave it out. */
export interface FlatPart {
  readonly field: number;
  readonly required: boolean;
}

export interface FlatKeyPlan {
  readonly body: 'chat' | 'text';
  /** Top-level fields read; parts refer to them by index. */
  readonly fields: readonly string[];
  /** Fields the preset reads in another shape: a record with one that is not null takes the preset function. */
  readonly elsewhere: readonly string[];
  /** The turns in order: each joins its present parts with '\n'; a turn with none is left out; turns join with '\n'. */
  readonly turns: readonly (readonly FlatPart[])[];
}

const required = (field: number): FlatPart => ({ field, required: true });
const optional = (field: number): FlatPart => ({ field, required: false });

export const FLAT_KEY_PLANS: Partial<Record<PresetName, FlatKeyPlan>> = {
  // system?, history (elsewhere), user: instruction + input?, assistant: output
  alpaca: {
    body: 'chat',
    fields: ['instruction', 'input', 'output', 'system'],
    elsewhere: ['history'],
    turns: [[optional(3)], [required(0), optional(1)], [required(2)]],
  },
  dolly: {
    body: 'chat',
    fields: ['instruction', 'context', 'response'],
    elsewhere: [],
    turns: [[required(0), optional(1)], [required(2)]],
  },
  'prompt-completion': {
    body: 'chat',
    fields: ['prompt', 'completion'],
    elsewhere: [],
    turns: [[required(0)], [required(1)]],
  },
  text: { body: 'text', fields: ['text'], elsewhere: [], turns: [[required(0)]] },
};
