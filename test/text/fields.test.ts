import { describe, expect, it } from 'vitest';
import type { SampleBody } from '../../src/sample.js';
import { textForFields } from '../../src/text/fields.js';

const chat: SampleBody = {
  kind: 'chat',
  messages: [
    { role: 'system', content: 'You are helpful.' },
    { role: 'user', content: 'Q1' },
    { role: 'assistant', content: 'A1' },
    { role: 'user', content: 'Q2' },
    { role: 'assistant', content: 'A2' },
  ],
};

describe('textForFields', () => {
  it('picks user turns, assistant turns or everything', () => {
    expect(textForFields(chat, 'user')).toBe('Q1\nQ2');
    expect(textForFields(chat, 'assistant')).toBe('A1\nA2');
    expect(textForFields(chat, 'all')).toBe('You are helpful.\nQ1\nA1\nQ2\nA2');
  });

  it('gives a plain-text sample whole for every choice', () => {
    const body: SampleBody = { kind: 'text', text: 'just text' };
    expect(textForFields(body, 'user')).toBe('just text');
    expect(textForFields(body, 'assistant')).toBe('just text');
    expect(textForFields(body, 'all')).toBe('just text');
  });
});
