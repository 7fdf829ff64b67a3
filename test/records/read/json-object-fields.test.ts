import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ABSENT,
  FieldNames,
  fieldSpans,
  NOT_STRING,
  NULL,
  scanObjectFields,
} from '../../../src/records/read/json-object-fields.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const NAMES = new FieldNames(['instruction', 'input', 'output', 'history', 'a']);

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Scans `text` and, when the scanner vouches for it, checks JSON.parse agrees on every field. */
function checkAgainstJsonParse(text: string): boolean {
  const bytes = Buffer.from(`\n${text}\n`, 'utf8');
  const spans = fieldSpans(NAMES);
  const vouched = scanObjectFields(bytes, 1, bytes.length - 1, NAMES, spans);
  if (!vouched) return false;
  const result = parsed(text);
  if (!result.ok) {
    // Only the found strings' contents are left unchecked (their reader checks them): one of them must be bad.
    const contents = NAMES.names
      .map((_, slot) => spans.starts[slot]!)
      .flatMap((start, slot) => (start >= 0 ? [bytes.toString('utf8', start, spans.ends[slot])] : []));
    expect(
      contents.some((content) => !parsed(`"${content}"`).ok),
      text,
    ).toBe(true);
    return true;
  }
  const value = result.value as Record<string, unknown>;
  expect(typeof value === 'object' && value !== null && !Array.isArray(value), text).toBe(true);
  NAMES.names.forEach((name, slot) => {
    const start = spans.starts[slot]!;
    const own = Object.hasOwn(value, name) ? value[name] : undefined;
    if (start === ABSENT) expect(own, `${name} in ${text}`).toBeUndefined();
    else if (start === NULL) expect(own).toBeNull();
    else if (start === NOT_STRING) expect(typeof own === 'string' || own === null || own === undefined).toBe(false);
    else expect(JSON.parse(`"${bytes.toString('utf8', start, spans.ends[slot])}"`)).toBe(own);
  });
  return true;
}

const fieldValue = fc.oneof(fc.string({ unit: 'binary' }), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));
const record = fc.dictionary(fc.constantFrom('instruction', 'input', 'output', 'history', 'a', 'id', 'b'), fieldValue, {
  maxKeys: 6,
});

describe('scanObjectFields', () => {
  it('vouches for JSON objects and finds their fields as JSON.parse does', () => {
    fc.assert(
      fc.property(record, fc.constantFrom(0, 1, 2), (value, indent) => {
        expect(checkAgainstJsonParse(JSON.stringify(value, null, indent))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("never vouches for a text JSON.parse rejects, but for the found strings' contents, whatever is cut, added or changed", () => {
    const edits = fc.tuple(
      fc.nat(),
      fc.nat(4),
      fc.constantFrom(
        '',
        '"',
        '\\',
        ',',
        ':',
        '{',
        '}',
        '[',
        ']',
        ' ',
        'u',
        '0',
        '-',
        '.',
        'e',
        '\u0001',
        'n',
        't',
        '\n',
      ),
    );
    fc.assert(
      fc.property(record, fc.array(edits, { minLength: 1, maxLength: 3 }), (value, changes) => {
        let text = JSON.stringify(value);
        for (const [at, cut, add] of changes) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + add + text.slice(i + cut);
        }
        // The scanner reads valid UTF-8 only (its caller checks): a cut surrogate pair is not that.
        fc.pre(!LONE_SURROGATE.test(text));
        checkAgainstJsonParse(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps the last of repeated keys, and declines escaped keys, other values and deep nesting', () => {
    expect(checkAgainstJsonParse('{"input":"x","input":"y"}')).toBe(true);
    expect(checkAgainstJsonParse('{"input":"x","input":7}')).toBe(true);
    expect(checkAgainstJsonParse('{"in\\u0070ut":"x"}')).toBe(false);
    for (const text of [
      '[]',
      '"a"',
      '1',
      'null',
      '{} {}',
      '{"a":1,}',
      '{"a":01}',
      '{"a":1.}',
      '{"a":tru}',
      `{"a":${'['.repeat(70)}${']'.repeat(70)}}`,
    ]) {
      expect(checkAgainstJsonParse(text), text).toBe(false);
    }
    expect(checkAgainstJsonParse(`{"a":${'['.repeat(40)}${']'.repeat(40)}, "b": -0.5e+3}`)).toBe(true);
  });
});
