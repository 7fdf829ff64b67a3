/** docs/errors.md lists exactly the codes of src/errors.ts with their exit statuses. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

describe('docs/errors.md', () => {
  it('documents every error code with its exit status', () => {
    const text = readFileSync(path.resolve(import.meta.dirname, '../docs/errors.md'), 'utf8');
    const block = text.slice(text.indexOf('<!-- codes:start -->'), text.indexOf('<!-- codes:end -->'));
    const rows = [...block.matchAll(/^\| `?([A-Z_]+)`? \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]);
    const expected = Object.entries(ERROR_CODES).map(([code, info]) => [code, info.exit]);
    expect(rows.sort()).toEqual(expected.sort());
  });
});
