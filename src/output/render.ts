/**
 * A `Sample` in the output schema the recipe asks for, plus provenance fields. One function per
 * schema; each returns a plain object that becomes one JSON line.
 */
import { MixsmithError } from '../errors.js';
import type { OutputSchema } from '../recipe/types.js';
import type { Message, Sample } from '../sample.js';

export type OutputRecord = Record<string, unknown>;

/** The fields provenance adds to every record. */
export const PROVENANCE_FIELDS = ['source', 'group', 'origin'] as const;

function chatMessages(sample: Sample, schema: OutputSchema): readonly Message[] {
  if (sample.body.kind !== 'chat') {
    throw new MixsmithError('RECIPE_CONFLICT', `source "${sample.source}" holds plain text, which output.schema ${schema} cannot express`, {
      where: { file: sample.origin },
      hint: 'use output.schema: text or passthrough, or map the source to chat turns',
    });
  }
  return sample.body.messages;
}

function messagesRecord(sample: Sample): OutputRecord {
  const messages = chatMessages(sample, 'messages').map((m) => ({ role: m.role, content: m.content, ...(m.extra ?? {}) }));
  return sample.meta.tools === undefined ? { messages } : { messages, tools: sample.meta.tools };
}

const SHAREGPT_FROM: Record<string, string> = { user: 'human', assistant: 'gpt' };

/** LLaMA-Factory's ShareGPT: human/gpt turns, the system prompt as a top-level field. */
function sharegptRecord(sample: Sample): OutputRecord {
  const messages = chatMessages(sample, 'sharegpt');
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const conversations = messages.filter((m) => m.role !== 'system').map((m) => ({ from: SHAREGPT_FROM[m.role] ?? m.role, value: m.content }));
  return system.length > 0 ? { conversations, system: system.join('\n') } : { conversations };
}

/** Alpaca: the last user/assistant pair as instruction/output, earlier pairs as history. */
function alpacaRecord(sample: Sample): OutputRecord {
  const messages = chatMessages(sample, 'alpaca');
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns = messages.filter((m) => m.role === 'user' || m.role === 'assistant');
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < turns.length; i += 2) {
    const user = turns[i]!;
    const assistant = turns[i + 1]!;
    if (user.role !== 'user' || assistant.role !== 'assistant') {
      throw new MixsmithError('RECIPE_CONFLICT', `record ${sample.origin} does not alternate user and assistant turns, so it has no alpaca form`, {
        where: { file: sample.origin },
        hint: 'use output.schema: messages for conversations that are not question/answer pairs',
      });
    }
    pairs.push([user.content, assistant.content]);
  }
  const last = pairs.pop();
  if (!last) {
    throw new MixsmithError('RECIPE_CONFLICT', `record ${sample.origin} has no user/assistant pair, so it has no alpaca form`, { where: { file: sample.origin } });
  }
  const record: OutputRecord = { instruction: last[0], input: '', output: last[1] };
  if (system.length > 0) record.system = system.join('\n');
  if (pairs.length > 0) record.history = pairs;
  return record;
}

function textRecord(sample: Sample): OutputRecord {
  if (sample.body.kind !== 'text') {
    throw new MixsmithError('RECIPE_CONFLICT', `source "${sample.source}" holds chat turns; output.schema text needs a chat template, which this version does not apply`, {
      where: { file: sample.origin },
      hint: 'use output.schema: messages (trainers apply the model\'s own chat template)',
    });
  }
  return { text: sample.body.text };
}

function passthroughRecord(sample: Sample): OutputRecord {
  return sample.raw !== null && typeof sample.raw === 'object' && !Array.isArray(sample.raw) ? { ...(sample.raw as OutputRecord) } : { value: sample.raw };
}

const RENDERERS: Record<OutputSchema, (sample: Sample) => OutputRecord> = {
  messages: messagesRecord,
  sharegpt: sharegptRecord,
  alpaca: alpacaRecord,
  text: textRecord,
  passthrough: passthroughRecord,
};

export function renderRecord(sample: Sample, schema: OutputSchema, provenance: boolean): OutputRecord {
  const record = RENDERERS[schema](sample);
  if (provenance) {
    record.source = sample.source;
    record.group = sample.group;
    record.origin = sample.origin;
  }
  return record;
}

/** Why a body of this kind cannot be written in `schema`, or undefined when it can. */
export function bodyConflict(kind: Sample['body']['kind'], schema: OutputSchema): string | undefined {
  if (schema === 'passthrough') return undefined;
  if (schema === 'text' && kind === 'chat') return 'holds chat turns, but output.schema text needs plain-text sources (a chat template is not applied by this version)';
  if (schema !== 'text' && kind === 'text') return `holds plain text, which output.schema ${schema} cannot express`;
  return undefined;
}
