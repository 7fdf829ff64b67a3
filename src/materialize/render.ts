/**
 * A `Sample` in the output schema the recipe asks for, plus provenance fields. One function per
 * schema; each returns a plain object that becomes one JSON line (or one Parquet row).
 */
import { MixsmithError } from '../errors.js';
import type { OutputSchema, OutputSpec } from '../recipe/types.js';
import type { Message, Sample } from '../sample.js';
import { applyTemplate, resolveTemplate } from '../recipe/chat-templates.js';
import { openAiProblems } from './openai-format.js';

/** The parts of the output spec that decide how one record looks. */
export type RenderSpec = Pick<OutputSpec, 'schema' | 'provenance' | 'template' | 'target'>;

export type OutputRecord = Record<string, unknown>;


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

function textRecord(sample: Sample, spec: RenderSpec): OutputRecord {
  if (sample.body.kind === 'text') return { text: sample.body.text };
  const template = spec.template === null ? undefined : resolveTemplate(spec.template);
  if (!template) {
    throw new MixsmithError('RECIPE_CONFLICT', `source "${sample.source}" holds chat turns; output.schema text needs output.template to turn them into text`, {
      where: { file: sample.origin },
      hint: 'set output.template (chatml, llama3, zephyr, or a pattern with {role} and {content}), or use output.schema: messages',
    });
  }
  return { text: applyTemplate(template, sample.body.messages) };
}

/** The record as it was; a copy only when provenance fields will be added to it. */
function passthroughRecord(sample: Sample, spec: RenderSpec): OutputRecord {
  if (sample.raw === null || typeof sample.raw !== 'object' || Array.isArray(sample.raw)) return { value: sample.raw };
  return spec.provenance ? { ...(sample.raw as OutputRecord) } : (sample.raw as OutputRecord);
}

const RENDERERS: Record<OutputSchema, (sample: Sample, spec: RenderSpec) => OutputRecord> = {
  messages: messagesRecord,
  sharegpt: sharegptRecord,
  alpaca: alpacaRecord,
  text: textRecord,
  passthrough: passthroughRecord,
};

/** Refuse a record OpenAI's fine-tuning API would reject, naming its origin and the first rule it breaks. */
function checkOpenAi(record: OutputRecord, sample: Sample): void {
  const problems = openAiProblems(record);
  if (problems.length === 0) return;
  throw new MixsmithError('INPUT_TARGET', `${sample.origin} is not a valid OpenAI fine-tuning example: ${problems.join('; ')}`, {
    where: { file: sample.origin },
    hint: 'fix or drop the record at its source, or write it without output.target: openai',
  });
}

/** The record as one JSON line (or Parquet row) shows it. */
export function renderOutput(sample: Sample, spec: RenderSpec): OutputRecord {
  const record = RENDERERS[spec.schema](sample, spec);
  if (spec.target === 'openai') checkOpenAi(record, sample);
  if (spec.provenance) {
    record.source = sample.source;
    record.group = sample.group;
    record.origin = sample.origin;
  }
  return record;
}

