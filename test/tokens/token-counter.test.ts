/**
 * A tokenizer.json is read whole and synchronously, so a FIFO or a device there would block the
 * process for good (issue #24): only regular files are read, anything else is INPUT_FORMAT at the
 * recipe's path. An optional tokenizer_config.json that is not a regular file is left out.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { countCarried, countInPieces, createTokenCounter, splitsAtWhitespace } from '../../src/tokens/token-counter.js';
import { tempDir } from '../helpers/temp.js';
import { WORD_LEVEL_TOKENIZER } from '../helpers/word-level-tokenizer.js';

const dir = tempDir('mixsmith-tokenizer-');
const canFifo = process.platform !== 'win32';

const WORD_LEVEL = WORD_LEVEL_TOKENIZER;

async function refused(file: string): Promise<MixsmithError> {
  const error = await createTokenCounter({ path: file }, dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MixsmithError);
  return error as MixsmithError;
}

describe('mixture.tokenizer: {path}', () => {
  it.skipIf(!canFifo)('a FIFO is INPUT_FORMAT naming the path, not a read that blocks', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const error = await refused('pipe.json');
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.where).toEqual({ file: 'pipe.json' });
  });

  it.skipIf(process.platform === 'win32')('a device (/dev/zero) is INPUT_FORMAT', async () => {
    const error = await refused('/dev/zero');
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.where).toEqual({ file: '/dev/zero' });
  });

  it.skipIf(!canFifo)('a tokenizer_config.json that is a FIFO is left out; the tokenizer still counts', async () => {
    const folder = path.join(dir, 'hf');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'tokenizer.json'), JSON.stringify(WORD_LEVEL));
    execFileSync('mkfifo', [path.join(folder, 'tokenizer_config.json')]);
    const counter = await createTokenCounter({ path: 'hf/tokenizer.json' }, dir);
    expect(counter.count('three words here')).toBe(3);
  });

  it('counts a text in pieces cut after white space as whole, for a tokenizer that splits there', async () => {
    const folder = path.join(dir, 'pieces');
    mkdirSync(folder, { recursive: true });
    const vocab = { '[UNK]': 0, fox: 1, ',': 2, '"': 3, quick: 4 };
    writeFileSync(
      path.join(folder, 'tokenizer.json'),
      JSON.stringify({ ...WORD_LEVEL, model: { ...WORD_LEVEL.model, vocab } }),
    );
    const counter = await createTokenCounter({ path: 'pieces/tokenizer.json' }, dir);
    const text =
      'The quick brown fox, "quoted",\tjumps...  over\n\nthe lazy dog!! '.repeat(5000) + 'word'.repeat(20_000);
    const whole = counter.count(text);
    expect(countInPieces(text, (piece) => counter.count(piece))).toBe(whole);
    // Pieces cut anywhere (in a word, in a run of spaces) count as the whole once carried to a space.
    const cuts = [0, 7, 8, 100, 4096, 4099, 70_000, text.length];
    const pieces = cuts.slice(1).map((end, k) => text.slice(cuts[k], end));
    expect(countCarried(pieces, (segment) => counter.count(segment))).toBe(whole);
    expect(counter.countPieces?.(pieces)).toBe(whole);
    expect(counter.countJoined([text, text])).toBe(counter.count(`${text}\n${text}`));
    expect(splitsAtWhitespace(WORD_LEVEL, {})).toBe(true);
    expect(splitsAtWhitespace({ ...WORD_LEVEL, normalizer: { type: 'NFC' } }, {})).toBe(false);
    expect(splitsAtWhitespace({ ...WORD_LEVEL, pre_tokenizer: { type: 'ByteLevel' } }, {})).toBe(false);
    expect(splitsAtWhitespace({ ...WORD_LEVEL, added_tokens: [{ content: '<s>' }] }, {})).toBe(false);
    expect(splitsAtWhitespace(WORD_LEVEL, { eos_token: '</s>' })).toBe(false);
  });
});
