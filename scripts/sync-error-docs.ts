// Regenerates the code table in docs/errors.md from ERROR_CODES (npm run docs:errors).
import { readFileSync, writeFileSync } from 'node:fs';
import { ERROR_CODES } from '../src/errors.js';

const file = new URL('../docs/errors.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const start = text.indexOf('<!-- codes:start -->');
const end = text.indexOf('<!-- codes:end -->');
const rows = Object.entries(ERROR_CODES).map(([code, info]) => `| \`${code}\` | ${info.exit} | ${info.summary} |`);
const table = ['<!-- codes:start -->', '| code | exit | meaning |', '|---|---|---|', ...rows, ''].join('\n');
writeFileSync(file, text.slice(0, start) + table + text.slice(end));
console.log(`docs/errors.md: ${rows.length} codes`);
