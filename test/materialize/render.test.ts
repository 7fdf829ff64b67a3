/** Rendering one sample: chat templates for text output, and the OpenAI target's check. */
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { applyTemplate, BUILT_IN_TEMPLATES, resolveTemplate } from '../../src/recipe/chat-templates.js';
import { type RenderSpec, renderOutput } from '../../src/materialize/render.js';
import type { Message, Sample } from '../../src/sample.js';

const messages: Message[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say {role} and {content} literally.' },
  { role: 'assistant', content: 'OK: {role} {content}' },
];

const sample = (body: Sample['body']): Sample => ({ id: 's:f.jsonl:3', source: 's', group: 'g', origin: 'f.jsonl:3', body, meta: {}, raw: {} });
const spec = (over: Partial<RenderSpec>): RenderSpec => ({ schema: 'messages', provenance: true, template: null, target: 'generic', ...over });

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
    expect(applyTemplate(resolveTemplate({ message: '{role}: {content}\n', prefix: '<s>', suffix: '</s>' })!, messages.slice(1, 2))).toBe(
      '<s>user: Say {role} and {content} literally.\n</s>',
    );
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
    expect(renderOutput(sample({ kind: 'text', text: 'raw' }), spec({ schema: 'text', template: 'chatml', provenance: false }))).toEqual({ text: 'raw' });
  });

  it('refuses chat turns in text output without a template', () => {
    expect(() => renderOutput(sample({ kind: 'chat', messages }), spec({ schema: 'text' }))).toThrow(/needs output.template/);
  });

  it('checks OpenAI records before provenance is added, and names the origin of a bad one', () => {
    const ok = renderOutput(sample({ kind: 'chat', messages }), spec({ target: 'openai' }));
    expect(ok).toEqual({ messages, source: 's', group: 'g', origin: 'f.jsonl:3' });
    let error: unknown;
    try {
      renderOutput(sample({ kind: 'chat', messages: [{ role: 'user', content: 'only a question' }] }), spec({ target: 'openai' }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MixsmithError);
    expect((error as MixsmithError).code).toBe('INPUT_TARGET');
    expect((error as MixsmithError).message).toBe('f.jsonl:3 is not a valid OpenAI fine-tuning example: there is no assistant turn to learn from');
    expect((error as MixsmithError).where).toEqual({ file: 'f.jsonl:3' });
  });
});
