import { describe, expect, it } from 'vitest';
import { detectPreset, mapperFor } from '../../../src/records/map/schema-for.js';
import { RecordError } from '../../../src/records/map/record-error.js';

describe('presets', () => {
  it('openai keeps tool calls and reads LLaMA-Factory v1 content parts', () => {
    const mapper = mapperFor('openai', {});
    const record = {
      messages: [
        { role: 'user', content: [{ type: 'text', value: 'hi' }], loss_weight: 0 },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', content: [{ type: 'text', text: 'result' }], tool_call_id: 'c1' },
      ],
      tools: [{ type: 'function', function: { name: 'f' } }],
    };
    expect(mapper.toBody(record)).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: 'hi', extra: { loss_weight: 0 } },
        {
          role: 'assistant',
          content: '',
          extra: { tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] },
        },
        { role: 'tool', content: 'result', extra: { tool_call_id: 'c1' } },
      ],
    });
    expect(mapper.toMeta(record)).toEqual({ tools: record.tools });
  });

  it("prompt-completion reads TRL's conversational form (mixsmith's prompt-completion output) as one conversation", () => {
    const mapper = mapperFor('prompt-completion', {});
    const record = {
      prompt: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'q', name: null },
      ],
      completion: [{ role: 'assistant', content: 'a' }],
      tools: [{ type: 'function', function: { name: 'f' } }],
    };
    expect(mapper.toBody(record)).toEqual({
      kind: 'chat',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'q', extra: { name: null } },
        { role: 'assistant', content: 'a' },
      ],
    });
    expect(mapper.toMeta(record)).toEqual({ tools: record.tools });
    // The plain form is unchanged: one exchange.
    expect(mapper.toBody({ prompt: 'p', completion: 'c' })).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: 'p' },
        { role: 'assistant', content: 'c' },
      ],
    });
  });

  it('sharegpt maps tool roles, keeps the tools column, accepts role/content keys', () => {
    const mapper = mapperFor('sharegpt', {});
    const record = {
      conversations: [
        { from: 'human', value: 'q' },
        { from: 'function_call', value: '{"name":"f"}' },
        { from: 'observation', value: '{"ok":true}' },
        { role: 'gpt', content: 'a' },
      ],
      tools: '[{"name":"f"}]',
    };
    expect(mapper.toBody(record)).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'function_call', content: '{"name":"f"}' },
        { role: 'observation', content: '{"ok":true}' },
        { role: 'assistant', content: 'a' },
      ],
    });
    expect(mapper.toMeta(record)).toEqual({ tools: '[{"name":"f"}]' });
  });

  it('sharegpt with an unknown role says how to map it', () => {
    try {
      mapperFor('sharegpt', {}).toBody({ conversations: [{ from: 'doctor', value: 'x' }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RecordError);
      expect((error as RecordError).hint).toMatch(/roles: \{ doctor: user \| assistant \| system \| tool \}/);
    }
  });

  it("sharegpt's function role (ToolLLaMA, OpenAI's legacy name) is a tool's output, never an assistant turn", () => {
    const body = mapperFor('sharegpt', {}).toBody({
      conversations: [
        { from: 'user', value: 'q' },
        { from: 'assistant', value: 'Action: f' },
        { from: 'function', value: '{"ok":true}' },
        { from: 'assistant', value: 'a' },
      ],
    });
    expect(body.kind === 'chat' && body.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
  });

  it.each([
    [{ messages: [] }, 'openai'],
    [{ conversations: [] }, 'sharegpt'],
    [{ instruction: 'i', input: '', output: 'o' }, 'alpaca'],
    [{ instruction: 'i', context: '', response: 'r', category: 'c' }, 'dolly'],
    [{ prompt: 'p', completion: 'c' }, 'prompt-completion'],
    [{ text: 't' }, 'text'],
    [{ 问: 'q', 答: 'a' }, undefined],
  ])('auto-detects %j as %s', (record, preset) => {
    expect(detectPreset(record)).toBe(preset);
  });
});
