/** Rendering one sample: chat templates for text output, and the OpenAI target's check. */
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { applyTemplate, BUILT_IN_TEMPLATES, resolveTemplate } from '../../src/recipe/chat-templates.js';
import { type RenderSpec, renderOutput } from '../../src/materialize/render.js';
import type { Message, Sample } from '../../src/sample.js';
import { openAiProblems } from '../../src/materialize/openai-format.js';

const messages: Message[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say {role} and {content} literally.' },
  { role: 'assistant', content: 'OK: {role} {content}' },
];

const sample = (body: Sample['body']): Sample => ({
  id: 's:f.jsonl:3',
  source: 's',
  group: 'g',
  origin: 'f.jsonl:3',
  body,
  meta: {},
  raw: {},
});
const spec = (over: Partial<RenderSpec>): RenderSpec => ({
  schema: 'messages',
  provenance: true,
  template: null,
  target: 'generic',
  ...over,
});

describe('chat templates', () => {
  it('chatml', () => {
    expect(applyTemplate(BUILT_IN_TEMPLATES.chatml!, messages)).toBe(
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nSay {role} and {content} literally.<|im_end|>\n<|im_start|>assistant\nOK: {role} {content}<|im_end|>\n',
    );
  });

  it('llama3, with its BOS prefix', () => {
    expect(applyTemplate(BUILT_IN_TEMPLATES.llama3!, messages.slice(1, 2))).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nSay {role} and {content} literally.<|eot_id|>',
    );
  });

  it('a custom pattern and a mapping with prefix and suffix', () => {
    expect(applyTemplate(resolveTemplate('[{role}] {content}\n')!, messages.slice(0, 1))).toBe('[system] Be brief.\n');
    expect(
      applyTemplate(
        resolveTemplate({ message: '{role}: {content}\n', prefix: '<s>', suffix: '</s>' })!,
        messages.slice(1, 2),
      ),
    ).toBe('<s>user: Say {role} and {content} literally.\n</s>');
    expect(resolveTemplate('chatm')).toBeUndefined();
    expect(resolveTemplate({ message: '{role}' })).toBeUndefined();
  });
});

describe('renderOutput', () => {
  it('renders chat turns as text through the template, with provenance', () => {
    expect(renderOutput(sample({ kind: 'chat', messages }), spec({ schema: 'text', template: 'zephyr' }))).toEqual({
      text: '<|system|>\nBe brief.</s>\n<|user|>\nSay {role} and {content} literally.</s>\n<|assistant|>\nOK: {role} {content}</s>\n',
      source: 's',
      group: 'g',
      origin: 'f.jsonl:3',
    });
  });

  it('keeps plain text as it is in text output, template or not', () => {
    expect(
      renderOutput(
        sample({ kind: 'text', text: 'raw' }),
        spec({ schema: 'text', template: 'chatml', provenance: false }),
      ),
    ).toEqual({ text: 'raw' });
  });

  it('refuses chat turns in text output without a template', () => {
    expect(() => renderOutput(sample({ kind: 'chat', messages }), spec({ schema: 'text' }))).toThrow(
      /needs output.template/,
    );
  });

  it('checks OpenAI records before provenance is added, and names the origin of a bad one', () => {
    const ok = renderOutput(sample({ kind: 'chat', messages }), spec({ target: 'openai' }));
    expect(ok).toEqual({ messages, source: 's', group: 'g', origin: 'f.jsonl:3' });
    let error: unknown;
    try {
      renderOutput(
        sample({ kind: 'chat', messages: [{ role: 'user', content: 'only a question' }] }),
        spec({ target: 'openai' }),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('INPUT_TARGET');
    expect((error as MixsmithError).message).toBe(
      'f.jsonl:3 is not a valid OpenAI fine-tuning example: there is no assistant turn to learn from',
    );
    expect((error as MixsmithError).where).toEqual({ file: 'f.jsonl:3' });
  });
});

describe('record shapes: every record of a schema has the same keys (#19)', () => {
  const plain = sample({ kind: 'chat', messages: messages.slice(1) });
  const toolSample = (meta: Sample['meta'], turns: Message[]): Sample => ({
    ...sample({ kind: 'chat', messages: turns }),
    meta,
  });
  const glaive = toolSample(
    { tools: '[{"name": "get_time", "description": "now", "parameters": {"type": "object", "properties": {}}}]' },
    [
      { role: 'user', content: 'time?' },
      { role: 'function_call', content: '{"name": "get_time", "arguments": {"tz": "UTC"}}' },
      { role: 'observation', content: '{"time": "12:00"}' },
      { role: 'assistant', content: 'It is noon.' },
    ],
  );
  const noProvenance = (over: Partial<RenderSpec>) => spec({ provenance: false, ...over });

  it('alpaca: system "" and history [] when the record has none, so LLaMA-Factory finds every column it names', () => {
    expect(renderOutput(plain, noProvenance({ schema: 'alpaca' }))).toEqual({
      instruction: messages[1]!.content,
      input: '',
      output: messages[2]!.content,
      system: '',
      history: [],
    });
    const turns = [
      messages[0]!,
      ...messages.slice(1),
      { role: 'user', content: 'again' },
      { role: 'assistant', content: 'sure' },
    ];
    expect(renderOutput(sample({ kind: 'chat', messages: turns }), noProvenance({ schema: 'alpaca' }))).toEqual({
      instruction: 'again',
      input: '',
      output: 'sure',
      system: 'Be brief.',
      history: [[messages[1]!.content, messages[2]!.content]],
    });
  });

  it('alpaca: a tool-call conversation has no alpaca form', () => {
    expect(() => renderOutput(glaive, noProvenance({ schema: 'alpaca' }))).toThrow(
      /does not alternate user and assistant turns/,
    );
  });

  it('sharegpt: the system prompt is the first turn (no top-level system column) and tools is on every record', () => {
    expect(renderOutput(sample({ kind: 'chat', messages }), noProvenance({ schema: 'sharegpt' }))).toEqual({
      conversations: [
        { from: 'system', value: 'Be brief.' },
        { from: 'human', value: messages[1]!.content },
        { from: 'gpt', value: messages[2]!.content },
      ],
      tools: null,
    });
  });

  it('sharegpt: LLaMA-Factory tool turns stay, OpenAI tool calls and tool turns become them, tools stay one JSON string', () => {
    expect(renderOutput(glaive, noProvenance({ schema: 'sharegpt' }))).toEqual({
      conversations: [
        { from: 'human', value: 'time?' },
        { from: 'function_call', value: '{"name": "get_time", "arguments": {"tz": "UTC"}}' },
        { from: 'observation', value: '{"time": "12:00"}' },
        { from: 'gpt', value: 'It is noon.' },
      ],
      tools: glaive.meta.tools,
    });
    const openai = toolSample({ tools: [{ type: 'function', function: { name: 'get_time', parameters: {} } }] }, [
      { role: 'user', content: 'time?' },
      {
        role: 'assistant',
        content: '',
        extra: {
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_time', arguments: '{"tz":"UTC"}' } }],
        },
      },
      { role: 'tool', content: '12:00', extra: { tool_call_id: 'c1' } },
      { role: 'assistant', content: 'Noon.' },
    ]);
    expect(renderOutput(openai, noProvenance({ schema: 'sharegpt' }))).toEqual({
      conversations: [
        { from: 'human', value: 'time?' },
        { from: 'function_call', value: '{"name":"get_time","arguments":{"tz":"UTC"}}' },
        { from: 'observation', value: '12:00' },
        { from: 'gpt', value: 'Noon.' },
      ],
      tools: '[{"type":"function","function":{"name":"get_time","parameters":{}}}]',
    });
    // An empty tool list is no tools.
    expect(
      renderOutput(toolSample({ tools: '[]' }, messages.slice(1)), noProvenance({ schema: 'sharegpt' })).tools,
    ).toBeNull();
  });

  it('messages: ShareGPT tool turns become OpenAI tool_calls and tool turns, tools a list of OpenAI tools', () => {
    expect(renderOutput(glaive, noProvenance({}))).toEqual({
      messages: [
        { role: 'user', content: 'time?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_time', arguments: '{"tz":"UTC"}' } }],
        },
        { role: 'tool', content: '{"time": "12:00"}', tool_call_id: 'call_0' },
        { role: 'assistant', content: 'It is noon.' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_time', description: 'now', parameters: { type: 'object', properties: {} } },
        },
      ],
    });
    expect(renderOutput(plain, noProvenance({}))).toEqual({ messages: messages.slice(1), tools: null });
  });

  it('messages: only OpenAI message keys are written (others would give shards different shapes)', () => {
    const extras = sample({
      kind: 'chat',
      messages: [
        { role: 'user', content: 'q', extra: { name: 'ann', loss_weight: 0 } },
        { role: 'assistant', content: 'a', extra: { weight: 0, loss_weight: 1 } },
      ],
    });
    expect(renderOutput(extras, noProvenance({})).messages).toEqual([
      { role: 'user', content: 'q', name: 'ann' },
      { role: 'assistant', content: 'a', weight: 0 },
    ]);
  });

  it('the OpenAI target converts ShareGPT tool turns (it refused them) and writes tools only when there are some', () => {
    const record = renderOutput(glaive, noProvenance({ target: 'openai' }));
    expect(openAiProblems(record)).toEqual([]);
    expect(Object.keys(record)).toEqual(['messages', 'tools']);
    expect(Object.keys(renderOutput(plain, noProvenance({ target: 'openai' })))).toEqual(['messages']);
  });

  it('messages with the llama-factory layout: a record that calls tools is refused, naming the ways out', () => {
    let error: unknown;
    try {
      renderOutput(glaive, noProvenance({ layouts: ['huggingface', 'llama-factory'] }));
    } catch (caught) {
      error = caught;
    }
    expect((error as MixsmithError).code).toBe('RECIPE_CONFLICT');
    expect((error as MixsmithError).where).toEqual({ file: 'f.jsonl:3' });
    expect((error as MixsmithError).hint).toContain('output.schema: sharegpt');
    expect(renderOutput(plain, noProvenance({ layouts: ['huggingface', 'llama-factory'] }))).toEqual({
      messages: messages.slice(1),
      tools: null,
    });
  });

  it('prompt-completion: every turn before the last assistant turn is the prompt, that turn the completion (TRL conversational)', () => {
    expect(renderOutput(sample({ kind: 'chat', messages }), noProvenance({ schema: 'prompt-completion' }))).toEqual({
      prompt: messages.slice(0, 2),
      completion: [messages[2]],
      tools: null,
    });
    // Tool calls and results stay in the prompt, in OpenAI's form, as in the messages schema.
    expect(renderOutput(glaive, noProvenance({ schema: 'prompt-completion' }))).toEqual({
      prompt: (renderOutput(glaive, noProvenance({})).messages as unknown[]).slice(0, 3),
      completion: [{ role: 'assistant', content: 'It is noon.' }],
      tools: renderOutput(glaive, noProvenance({})).tools,
    });
    // Provenance columns come after the body, as in every schema.
    expect(Object.keys(renderOutput(plain, spec({ schema: 'prompt-completion' })))).toEqual([
      'prompt',
      'completion',
      'tools',
      'source',
      'group',
      'origin',
    ]);
  });

  it('prompt-completion: a conversation that does not end in an answer after a prompt is refused, naming the record', () => {
    for (const turns of [messages.slice(0, 2), messages.slice(2), [...messages, { role: 'user', content: 'and?' }]]) {
      let error: unknown;
      try {
        renderOutput(sample({ kind: 'chat', messages: turns }), noProvenance({ schema: 'prompt-completion' }));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MixsmithError);
      expect((error as MixsmithError).code).toBe('RECIPE_CONFLICT');
      expect((error as MixsmithError).where).toEqual({ file: 'f.jsonl:3' });
      expect((error as MixsmithError).hint).toContain('output.schema: messages');
    }
    expect(() =>
      renderOutput(sample({ kind: 'text', text: 'plain' }), noProvenance({ schema: 'prompt-completion' })),
    ).toThrow(/output.schema prompt-completion cannot express/);
  });
});
