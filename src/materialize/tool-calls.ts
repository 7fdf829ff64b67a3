/**
 * Tool calls in the two forms trainers read, converted both ways at render time:
 *
 * - OpenAI / TRL (`schema: messages`): an assistant turn with `tool_calls: [{id, type: function,
 *   function: {name, arguments}}]` (arguments a JSON string) and `content: null`, each result a
 *   `tool` turn naming its call's `tool_call_id`; `tools` a list of `{type: function, function}`.
 * - LLaMA-Factory's ShareGPT (`schema: sharegpt`): a `function_call` turn whose value is the JSON
 *   of `{name, arguments}` (a list for parallel calls, arguments an object), each result an
 *   `observation` turn; `tools` one JSON string (data/README.md of LLaMA-Factory).
 *
 * Inputs arrive in either form (the sharegpt preset keeps `function_call` and `observation` as
 * roles; the openai preset keeps `tool_calls` among a message's extras), so each output converts
 * what it does not speak. Call ids are made up (`call_0`, `call_1`… in record order) when the
 * input has none: they only pair a call with its result inside one record.
 */
import { MixsmithError } from '../errors.js';
import type { Message, Sample } from '../sample.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** One OpenAI tool call. */
export interface ToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

function badTools(sample: Sample, why: string): MixsmithError {
  return new MixsmithError('INPUT_FIELD_TYPE', `${sample.origin}: ${why}`, {
    where: { file: sample.origin },
    hint: 'fix the record at its source, or drop such records with the source filters',
  });
}

/** The record's tool definitions as a list, whatever form they came in (a JSON string or a list); undefined when there are none. */
export function toolList(sample: Sample): readonly unknown[] | undefined {
  let tools = sample.meta.tools;
  if (tools === undefined || tools === null || tools === '') return undefined;
  if (typeof tools === 'string') {
    try {
      tools = JSON.parse(tools);
    } catch {
      throw badTools(sample, 'field "tools" is a string but not JSON');
    }
  }
  const list = Array.isArray(tools) ? tools : [tools];
  return list.length === 0 ? undefined : list;
}

/** OpenAI's tool form: `{type: function, function: {name, description, parameters}}`; bare function definitions are wrapped. */
export function openAiTools(list: readonly unknown[]): unknown[] {
  return list.map((tool) =>
    isObject(tool) && tool.type === undefined && typeof tool.name === 'string'
      ? { type: 'function', function: tool }
      : tool,
  );
}

/** The calls one `function_call` turn makes: its value is `{name, arguments}` or a list of them. */
function parseFunctionCall(sample: Sample, value: string): { name: string; arguments: unknown }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw badTools(sample, `a function_call turn is not JSON: ${JSON.stringify(value.slice(0, 80))}`);
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  return calls.map((call) => {
    if (!isObject(call) || typeof call.name !== 'string')
      throw badTools(sample, 'a function_call turn is not {"name", "arguments"}');
    return { name: call.name, arguments: call.arguments ?? {} };
  });
}

const argumentsText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The turns in OpenAI form: `function_call` turns become assistant turns with `tool_calls`,
 * `observation` turns become `tool` turns answering the oldest unanswered call (or the last call).
 */
export function toOpenAiTurns(sample: Sample, messages: readonly Message[]): Message[] {
  if (!messages.some((m) => m.role === 'function_call' || m.role === 'observation')) return [...messages];
  const out: Message[] = [];
  const pending: string[] = [];
  let lastId: string | undefined;
  let next = 0;
  for (const m of messages) {
    if (m.role === 'function_call') {
      const tool_calls: ToolCall[] = parseFunctionCall(sample, m.content).map((call) => {
        const id = `call_${next++}`;
        pending.push(id);
        lastId = id;
        return { id, type: 'function', function: { name: call.name, arguments: argumentsText(call.arguments) } };
      });
      out.push({ role: 'assistant', content: '', extra: { tool_calls } });
    } else if (m.role === 'observation') {
      const id = pending.shift() ?? lastId;
      out.push(
        id === undefined
          ? { role: 'tool', content: m.content }
          : { role: 'tool', content: m.content, extra: { tool_call_id: id } },
      );
    } else {
      out.push(m);
    }
  }
  return out;
}

/** An assistant turn's OpenAI tool calls as LLaMA-Factory's function_call value; undefined when it calls none. */
export function functionCallValue(message: Message): string | undefined {
  const calls = message.extra?.tool_calls;
  if (!Array.isArray(calls) || calls.length === 0) return undefined;
  const plain = calls.map((call: unknown) => {
    const fn = isObject(call) && isObject(call.function) ? call.function : isObject(call) ? call : {};
    let args: unknown = fn.arguments ?? {};
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args);
      } catch {
        // Arguments that are not JSON stay the string they were.
      }
    }
    return { name: fn.name, arguments: args };
  });
  return JSON.stringify(plain.length === 1 ? plain[0] : plain);
}
