/**
 * fast-check arbitraries over the real recipe schema (schemas/recipe.schema.json): a valid recipe
 * with every section, mutations that break it at any path (wrong types, huge numbers, unknown keys,
 * deep nesting, odd unicode), YAML text mutations of the repository's own recipes, and `--set` /
 * `--sweep` arguments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

const root = path.resolve(import.meta.dirname, '../..');

const GROUPS = ['medical', 'general', 'code', 'math'] as const;
const PRESETS = ['alpaca', 'sharegpt', 'openai', 'dolly', 'prompt-completion', 'text'] as const;
const FORMATS = ['auto', 'jsonl', 'json', 'json-object', 'parquet', 'csv', 'tsv'] as const;

/** Strings a user could type, and strings no one should: control characters, bidi, lone surrogates. */
export const oddString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'auto',
    '1e999',
    '10k',
    '1.5M',
    '99999999999999999999M',
    '-5k',
    '0x10',
    '\u0000',
    '\u202e\u202d',
    '\ud800',
    '\udfff\ud800',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    'İı',
    'ǅ',
    '\ufeff',
    '../../etc/passwd',
    '/',
    '*',
    '**/*',
    '~',
    '{a}',
    '-',
    'a'.repeat(5000),
    '__proto__',
    'constructor',
    'toString',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
);

/** Numbers at and past every edge the schema names. */
export const oddNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    1.5,
    1e-320,
    1e15,
    1e15 + 1,
    1e16,
    2 ** 53 + 1,
    Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    1024,
    1025,
    1_000_000_000,
  ),
  fc.integer(),
  fc.double(),
);

/** Arrays or objects nested `depth` deep around a leaf. */
export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: oddNumber, weight: 4 },
  { arbitrary: oddString, weight: 4 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}), weight: 2 },
  { arbitrary: fc.array(fc.oneof(oddNumber, oddString), { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.dictionary(oddString, fc.oneof(oddNumber, oddString), { maxKeys: 3 }), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 20, max: 200 }), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>)
      .map(([depth, kind]) => nested(depth, kind)),
    weight: 1,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

function sharesOf(groups: readonly string[]): Record<string, number> {
  const shares: Record<string, number> = {};
  const each = Math.floor(100 / groups.length) / 100;
  groups.forEach((g, i) => {
    shares[g] = i === groups.length - 1 ? Number((1 - each * (groups.length - 1)).toFixed(2)) : each;
  });
  return shares;
}

const volumeArb = fc.oneof(
  fc.integer({ min: 1, max: 100_000 }),
  fc.constantFrom('10k', '1.5k', '2M', '500'),
) as fc.Arbitrary<unknown>;

function sourceArb(group: string, index: number) {
  return fc.record(
    {
      name: fc.constant(`s${index}`),
      group: fc.constant(group),
      path: fc.constantFrom('data/a.jsonl', ['data/*.jsonl', 'more/b.json'], 'data/', 'x.parquet'),
      format: fc.constantFrom(...FORMATS),
      encoding: fc.constantFrom('utf-8', 'gb18030', 'latin1'),
      schema: fc.oneof(
        fc.constantFrom(...PRESETS, 'auto'),
        fc.constant({
          turns: [
            { role: 'user', from: 'q' },
            { role: 'assistant', from: 'a' },
          ],
        }),
        fc.constant({ messages: { from: 'conv', role: 'from', content: 'value', roles: { human: 'user' } } }),
        fc.constant({ text: 'body', meta: ['id'] }),
      ),
      filters: fc.record(
        {
          min_chars: fc.nat(50),
          max_chars: fc.integer({ min: 51, max: 100_000 }),
          require_roles: fc.constant(['user', 'assistant']),
          drop_empty_turns: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      on_error: fc.constantFrom('fail', 'skip'),
      max_errors: fc.nat(100),
    },
    { requiredKeys: ['name', 'group', 'path'] },
  );
}

/** Drop the output settings that conflict with each other, so that the base recipe is valid. */
function compatibleOutput(output: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...output };
  if (copy.target === 'openai') {
    delete copy.format;
    delete copy.schema;
    delete copy.max_rows_per_shard;
  }
  if (copy.schema !== 'text') delete copy.template;
  return copy;
}

/** A recipe that passes validation (most of the time: sweeps and strata may still conflict). */
export const validRecipe: fc.Arbitrary<Record<string, unknown>> = fc
  .uniqueArray(fc.constantFrom(...GROUPS), { minLength: 1, maxLength: 3 })
  .chain((groups) => {
    const sources = fc.tuple(...groups.map((g, i) => sourceArb(g, i)));
    const sweep = fc.oneof(
      fc.constant({ volume: [100, 200, '1k'] }),
      fc.constant({ shares: { [groups[0]!]: [0, 0.5, 1] } }),
      fc.constant({
        points: [
          { name: 'p1', volume: 100 },
          { name: 'p2', volume: 200, shares: sharesOf(groups) },
        ],
      }),
    );
    return fc.record(
      {
        name: fc.constantFrom('mix', 'm.1', 'A_b-c'),
        seed: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
        sources,
        mixture: fc.record(
          {
            volume: volumeArb,
            shares: fc.constant(sharesOf(groups)),
            shortage: fc.constantFrom('error', 'cap', 'repeat', 'redistribute'),
            max_epochs: fc.integer({ min: 1, max: 10 }),
            tokenizer: fc.constantFrom('chars', 'o200k_base', { path: 'tok/tokenizer.json' }),
            strata: fc.constant({
              [groups[0]!]: [
                { name: 'short', share: 0.5, max_chars: 100 },
                { name: 'long', share: 0.5, min_chars: 100 },
              ],
            }),
          },
          { requiredKeys: ['volume', 'shares'] },
        ),
        split: fc.record({ validation: fc.oneof(fc.constantFrom(0, 0.1, 0.5), fc.integer({ min: 1, max: 1000 })) }),
        dedup: fc.record(
          {
            exact: fc.boolean(),
            prefer: fc.constant([...groups]),
            near: fc.oneof(
              fc.boolean(),
              fc.record(
                {
                  threshold: fc.double({ min: 0.1, max: 1, noNaN: true }),
                  fields: fc.constantFrom('all', 'user', 'assistant'),
                  shingle: fc.constantFrom('auto', 'word', 'char'),
                  bands: fc.integer({ min: 1, max: 64 }),
                  rows: fc.integer({ min: 1, max: 16 }),
                },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
        output: fc
          .record(
            {
              format: fc.constantFrom('jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet'),
              schema: fc.constantFrom('messages', 'sharegpt', 'alpaca', 'text', 'passthrough'),
              target: fc.constantFrom('generic', 'openai'),
              layouts: fc.subarray(['huggingface']),
              max_rows_per_shard: fc.integer({ min: 1, max: 10_000 }),
              provenance: fc.boolean(),
              template: fc.constantFrom('chatml', 'llama-3', { message: '<{role}>{content}', prefix: 'x' }),
            },
            { requiredKeys: [] },
          )
          .map(compatibleOutput),
        sweep,
        decontaminate: fc.record(
          {
            eval: fc.constant([{ name: 'ev', path: 'eval/test.jsonl' }]),
            ngram: fc.integer({ min: 1, max: 20 }),
            threshold: fc.double({ min: 0, max: 1, noNaN: true }),
          },
          { requiredKeys: ['eval'] },
        ),
      },
      { requiredKeys: ['name', 'seed', 'sources', 'mixture'] },
    ) as fc.Arbitrary<Record<string, unknown>>;
  });

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'unknown-key'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: oddValue }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('unknown-key' as const),
      at: fc.nat(),
      key: fc.oneof(oddString, fc.constantFrom('wieght', 'volumes', 'Name', 'shares ', '<<')),
      value: oddValue,
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }), weight: 1 },
);

/** Every [container, key] in the value, containers first. */
function slots(value: unknown): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const found: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 12 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        found.push({ parent: node, key: i });
        walk(child, depth + 1);
      });
    } else {
      for (const [key, child] of Object.entries(node)) {
        found.push({ parent: node as Record<string, unknown>, key });
        walk(child, depth + 1);
      }
    }
  };
  walk(value, 0);
  return found;
}

/** Apply mutations to a deep copy of the recipe. */
export function mutate(recipe: Record<string, unknown>, mutations: readonly Mutation[]): Record<string, unknown> {
  const copy = structuredClone(recipe);
  for (const m of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const { parent, key } = all[m.at % all.length]!;
    const target = parent as Record<string | number, unknown>;
    switch (m.kind) {
      case 'replace':
        target[key] = m.value;
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete target[key];
        break;
      case 'unknown-key': {
        const holder = target[key];
        if (holder !== null && typeof holder === 'object' && !Array.isArray(holder))
          Object.defineProperty(holder, m.key, {
            value: m.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else target[key] = { [m.key]: m.value };
        break;
      }
      case 'wrap':
        target[key] = [target[key]];
        break;
    }
  }
  return copy;
}

/** The repository's recipes and invalid-recipe fixtures: seeds for text mutations. */
export function recipeTexts(): string[] {
  const dirs = [path.join(root, 'recipes'), path.join(root, 'fixtures/invalid-recipes')];
  const golden = path.join(root, 'fixtures/golden');
  for (const name of readdirSync(golden)) dirs.push(path.join(golden, name));
  const texts: string[] = [];
  for (const dir of dirs)
    for (const name of readdirSync(dir).sort())
      if (/\.(ya?ml|json)$/.test(name)) texts.push(readFileSync(path.join(dir, name), 'utf8'));
  return texts;
}

/** Fragments YAML gives meaning to, and a few it should reject. */
const YAML_TOKENS = [
  '&a ',
  '*a',
  '<<: *a\n',
  '!!binary ',
  '!!js/function ',
  '!!set ',
  '!!omap ',
  '!foo ',
  '{',
  '}',
  '[',
  ']',
  ': ',
  '\t',
  '- ',
  '"',
  "'",
  '#',
  '\u0000',
  '\ufeff',
  '\u202e',
  '1e999',
  '.inf',
  '-.nan',
  '0x7fffffffffffffffff',
  '~',
  '? ',
  '|\n',
  '>-\n',
  '%YAML 1.1\n---\n',
  '%TAG ! tag:x,2000:\n',
  '---\n',
  '...\n',
  '\r',
  '\n  ',
  '99999999999999999999999',
  '{{}}',
];

export type TextEdit =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'deep'; at: number; depth: number; open: string };

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(fc.constantFrom(...YAML_TOKENS), oddString),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      at: fc.nat(),
      // Past a few thousand levels each case costs the yaml parser seconds; the regression fixture
      // fixtures/invalid-recipes/deep-nesting.yaml keeps 20,000.
      depth: fc.oneof(
        { arbitrary: fc.integer({ min: 10, max: 400 }), weight: 9 },
        { arbitrary: fc.constant(4000), weight: 1 },
      ),
      open: fc.constantFrom('[', '{a: ', '- ', '{'),
    }),
    weight: 1,
  },
);

/** Apply edits to the text's bytes (UTF-8), so that flips can make invalid UTF-8 too. */
export function editText(text: string, edits: readonly TextEdit[]): string {
  let bytes = Buffer.from(text, 'utf8');
  for (const edit of edits) {
    const at = bytes.length === 0 ? 0 : edit.at % (bytes.length + 1);
    switch (edit.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[at % bytes.length] = edit.byte;
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + edit.length)]);
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(edit.text, 'utf8'), bytes.subarray(at)]);
        break;
      case 'duplicate-line': {
        const lines = bytes.toString('latin1').split('\n');
        const i = edit.at % lines.length;
        lines.splice(i, 0, lines[i]!);
        bytes = Buffer.from(lines.join('\n'), 'latin1');
        break;
      }
      case 'deep':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(edit.open.repeat(edit.depth)), bytes.subarray(at)]);
        break;
    }
  }
  return bytes.toString('utf8');
}

/** Dotted paths of the recipe, its schema's keys, and paths that should not exist. */
export const setPath = fc.oneof(
  fc.constantFrom(
    'mixture.volume',
    'mixture.shares.medical',
    'mixture.shares.general',
    'mixture.shortage',
    'mixture.tokenizer',
    'mixture.tokenizer.path',
    'seed',
    'name',
    'split.validation',
    'dedup.near',
    'dedup.near.bands',
    'dedup.near.rows',
    'dedup.prefer.0',
    'output.format',
    'output.max_rows_per_shard',
    'output.parquet.compression',
    'sources.0.path',
    'sources.s0.path',
    'sources.s0.schema',
    'sources.s0.schema.turns.0.from',
    'sources.1.group',
    'sources.99999999.name',
    'sources.-1.name',
    'sources.1e3.name',
    'sources.nosuch.path',
    'sweep.volume',
    'sweep.volume.0',
    'sweep.points.0.volume',
    'sweep.shares.medical',
    'decontaminate.eval.0.path',
    '__proto__.x',
    'constructor.prototype.x',
    'mixture.__proto__',
    'a.b.c.d.e.f.g.h.i.j.k',
    'mixture',
    'sources',
  ),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('sources', 'mixture', 'output', 'sweep', 'dedup', 'near', '0', '1', '2', '10', 'name', 'x'),
        oddString,
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((parts) => parts.join('.')),
);

export const setValue = fc.oneof(
  fc.constantFrom(
    '10000',
    '10k',
    '0.25',
    '.inf',
    '-.inf',
    '.nan',
    '1e308',
    '1e999',
    '9007199254740993',
    '[a, b]',
    '{a: 1}',
    '[[[[[[[[[[[[]]]]]]]]]]]]',
    '&a x',
    '*a',
    '!!binary AAAA',
    '!!js/undefined',
    "'",
    '"',
    '',
    'null',
    '~',
    '- x',
    'a: b',
    '{',
    '\u0000',
    '[1, 2',
    '%YAML',
    '\ud800',
  ),
  oddString,
  fc.integer().map(String),
  fc.double().map(String),
  fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n)),
);

export const sweepArg = fc.oneof(
  fc.constantFrom(
    'volume=10k,20k',
    'volume=1,1e15',
    'volume=',
    'volume=,,,',
    'shares.medical=0,0.5,1',
    'shares.medical=2',
    'shares.nosuch=0.5',
    'shares=0.5',
    '=',
    'x=y',
    'volume=.inf',
    'volume=-1',
  ),
  fc
    .tuple(
      fc.constantFrom('volume', 'shares.medical', 'shares.general'),
      fc.array(oddNumber.map(String), { maxLength: 5 }),
    )
    .map(([key, values]) => `${key}=${values.join(',')}`),
  oddString,
);
