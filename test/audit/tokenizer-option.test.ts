/** `--tokenizer`: names map to the shared counters; a labelled estimate by default, real o200k_base counts when asked. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenizerSpec, tokenLabel } from '../../src/audit/tokenizer-option.js';
import { CHAR_ESTIMATE_METHOD, createTokenCounter } from '../../src/tokens/token-counter.js';
import { tempDir } from '../helpers/temp.js';

describe('--tokenizer', () => {
  it('estimates ceil(chars / 4) by default and says it is an estimate', async () => {
    const counter = await createTokenCounter(tokenizerSpec('chars', '.'), '.');
    expect([counter.count(''), counter.count('abcd'), counter.count('abcde')]).toEqual([0, 1, 2]);
    expect(counter.estimated).toBe(true);
    expect(tokenLabel(counter)).toBe(`≈ tokens (${CHAR_ESTIMATE_METHOD}; --tokenizer o200k_base counts them)`);
  });

  it('counts o200k_base tokens, special-token text included as ordinary text', async () => {
    const counter = await createTokenCounter(tokenizerSpec('o200k_base', '.'), '.');
    try {
      expect(counter.estimated).toBe(false);
      expect(tokenLabel(counter)).toBe('tokens (o200k_base)');
      expect(counter.count('hello world')).toBe(2);
      expect(counter.count('<|endoftext|>')).toBeGreaterThan(1);
    } finally {
      counter.free();
    }
  });

  it('takes an existing tokenizer.json path, relative to cwd', () => {
    const dir = tempDir('mixsmith-tokenizer-');
    writeFileSync(path.join(dir, 'tokenizer.json'), '{}');
    expect(tokenizerSpec('tokenizer.json', dir)).toEqual({ path: 'tokenizer.json' });
    expect(() => tokenizerSpec('missing/tokenizer.json', dir)).toThrow(/unknown tokenizer/);
  });

  it('rejects an unknown tokenizer as a usage error', () => {
    expect(() => tokenizerSpec('gpt2', '.')).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringMatching(/unknown tokenizer "gpt2"/) }),
    );
  });
});
