/**
 * The record shapes people publish, mapped to the canonical chat or text body. Each preset is a
 * plain function from a parsed record to a `SampleBody`; it throws `RecordError` with the field's
 * name when the record does not fit.
 */
import type { Message, SampleBody } from '../../sample.js';
import { describeValue, RecordError } from './record-error.js';

export type Fields = Record<string, unknown>;

export function requireString(record: Fields, field: string, preset: string): string {
  const value = record[field];
  if (value === undefined || value === null) {
    throw new RecordError(
      'INPUT_FIELD_MISSING',
      `missing field "${field}" (schema ${preset})`,
      `every ${preset} record needs "${field}"; map other names with a schema mapping`,
    );
  }
  if (typeof value !== 'string') {
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `field "${field}" must be a string, got ${describeValue(value)} (schema ${preset})`,
    );
  }
  return value;
}

function optionalString(record: Fields, field: string, preset: string): string | undefined {
  const value = record[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `field "${field}" must be a string, got ${describeValue(value)} (schema ${preset})`,
    );
  }
  return value;
}

function historyTurns(record: Fields, preset: string): Message[] {
  const history = record.history;
  if (history === undefined || history === null) return [];
  if (!Array.isArray(history)) {
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `field "history" must be a list of [question, answer] pairs, got ${describeValue(history)} (schema ${preset})`,
    );
  }
  const turns: Message[] = [];
  for (const pair of history) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new RecordError(
        'INPUT_FIELD_TYPE',
        `field "history" must hold [question, answer] string pairs (schema ${preset})`,
      );
    }
    turns.push({ role: 'user', content: pair[0] }, { role: 'assistant', content: pair[1] });
  }
  return turns;
}

/** instruction (+ input joined by a newline, as LLaMA-Factory does) → user; output → assistant. */
export function alpaca(record: Fields): SampleBody {
  const instruction = requireString(record, 'instruction', 'alpaca');
  const input = optionalString(record, 'input', 'alpaca');
  const output = requireString(record, 'output', 'alpaca');
  const system = optionalString(record, 'system', 'alpaca');
  const messages: Message[] = [];
  if (system) messages.push({ role: 'system', content: system });
  messages.push(...historyTurns(record, 'alpaca'));
  messages.push({ role: 'user', content: input ? `${instruction}\n${input}` : instruction });
  messages.push({ role: 'assistant', content: output });
  return { kind: 'chat', messages };
}

/** Databricks Dolly: instruction (+ context) → user; response → assistant. */
export function dolly(record: Fields): SampleBody {
  const instruction = requireString(record, 'instruction', 'dolly');
  const context = optionalString(record, 'context', 'dolly');
  const response = requireString(record, 'response', 'dolly');
  return {
    kind: 'chat',
    messages: [
      { role: 'user', content: context ? `${instruction}\n${context}` : instruction },
      { role: 'assistant', content: response },
    ],
  };
}

const SHAREGPT_ROLES: Record<string, string> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bard: 'assistant',
  bing: 'assistant',
  model: 'assistant',
  system: 'system',
  function_call: 'function_call',
  observation: 'observation',
  tool: 'tool',
  // ToolLLaMA/ToolBench and OpenAI's legacy role: a tool's output, never a training target.
  function: 'tool',
};

export function sharegpt(record: Fields): SampleBody {
  const conversations = record.conversations;
  if (conversations === undefined || conversations === null) {
    throw new RecordError('INPUT_FIELD_MISSING', 'missing field "conversations" (schema sharegpt)');
  }
  if (!Array.isArray(conversations)) {
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `field "conversations" must be a list, got ${describeValue(conversations)} (schema sharegpt)`,
    );
  }
  const messages: Message[] = [];
  const system = optionalString(record, 'system', 'sharegpt');
  if (system) messages.push({ role: 'system', content: system });
  conversations.forEach((turn: unknown, i) => {
    if (turn === null || typeof turn !== 'object') {
      throw new RecordError(
        'INPUT_FIELD_TYPE',
        `conversations[${i}] must be an object with "from" and "value" (schema sharegpt)`,
      );
    }
    // Some exports write ShareGPT turns with OpenAI's keys; both spellings are ShareGPT in the wild.
    const fields = turn as Fields;
    const from = fields.from ?? fields.role;
    const value = fields.value ?? fields.content;
    if (typeof from !== 'string')
      throw new RecordError('INPUT_FIELD_MISSING', `conversations[${i}] has no string "from" (schema sharegpt)`);
    if (typeof value !== 'string')
      throw new RecordError(
        'INPUT_FIELD_TYPE',
        `conversations[${i}].value must be a string, got ${describeValue(value)} (schema sharegpt)`,
      );
    const role = SHAREGPT_ROLES[from.toLowerCase()];
    if (!role) {
      throw new RecordError(
        'INPUT_FIELD_TYPE',
        `conversations[${i}] has an unknown role "${from}" (schema sharegpt)`,
        `known roles: ${Object.keys(SHAREGPT_ROLES).join(', ')}; for others map each to user, assistant, system or tool (a tool's output is tool, so it never becomes a training target): schema: { messages: { from: conversations, role: from, content: value, roles: { ${from}: user | assistant | system | tool } } }`,
      );
    }
    messages.push({ role, content: value });
  });
  return { kind: 'chat', messages };
}

/** The text of one content part: OpenAI's `{type: text, text}`, or LLaMA-Factory v1's `{type: text, value}`. */
function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (!part || typeof part !== 'object') return '';
  const { text, value } = part as Fields;
  return typeof text === 'string' ? text : typeof value === 'string' ? value : '';
}

/** OpenAI content may be a string, null (a tool-call turn) or a list of parts. */
function openaiContent(content: unknown, index: number): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) return content.map(partText).join('');
  throw new RecordError(
    'INPUT_FIELD_TYPE',
    `messages[${index}].content must be a string, got ${describeValue(content)} (schema openai)`,
  );
}

export function openai(record: Fields): SampleBody {
  const list = record.messages;
  if (list === undefined || list === null)
    throw new RecordError('INPUT_FIELD_MISSING', 'missing field "messages" (schema openai)');
  if (!Array.isArray(list))
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `field "messages" must be a list, got ${describeValue(list)} (schema openai)`,
    );
  const messages = list.map((item: unknown, i): Message => {
    if (item === null || typeof item !== 'object')
      throw new RecordError('INPUT_FIELD_TYPE', `messages[${i}] must be an object (schema openai)`);
    const { role, content, ...extra } = item as Fields;
    if (typeof role !== 'string')
      throw new RecordError('INPUT_FIELD_MISSING', `messages[${i}] has no string "role" (schema openai)`);
    const message: Message = { role, content: openaiContent(content, i) };
    return Object.keys(extra).length > 0 ? { ...message, extra } : message;
  });
  return { kind: 'chat', messages };
}

/**
 * `prompt`/`completion` strings (one exchange), or TRL's conversational form: two lists of
 * OpenAI messages (mixsmith's `prompt-completion` output), read as one conversation.
 */
export function promptCompletion(record: Fields): SampleBody {
  if (Array.isArray(record.prompt) && Array.isArray(record.completion))
    return openai({ messages: [...record.prompt, ...record.completion] });
  return {
    kind: 'chat',
    messages: [
      { role: 'user', content: requireString(record, 'prompt', 'prompt-completion') },
      { role: 'assistant', content: requireString(record, 'completion', 'prompt-completion') },
    ],
  };
}

export function text(record: Fields): SampleBody {
  return { kind: 'text', text: requireString(record, 'text', 'text') };
}
