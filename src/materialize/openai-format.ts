/**
 * OpenAI's published rules for chat fine-tuning files, as a checker: mixsmith runs it on every
 * record of an `output.target: openai` mixture, and tests run it on the files written.
 *
 * From the fine-tuning guide and OpenAI's data-preparation notebook: one JSON object per line;
 * `messages` is required and only `tools`, `parallel_tool_calls` and `functions` may sit beside
 * it; roles are system, user, assistant or tool; content is non-empty text (an assistant turn
 * that calls tools may omit it); `weight` (0 or 1) only on assistant turns; at least one
 * assistant turn. Turn order: system turns first, then user and assistant alternate, starting
 * with user; tool results follow an assistant turn that called tools.
 */

export const OPENAI_ROLES = ['system', 'user', 'assistant', 'tool'] as const;

const TOP_LEVEL_KEYS = new Set(['messages', 'tools', 'parallel_tool_calls', 'functions']);
const MESSAGE_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(['role', 'content', 'name']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set(['role', 'content', 'name', 'weight', 'tool_calls', 'function_call']),
  tool: new Set(['role', 'content', 'tool_call_id']),
};

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const callsTools = (m: Json) => (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) || isObject(m.function_call);

function messageProblems(m: unknown, at: string): string[] {
  if (!isObject(m)) return [`${at} must be an object`];
  const role = m.role;
  if (typeof role !== 'string' || !(OPENAI_ROLES as readonly string[]).includes(role)) {
    return [`${at}.role must be one of ${OPENAI_ROLES.join(', ')}; got ${JSON.stringify(role)}`];
  }
  const problems: string[] = [];
  for (const key of Object.keys(m)) {
    if (!MESSAGE_KEYS[role]!.has(key))
      problems.push(`${at} (${role}) has key "${key}", which OpenAI does not accept there`);
  }
  const content = m.content;
  const mayOmit = role === 'assistant' && callsTools(m);
  if (content === undefined || content === null) {
    if (!mayOmit) problems.push(`${at} (${role}) has no content`);
  } else if (typeof content !== 'string') {
    problems.push(`${at}.content must be a string`);
  } else if (content.trim() === '' && !mayOmit) {
    problems.push(`${at} (${role}) has empty content`);
  }
  if (m.weight !== undefined && m.weight !== 0 && m.weight !== 1) problems.push(`${at}.weight must be 0 or 1`);
  if (role === 'tool' && typeof m.tool_call_id !== 'string') problems.push(`${at} (tool) needs a string tool_call_id`);
  return problems;
}

/** Which roles may follow `previous` (undefined at the start, or after the system turns). */
function orderProblem(previous: Json | undefined, role: string, at: string): string | undefined {
  const before = previous?.role;
  if (role === 'system')
    return before === undefined || before === 'system'
      ? undefined
      : `${at} is a system turn after the conversation started`;
  if (before === undefined || before === 'system')
    return role === 'user' ? undefined : `${at} (${role}) comes first; the first turn after system must be user`;
  if (role === 'user')
    return before === 'assistant'
      ? undefined
      : `${at} (user) follows a ${before} turn; user and assistant must alternate`;
  if (role === 'assistant')
    return before === 'user' || before === 'tool'
      ? undefined
      : `${at} (assistant) follows an assistant turn; user and assistant must alternate`;
  // tool
  if (before === 'tool' || (before === 'assistant' && callsTools(previous!))) return undefined;
  return `${at} (tool) does not follow an assistant turn that called a tool`;
}

/** Every way `record` breaks the rules; empty when it is a valid training example. */
export function openAiProblems(record: unknown): string[] {
  if (!isObject(record)) return ['the line is not a JSON object'];
  const problems: string[] = [];
  for (const key of Object.keys(record)) {
    if (!TOP_LEVEL_KEYS.has(key))
      problems.push(
        `top-level key "${key}" is not part of the format (only messages, tools, parallel_tool_calls, functions)`,
      );
  }
  const messages = record.messages;
  if (!Array.isArray(messages) || messages.length === 0) return [...problems, 'messages must be a non-empty list'];
  let previous: Json | undefined;
  messages.forEach((m: unknown, i) => {
    const at = `messages[${i}]`;
    const found = messageProblems(m, at);
    problems.push(...found);
    if (found.length > 0 || !isObject(m)) return;
    const problem = orderProblem(previous, m.role as string, at);
    if (problem) problems.push(problem);
    previous = m;
  });
  if (!messages.some((m: unknown) => isObject(m) && m.role === 'assistant'))
    problems.push('there is no assistant turn to learn from');
  return problems;
}

/** A whole file's text: each problem with its 1-based line. */
export function openAiFileProblems(text: string): { readonly line: number; readonly problem: string }[] {
  const found: { line: number; problem: string }[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      found.push({ line: i + 1, problem: 'the line is not valid JSON' });
      return;
    }
    for (const problem of openAiProblems(record)) found.push({ line: i + 1, problem });
  });
  return found;
}

/** OpenAI's file limits: a training file of at least 10 examples, no file over 512 MB (counted as 10^6 bytes, the stricter reading). */
export const OPENAI_MIN_TRAINING_EXAMPLES = 10;
export const OPENAI_MAX_FILE_BYTES = 512_000_000;

/** Every way a mixture's files break OpenAI's limits; empty when a job can take them. */
export function openAiLimitProblems(
  files: readonly { readonly path: string; readonly split: string; readonly rows: number; readonly bytes: number }[],
): string[] {
  const problems: string[] = [];
  const training = files.filter((f) => f.split === 'train').reduce((sum, f) => sum + f.rows, 0);
  if (training < OPENAI_MIN_TRAINING_EXAMPLES)
    problems.push(
      `the training file has ${training} examples; OpenAI fine-tuning needs at least ${OPENAI_MIN_TRAINING_EXAMPLES}`,
    );
  for (const f of files) {
    if (f.bytes > OPENAI_MAX_FILE_BYTES)
      problems.push(
        `${f.path} is ${f.bytes} bytes; OpenAI takes files of at most 512 MB (${OPENAI_MAX_FILE_BYTES} bytes)`,
      );
  }
  return problems;
}
