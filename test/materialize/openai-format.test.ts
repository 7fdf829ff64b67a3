/** The OpenAI chat fine-tuning checker: each rule accepts what it should and names what it refuses. */
import { describe, expect, it } from 'vitest';
import { openAiFileProblems, openAiLimitProblems, openAiProblems } from '../../src/materialize/openai-format.js';

const u = (content: string) => ({ role: 'user', content });
const a = (content: string) => ({ role: 'assistant', content });
const call = {
  role: 'assistant',
  tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
};

const VALID: [string, unknown][] = [
  ['a user/assistant pair', { messages: [u('hi'), a('hello')] }],
  [
    'system prompts, then several turns',
    { messages: [{ role: 'system', content: 's' }, { role: 'system', content: 't' }, u('1'), a('2'), u('3'), a('4')] },
  ],
  [
    'a tool call and its result',
    {
      messages: [u('q'), call, { role: 'tool', tool_call_id: 'c1', content: '42' }, a('it is 42')],
      tools: [{ type: 'function', function: { name: 'lookup' } }],
    },
  ],
  [
    'weights on assistant turns',
    {
      messages: [
        u('q'),
        { role: 'assistant', content: 'x', weight: 0 },
        u('q2'),
        { role: 'assistant', content: 'y', weight: 1 },
      ],
    },
  ],
  ['a conversation ending with a user turn', { messages: [u('q'), a('r'), u('thanks')] }],
];

const INVALID: [string, unknown, RegExp][] = [
  ['a line that is not an object', [u('x')], /not a JSON object/],
  ['no messages', { prompt: 'x' }, /top-level key "prompt"|messages must be a non-empty list/],
  ['an extra top-level key (provenance)', { messages: [u('q'), a('r')], source: 'med' }, /top-level key "source"/],
  [
    'an unknown role',
    { messages: [{ role: 'human', content: 'q' }, a('r')] },
    /role must be one of system, user, assistant, tool/,
  ],
  ['empty content', { messages: [u('  '), a('r')] }, /messages\[0\] \(user\) has empty content/],
  ['missing content', { messages: [u('q'), { role: 'assistant' }] }, /messages\[1\] \(assistant\) has no content/],
  ['non-string content', { messages: [u('q'), { role: 'assistant', content: 3 }] }, /content must be a string/],
  ['no assistant turn', { messages: [u('q')] }, /no assistant turn/],
  [
    'two user turns in a row',
    { messages: [u('q'), u('q again'), a('r')] },
    /follows a user turn; user and assistant must alternate/,
  ],
  ['two assistant turns in a row', { messages: [u('q'), a('r'), a('r again')] }, /follows an assistant turn/],
  ['assistant first', { messages: [a('r'), u('q'), a('r')] }, /first turn after system must be user/],
  [
    'system after the start',
    { messages: [u('q'), { role: 'system', content: 's' }, a('r')] },
    /system turn after the conversation started/,
  ],
  [
    'a tool result without a call',
    { messages: [u('q'), a('r'), { role: 'tool', tool_call_id: 'c', content: 'x' }] },
    /does not follow an assistant turn that called a tool/,
  ],
  [
    'a tool result without tool_call_id',
    { messages: [u('q'), call, { role: 'tool', content: 'x' }, a('r')] },
    /needs a string tool_call_id/,
  ],
  [
    'a weight other than 0 or 1',
    { messages: [u('q'), { role: 'assistant', content: 'r', weight: 0.5 }] },
    /weight must be 0 or 1/,
  ],
  [
    'a weight on a user turn',
    { messages: [{ role: 'user', content: 'q', weight: 1 }, a('r')] },
    /\(user\) has key "weight"/,
  ],
  [
    'an unknown message key',
    { messages: [u('q'), { role: 'assistant', content: 'r', source: 'x' }] },
    /has key "source"/,
  ],
];

describe('openAiProblems', () => {
  for (const [name, record] of VALID) it(`accepts ${name}`, () => expect(openAiProblems(record)).toEqual([]));
  for (const [name, record, problem] of INVALID) {
    it(`refuses ${name}`, () => {
      const problems = openAiProblems(record);
      expect(
        problems.some((p) => problem.test(p)),
        problems.join('\n'),
      ).toBe(true);
    });
  }
});

describe('openAiFileProblems', () => {
  it('checks one JSON object per line and numbers lines from 1', () => {
    const text = `${JSON.stringify({ messages: [u('q'), a('r')] })}\n{"messages": [\n${JSON.stringify({ messages: [u('q')] })}\n\n`;
    expect(openAiFileProblems(text)).toEqual([
      { line: 2, problem: 'the line is not valid JSON' },
      { line: 3, problem: 'there is no assistant turn to learn from' },
      { line: 4, problem: 'the line is not valid JSON' },
    ]);
  });
});

describe('OpenAI file limits', () => {
  const file = (split: string, rows: number, bytes = 1000) => ({
    path: `${split}-00000-of-00001.jsonl`,
    split,
    rows,
    bytes,
  });

  it('takes 10 training examples and files up to 512 MB', () => {
    expect(openAiLimitProblems([file('train', 10, 512_000_000), file('validation', 1)])).toEqual([]);
  });

  it('names each limit a mixture breaks', () => {
    expect(openAiLimitProblems([file('train', 9), file('validation', 5, 512_000_001)])).toEqual([
      'the training file has 9 examples; OpenAI fine-tuning needs at least 10',
      'validation-00000-of-00001.jsonl is 512000001 bytes; OpenAI takes files of at most 512 MB (512000000 bytes)',
    ]);
  });
});
