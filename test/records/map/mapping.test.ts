import { describe, expect, it } from 'vitest';
import type { FieldMapping } from '../../../src/recipe/types.js';
import { applyMapping, mappedMeta } from '../../../src/records/map/mapping.js';
import { RecordError } from '../../../src/records/map/record-error.js';

function mappingError(mapping: FieldMapping, record: unknown): RecordError {
  try {
    applyMapping(mapping, record);
  } catch (error) {
    expect(error).toBeInstanceOf(RecordError);
    return error as RecordError;
  }
  throw new Error('expected a RecordError');
}

describe('templates', () => {
  it('joins several columns into one turn (a CSV title + ask as the user turn)', () => {
    const mapping: FieldMapping = {
      system: '你是一名医生。',
      turns: [
        { role: 'user', template: '{title}\n{ask}' },
        { role: 'assistant', from: 'answer' },
      ],
      meta: ['department'],
    };
    const record = { department: '内科', title: '高血压怎么办', ask: '头晕', answer: '低盐饮食' };
    expect(applyMapping(mapping, record)).toEqual({
      kind: 'chat',
      messages: [
        { role: 'system', content: '你是一名医生。' },
        { role: 'user', content: '高血压怎么办\n头晕' },
        { role: 'assistant', content: '低盐饮食' },
      ],
    });
    expect(mappedMeta(mapping, record)).toEqual({ department: '内科' });
  });

  it('{field?} is empty when the field is missing; other placeholders are required', () => {
    const mapping: FieldMapping = { turns: [{ role: 'user', template: '{question}\n{context?}' }] };
    expect(applyMapping(mapping, { question: 'q' })).toEqual({
      kind: 'chat',
      messages: [{ role: 'user', content: 'q\n' }],
    });
    expect(mappingError(mapping, { context: 'c' }).code).toBe('INPUT_FIELD_MISSING');
  });

  it('reads keys that are not ASCII and keys with spaces', () => {
    const mapping: FieldMapping = {
      turns: [
        { role: 'user', from: '问' },
        { role: 'assistant', from: 'Diagnosis and suggestions' },
      ],
    };
    expect(applyMapping(mapping, { 问: '头痛', 'Diagnosis and suggestions': '休息' })).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: '头痛' },
        { role: 'assistant', content: '休息' },
      ],
    });
  });
});

describe('lists and objects in templates', () => {
  // FrenchMedMCQA's shape: an answers dict and a list of correct answers (several in 1,576 of 2,171 train records).
  const record = {
    question: 'Parmi les propositions suivantes, lesquelles sont exactes?',
    answers: { a: 'un', b: 'deux', c: 'trois' },
    correct_answers: ['a', 'c'],
  };

  it('{list|SEP} joins the items; {object|SEP} writes "key. value" entries', () => {
    const mapping: FieldMapping = {
      turns: [
        { role: 'user', template: '{question}\n{answers|\n}' },
        { role: 'assistant', template: '{correct_answers|, }' },
      ],
    };
    expect(applyMapping(mapping, record)).toEqual({
      kind: 'chat',
      messages: [
        {
          role: 'user',
          content: 'Parmi les propositions suivantes, lesquelles sont exactes?\na. un\nb. deux\nc. trois',
        },
        { role: 'assistant', content: 'a, c' },
      ],
    });
  });

  it('{object|SEP|KV} sets what stands between key and value; \\n written as two characters is a line break', () => {
    const mapping: FieldMapping = {
      turns: [
        { role: 'user', template: '{answers|\\n|) }' },
        { role: 'assistant', template: 'Réponses : {correct_answers| et }' },
      ],
    };
    expect(applyMapping(mapping, record)).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: 'a) un\nb) deux\nc) trois' },
        { role: 'assistant', content: 'Réponses : a et c' },
      ],
    });
  });

  it('a text field under a separator is itself; a missing one follows ? as usual; items that are not text are refused', () => {
    expect(applyMapping({ turns: [{ role: 'user', template: '{question|, }{extra?|, }' }] }, record)).toEqual({
      kind: 'chat',
      messages: [{ role: 'user', content: record.question }],
    });
    const error = mappingError({ turns: [{ role: 'user', template: '{items|, }' }] }, { items: [{ a: 1 }] });
    expect(error.code).toBe('INPUT_FIELD_TYPE');
  });
});

describe('errors name the field and suggest the typo', () => {
  it('a missing field: INPUT_FIELD_MISSING with did-you-mean (Apollo writes "anwer")', () => {
    const error = mappingError(
      { turns: [{ role: 'assistant', from: 'answer' }] },
      { question: 'q', option: 'A', anwer: 'A' },
    );
    expect(error.code).toBe('INPUT_FIELD_MISSING');
    expect(error.message).toBe('missing field "answer" (schema mapping)');
    expect(error.hint).toMatch(/^did you mean "anwer"\? the record has: question, option, anwer/);
  });

  it('a field that is not a string: INPUT_FIELD_TYPE', () => {
    const error = mappingError({ turns: [{ role: 'user', from: 'turns' }] }, { turns: ['a', 'b'] });
    expect(error.code).toBe('INPUT_FIELD_TYPE');
    expect(error.message).toBe('field "turns" must be a string, got a list (schema mapping)');
    expect(error.hint).toContain('{field|SEP}');
  });
});

describe('messages: turns from a list field', () => {
  it('role/content items under another key, with role names mapped', () => {
    const mapping: FieldMapping = {
      messages: { from: 'dialogue', role: 'speaker', content: 'text', roles: { patient: 'user', doctor: 'assistant' } },
    };
    const record = {
      dialogue: [
        { speaker: 'patient', text: '咳嗽' },
        { speaker: 'doctor', text: '多喝水' },
        { speaker: 'nurse', text: '好的' },
      ],
    };
    expect(applyMapping(mapping, record)).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: '咳嗽' },
        { role: 'assistant', content: '多喝水' },
        { role: 'nurse', content: '好的' },
      ],
    });
  });

  it('pairs of keys per item (Firefly {human, assistant}), a missing last answer skipped', () => {
    const mapping: FieldMapping = {
      messages: { from: 'conversation', keys: { human: 'user', assistant: 'assistant' } },
    };
    const record = { conversation: [{ human: 'h1', assistant: 'a1' }, { human: 'h2' }] };
    expect(applyMapping(mapping, record)).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: 'h1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'h2' },
      ],
    });
  });

  it('a record that is itself a list of strings, roles alternating (Apollo training arrays)', () => {
    const mapping: FieldMapping = { messages: { alternate: ['user', 'assistant'] } };
    expect(applyMapping(mapping, ['q1', 'a1', 'q2', 'a2'])).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'q2' },
        { role: 'assistant', content: 'a2' },
      ],
    });
  });

  it('list turns come before the fixed turns (a history, then the prompt)', () => {
    const mapping: FieldMapping = { messages: { from: 'history' }, turns: [{ role: 'user', from: 'prompt' }] };
    const body = applyMapping(mapping, {
      history: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: null },
      ],
      prompt: 'b',
    });
    expect(body).toEqual({
      kind: 'chat',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'b' },
      ],
    });
  });

  it('names the list field and the item when they do not fit', () => {
    expect(mappingError({ messages: { from: 'conversation' } }, { conversations: [] }).hint).toMatch(
      /did you mean "conversations"/,
    );
    expect(mappingError({ messages: { from: 'c' } }, { c: 'text' }).message).toBe(
      'field "c" must be a list of turns, got string (schema mapping messages)',
    );
    expect(
      mappingError({ messages: { from: 'c', content: 'value' } }, { c: [{ role: 'user', content: 'x' }] }).message,
    ).toBe('c[0].value is missing (schema mapping messages)');
  });
});
