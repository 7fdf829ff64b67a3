/** Token counts: a labelled estimate by default, real o200k_base counts when asked. */
import { describe, expect, it } from 'vitest';
import { tokenCounter } from '../../src/audit/token-counter.js';
import { MixsmithError } from '../../src/errors.js';

describe('tokenCounter', () => {
  it('estimates ceil(chars / 4) by default and says it is an estimate', async () => {
    const counter = await tokenCounter('chars');
    expect([counter.count(''), counter.count('abcd'), counter.count('abcde')]).toEqual([0, 1, 2]);
    expect(counter.estimate).toBe(true);
    expect(counter.label).toMatch(/estimate/);
  });

  it('counts o200k_base tokens, special-token text included as ordinary text', async () => {
    const counter = await tokenCounter('o200k_base');
    try {
      expect(counter.estimate).toBe(false);
      expect(counter.count('hello world')).toBe(2);
      expect(counter.count('<|endoftext|>')).toBeGreaterThan(1);
    } finally {
      counter.close();
    }
  });

  it('rejects an unknown tokenizer as a usage error', async () => {
    await expect(tokenCounter('gpt2')).rejects.toBeInstanceOf(MixsmithError);
  });
});
