import { describe, expect, it } from 'vitest';
import { charCount } from '../../../src/records/map/char-count.js';
import { compileFilters } from '../../../src/records/map/sample-filter.js';
import type { SampleBody } from '../../../src/sample.js';

const chat = (...turns: [string, string][]): SampleBody => ({
  kind: 'chat',
  messages: turns.map(([role, content]) => ({ role, content })),
});

describe('charCount', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(charCount('abc')).toBe(3);
    expect(charCount('高血压')).toBe(3);
    expect(charCount('🩺𠀀x')).toBe(3);
    expect('🩺𠀀x'.length).toBe(5);
  });
});

describe('compileFilters', () => {
  it('costs nothing when the source sets no filter', () => {
    expect(compileFilters({})).toBeUndefined();
    expect(compileFilters(undefined)).toBeUndefined();
  });

  it.each([
    [{ min_chars: 10 }, chat(['user', 'hi'], ['assistant', 'yo']), 'min_chars'],
    [{ min_chars: 4 }, chat(['user', 'hi'], ['assistant', 'yo']), undefined],
    [{ max_chars: 3 }, chat(['user', '🩺🩺'], ['assistant', 'x']), undefined],
    [{ max_chars: 3 }, chat(['user', '🩺🩺'], ['assistant', 'xy']), 'max_chars'],
    [{ min_chars_per_turn: 2 }, chat(['user', 'hello'], ['assistant', 'k']), 'min_chars_per_turn'],
    [{ max_chars_per_turn: 4 }, chat(['user', 'hello'], ['assistant', 'k']), 'max_chars_per_turn'],
    [{ require_roles: ['user', 'assistant'] }, chat(['system', 's'], ['assistant', 'a']), 'require_roles'],
    [{ require_roles: ['user', 'assistant'] }, chat(['user', 'u'], ['assistant', 'a']), undefined],
    [{ drop_empty_turns: true }, chat(['user', 'u'], ['assistant', '  \n']), 'drop_empty_turns'],
    [{ drop_empty_turns: true }, chat(['user', 'u'], ['assistant', 'a']), undefined],
    [{ min_chars_per_turn: 2 }, { kind: 'text', text: 'x' } as SampleBody, 'min_chars_per_turn'],
    [{ require_roles: ['user'] }, { kind: 'text', text: 'plain' } as SampleBody, 'require_roles'],
  ])('%j on %j → %s', (filters, body, reason) => {
    expect(compileFilters(filters)!(body)).toBe(reason);
  });

  it('names the first failing check in a fixed order, so each drop is counted once', () => {
    const filter = compileFilters({
      min_chars: 100,
      max_chars_per_turn: 2,
      require_roles: ['user'],
      drop_empty_turns: true,
    })!;
    expect(filter(chat(['assistant', '']))).toBe('drop_empty_turns');
    expect(filter(chat(['assistant', 'long']))).toBe('require_roles');
    expect(filter(chat(['user', 'long']))).toBe('max_chars_per_turn');
    expect(filter(chat(['user', 'ok']))).toBe('min_chars');
  });
});
