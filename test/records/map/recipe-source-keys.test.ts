/** The recipe keys this reader work adds to a source: format, encoding, filters, mapping.messages. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../../src/errors.js';
import { loadRecipe } from '../../../src/recipe/load.js';
import { tempDir } from '../../helpers/temp.js';

const dir = tempDir('mixsmith-recipe-keys-');
let n = 0;

async function load(source: string) {
  const file = path.join(dir, `r${n++}.yaml`);
  writeFileSync(
    file,
    `name: keys\nseed: 1\nsources:\n  - name: s\n    group: g\n    path: data.csv\n${source}\nmixture:\n  volume: 10\n  shares: { g: 1 }\n`,
  );
  return loadRecipe(file);
}

async function loadError(source: string): Promise<MixsmithError> {
  const error = await load(source).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MixsmithError);
  return error as MixsmithError;
}

describe('source keys', () => {
  it('resolves encoding to utf-8 and filters to {} by default', async () => {
    const { recipe } = await load('');
    expect(recipe.sources[0]).toMatchObject({ format: 'auto', encoding: 'utf-8', filters: {} });
  });

  it('accepts the new formats, an encoding, filters and a messages mapping', async () => {
    const { recipe } = await load(
      [
        '    format: csv',
        '    encoding: gb18030',
        '    filters: { min_chars: 10, max_chars_per_turn: 4000, require_roles: [user, assistant], drop_empty_turns: true }',
        '    schema:',
        '      messages: { from: conversation, keys: { human: user, assistant: assistant } }',
        '      turns: [{ role: user, template: "{title}\\n{ask?}" }]',
      ].join('\n'),
    );
    expect(recipe.sources[0]).toMatchObject({
      format: 'csv',
      encoding: 'gb18030',
      filters: {
        min_chars: 10,
        max_chars_per_turn: 4000,
        require_roles: ['user', 'assistant'],
        drop_empty_turns: true,
      },
      schema: { messages: { from: 'conversation', keys: { human: 'user', assistant: 'assistant' } } },
    });
  });

  it('refuses an unknown encoding at its line, listing the accepted ones', async () => {
    const error = await loadError('    encoding: gbk2312');
    expect(error.code).toBe('RECIPE_SCHEMA');
    expect(error.where?.line).toBe(7);
    expect(error.message + (error.hint ?? '')).toMatch(/gb18030/);
  });

  it('refuses a typo in a filter name with a suggestion', async () => {
    const error = await loadError('    filters: { min_char: 5 }');
    expect(error.code).toBe('RECIPE_UNKNOWN_KEY');
    expect(error.message).toMatch(/did you mean "min_chars"/);
  });

  it('refuses a format it does not read', async () => {
    const error = await loadError('    format: xml');
    expect(error.code).toBe('RECIPE_SCHEMA');
    expect(error.message + (error.hint ?? '')).toMatch(/parquet/);
  });
});
