/**
 * A `Sample` in the output schema the recipe asks for, plus provenance fields. One function per
 * schema; each returns a plain object that becomes one JSON line (or one Parquet row).
 */
import { MixsmithError } from '../errors.js';
import type { OutputSchema, OutputSpec } from '../recipe/types.js';
import type { Message, Sample } from '../sample.js';
import { applyTemplate, resolveTemplate } from '../recipe/chat-templates.js';
import { openAiProblems } from './openai-format.js';
import { metaText } from './output-meta.js';
import { markExact, mayHoldInexactNumber, parseExact, withExactNumbers } from '../json/exact-numbers.js';
import { functionCallValue, openAiTools, type ToolCall, toOpenAiTurns, toolList } from './tool-calls.js';

/** The parts of the output spec that decide how one record looks (and which records the layouts can describe). */
export type RenderSpec = Pick<OutputSpec, 'schema' | 'provenance' | 'template' | 'target'> &
  Partial<Pick<OutputSpec, 'layouts' | 'format'>> & {
    /** The mappings' meta keys (output-meta.ts); absent or empty: records have no `meta`. */
    readonly metaKeys?: readonly string[] | undefined;
  };

export type OutputRecord = Record<string, unknown>;

function chatMessages(sample: Sample, schema: OutputSchema): readonly Message[] {
  if (sample.body.kind !== 'chat') {
    throw new MixsmithError(
      'RECIPE_CONFLICT',
      `source "${sample.source}" holds plain text, which output.schema ${schema} cannot express`,
      {
        where: { file: sample.origin },
        hint: 'use output.schema: text or passthrough, or map the source to chat turns',
      },
    );
  }
  return sample.body.messages;
}

/** The keys a message may have in the messages schema besides role and content: OpenAI's. */
function messageKeys(m: Message, out: OutputRecord): void {
  const extra = m.extra;
  if (!extra) return;
  if (typeof extra.name === 'string') out.name = extra.name;
  if (extra.weight === 0 || extra.weight === 1) out.weight = extra.weight;
  if (Array.isArray(extra.tool_calls) && extra.tool_calls.length > 0) out.tool_calls = extra.tool_calls.map(toolCall);
  if (typeof extra.tool_call_id === 'string') out.tool_call_id = extra.tool_call_id;
}

/** One call in OpenAI's shape, whatever the input nested or omitted (arguments as a JSON string). */
function toolCall(call: unknown, index: number): ToolCall {
  const c = (call !== null && typeof call === 'object' ? call : {}) as Record<string, unknown>;
  const fn = (c.function !== null && typeof c.function === 'object' ? c.function : c) as Record<string, unknown>;
  const args = fn.arguments ?? {};
  return {
    id: typeof c.id === 'string' ? c.id : `call_${index}`,
    type: 'function',
    function: { name: String(fn.name ?? ''), arguments: typeof args === 'string' ? args : JSON.stringify(args) },
  };
}

/** The turns in OpenAI's form: `{role, content}` plus the OpenAI keys each has. */
function openAiMessages(sample: Sample, schema: OutputSchema): OutputRecord[] {
  return toOpenAiTurns(sample, chatMessages(sample, schema)).map((m) => {
    const out: OutputRecord = { role: m.role, content: m.content };
    messageKeys(m, out);
    // A turn that only calls tools has no content in OpenAI's form.
    if (out.tool_calls !== undefined && m.content === '') out.content = null;
    return out;
  });
}

/**
 * OpenAI / TRL chat: every message `{role, content}` plus the OpenAI keys it has (name, weight,
 * tool_calls, tool_call_id; no others, so every shard has one message shape); ShareGPT tool turns
 * become tool_calls and tool turns. `tools` is on every record (null when it has none), except
 * for the OpenAI target, which writes it only when there are tools.
 */
function messagesRecord(sample: Sample, spec: RenderSpec): OutputRecord {
  const messages = openAiMessages(sample, 'messages');
  if (spec.layouts?.includes('llama-factory') && messages.some((m) => m.tool_calls !== undefined || m.role === 'tool'))
    throw llamaFactoryToolCalls(sample);
  const tools = toolList(sample);
  if (spec.target === 'openai') return tools === undefined ? { messages } : { messages, tools: openAiTools(tools) };
  return { messages, tools: tools === undefined ? null : openAiTools(tools) };
}

/**
 * LLaMA-Factory reads OpenAI tool calls only through its `openai` converter, which also rewrites
 * every system prompt (converter.py adds "detailed thinking off"); its `sharegpt` converter would
 * train an empty assistant turn in place of the call. So a messages mixture with tool calls gets
 * no dataset_info.json: refused, with the two ways out.
 */
function llamaFactoryToolCalls(sample: Sample): MixsmithError {
  return new MixsmithError(
    'RECIPE_CONFLICT',
    "a selected record calls tools, which LLaMA-Factory's dataset_info.json cannot describe for output.schema messages",
    {
      where: { file: sample.origin },
      hint: 'write output.schema: sharegpt (LLaMA-Factory reads its tool calls; axolotl and the card too), or leave llama-factory out: output.layouts: [huggingface, axolotl]',
    },
  );
}

const SHAREGPT_FROM: Record<string, string> = { user: 'human', assistant: 'gpt', tool: 'observation' };

/**
 * LLaMA-Factory's ShareGPT: human/gpt turns, tool calls as function_call/observation turns, the
 * system prompt as a first `system` turn (LLaMA-Factory and axolotl both read it there; a
 * top-level column would be a null system turn in axolotl), `tools` on every record as one JSON
 * string, or null.
 */
function sharegptRecord(sample: Sample): OutputRecord {
  const messages = chatMessages(sample, 'sharegpt');
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const conversations = system.length > 0 ? [{ from: 'system', value: system.join('\n') }] : [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const call = m.role === 'assistant' ? functionCallValue(m) : undefined;
    conversations.push(
      call === undefined
        ? { from: SHAREGPT_FROM[m.role] ?? m.role, value: m.content }
        : { from: 'function_call', value: call },
    );
  }
  const tools = toolList(sample);
  const raw = sample.meta.tools;
  return { conversations, tools: tools === undefined ? null : typeof raw === 'string' ? raw : JSON.stringify(tools) };
}

/**
 * Alpaca: the last user/assistant pair as instruction/output, earlier pairs as history. Every
 * record has all five keys (`system` "" and `history` [] when there are none): LLaMA-Factory
 * reads every column its entry names from every row.
 */
function alpacaRecord(sample: Sample): OutputRecord {
  const messages = chatMessages(sample, 'alpaca');
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns = messages.filter((m) => m.role !== 'system');
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < turns.length; i += 2) {
    const user = turns[i]!;
    const assistant = turns[i + 1]!;
    if (user.role !== 'user' || assistant.role !== 'assistant') {
      throw new MixsmithError(
        'RECIPE_CONFLICT',
        `record ${sample.origin} does not alternate user and assistant turns, so it has no alpaca form`,
        {
          where: { file: sample.origin },
          hint: 'use output.schema: messages or sharegpt for conversations that are not question/answer pairs (tool calls among them)',
        },
      );
    }
    pairs.push([user.content, assistant.content]);
  }
  const last = pairs.pop();
  if (!last) {
    throw new MixsmithError(
      'RECIPE_CONFLICT',
      `record ${sample.origin} has no user/assistant pair, so it has no alpaca form`,
      { where: { file: sample.origin } },
    );
  }
  return { instruction: last[0], input: '', output: last[1], system: system.join('\n'), history: pairs };
}

/**
 * TRL's conversational prompt-completion form: `prompt` is every turn before the last assistant
 * turn (system prompt, earlier exchanges, tool calls and results), `completion` is that last turn
 * alone, messages shaped as in the messages schema; `tools` as there. TRL's SFTTrainer then
 * trains on the completion only (its default `completion_only_loss`). A conversation that does
 * not end in an assistant turn has nothing to complete: refused rather than cut.
 */
function promptCompletionRecord(sample: Sample): OutputRecord {
  const messages = openAiMessages(sample, 'prompt-completion');
  const last = messages.at(-1);
  if (last?.role !== 'assistant' || messages.length < 2) {
    throw new MixsmithError(
      'RECIPE_CONFLICT',
      `record ${sample.origin} does not end in an assistant turn after a prompt, so it has no prompt/completion form`,
      {
        where: { file: sample.origin },
        hint: 'use output.schema: messages for conversations that do not end in an answer',
      },
    );
  }
  const tools = toolList(sample);
  return { prompt: messages.slice(0, -1), completion: [last], tools: tools === undefined ? null : openAiTools(tools) };
}

function textRecord(sample: Sample, spec: RenderSpec): OutputRecord {
  if (sample.body.kind === 'text') return { text: sample.body.text };
  const template = spec.template === null ? undefined : resolveTemplate(spec.template);
  if (!template) {
    throw new MixsmithError(
      'RECIPE_CONFLICT',
      `source "${sample.source}" holds chat turns; output.schema text needs output.template to turn them into text`,
      {
        where: { file: sample.origin },
        hint: 'set output.template (chatml, llama3, zephyr, or a pattern with {role} and {content}), or use output.schema: messages',
      },
    );
  }
  return { text: applyTemplate(template, sample.body.messages) };
}

/**
 * The record as it was; a copy only when provenance fields will be added to it. Numbers a double
 * cannot hold keep their text (json/exact-numbers.ts): the record is marked so that
 * `stringifyRecord` writes them. Parquet's JSON column is written by hyparquet-writer's own
 * `JSON.stringify`, which has no way to write them: such a record is refused there, never changed.
 */
function passthroughRecord(sample: Sample, spec: RenderSpec): OutputRecord {
  const exact =
    sample.jsonText !== undefined && mayHoldInexactNumber(sample.jsonText) ? parseExact(sample.jsonText) : undefined;
  if (exact !== undefined) {
    if (spec.format === 'parquet') throw inexactForParquet(sample);
    const raw = withExactNumbers(sample.raw, exact);
    const record =
      raw === null || typeof raw !== 'object' || Array.isArray(raw) ? { value: raw } : (raw as OutputRecord);
    return markExact(record);
  }
  if (sample.raw === null || typeof sample.raw !== 'object' || Array.isArray(sample.raw)) return { value: sample.raw };
  return spec.provenance ? { ...(sample.raw as OutputRecord) } : (sample.raw as OutputRecord);
}

function inexactForParquet(sample: Sample): MixsmithError {
  return new MixsmithError(
    'INPUT_NUMBER',
    `${sample.origin} holds a number that Parquet passthrough output cannot store exactly (a JSON number beyond a double's precision or range, as 9007199254740993, 1e999999 or a 30-digit integer)`,
    {
      where: { file: sample.origin },
      hint: 'write output.format: jsonl (numbers keep their text there), or store such numbers as strings in the source',
    },
  );
}

const RENDERERS: Record<OutputSchema, (sample: Sample, spec: RenderSpec) => OutputRecord> = {
  messages: messagesRecord,
  sharegpt: sharegptRecord,
  alpaca: alpacaRecord,
  text: textRecord,
  passthrough: passthroughRecord,
  'prompt-completion': promptCompletionRecord,
};

/** Refuse a record OpenAI's fine-tuning API would reject, naming its origin and the first rule it breaks. */
function checkOpenAi(record: OutputRecord, sample: Sample): void {
  const problems = openAiProblems(record);
  if (problems.length === 0) return;
  throw new MixsmithError(
    'INPUT_TARGET',
    `${sample.origin} is not a valid OpenAI fine-tuning example: ${problems.join('; ')}`,
    {
      where: { file: sample.origin },
      hint: 'fix or drop the record at its source, or write it without output.target: openai',
    },
  );
}

/** The record as one JSON line (or Parquet row) shows it. */
export function renderOutput(sample: Sample, spec: RenderSpec): OutputRecord {
  const record = RENDERERS[spec.schema](sample, spec);
  if (spec.target === 'openai') checkOpenAi(record, sample);
  if (spec.metaKeys && spec.metaKeys.length > 0 && spec.schema !== 'passthrough')
    record.meta = metaText(sample, spec.metaKeys);
  if (spec.provenance) {
    record.source = sample.source;
    record.group = sample.group;
    record.origin = sample.origin;
  }
  return record;
}
