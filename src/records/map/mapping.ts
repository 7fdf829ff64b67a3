/**
 * A recipe's own field mapping, for records no preset fits: field paths or `{field}` templates to
 * roles (several columns joined into one turn), turns from a list field (`messages`), an optional
 * constant system prompt, and fields kept in `meta`.
 */
import type { FieldMapping } from '../../recipe/types.js';
import type { Message, SampleBody } from '../../sample.js';
import { getPath, missingPathHint } from './field-path.js';
import { mappedMessages } from './messages-mapping.js';
import { describeValue, RecordError } from './record-error.js';

/**
 * `{path}` or `{path?}`; the question mark makes a missing field an empty string. `{path|SEP}`
 * renders a list as its items joined by SEP, and an object as one `key. value` entry per member
 * joined by SEP; `{path|SEP|KV}` puts KV between key and value instead of `. `.
 */
const PLACEHOLDER = /\{([^{}]+)\}/g;

/** How a list or an object becomes text in a template: `{answers|\n}`, `{correct_answers|, }`, `{options|\n|) }`. */
interface Joining {
  readonly separator: string;
  readonly keyValue: string;
}

/** `\n` and `\t` written in a separator stand for a line break and a tab (YAML single quotes and plain scalars keep them as two characters). */
const unescapeSeparator = (text: string) => text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');

const LIST_HINT =
  'in a template, {field|SEP} joins a list with SEP and writes an object as "key. value" entries ({answers|\\n}, {correct_answers|, }); or map a path into it (e.g. field.0.text)';

function scalarText(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new RecordError(
    'INPUT_FIELD_TYPE',
    `field "${path}" holds ${describeValue(value)} where text is needed (schema mapping)`,
    'a list or object rendered by {field|SEP} must hold text or numbers',
  );
}

function joined(value: unknown, path: string, joining: Joining): string {
  if (Array.isArray(value))
    return value
      .filter((item) => item !== null && item !== undefined)
      .map((item) => scalarText(item, path))
      .join(joining.separator);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => `${key}${joining.keyValue}${scalarText(item, `${path}.${key}`)}`)
      .join(joining.separator);
  }
  return scalarText(value, path);
}

function stringAt(record: unknown, path: string, optional: boolean, joining?: Joining): string | undefined {
  const value = getPath(record, path);
  if (value === undefined || value === null) {
    if (optional) return undefined;
    const where = missingPathHint(record, path);
    throw new RecordError(
      'INPUT_FIELD_MISSING',
      `missing field "${path}" (schema mapping)`,
      `${where ? `${where}; ` : ''}mark the turn optional: true (or write {${path}?} in a template) if the field may be absent`,
    );
  }
  if (joining) return joined(value, path, joining);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string')
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `field "${path}" must be a string, got ${describeValue(value)} (schema mapping)`,
      LIST_HINT,
    );
  return value;
}

function fillTemplate(record: unknown, template: string, optional: boolean): string | undefined {
  let missing = false;
  const text = template.replace(PLACEHOLDER, (_, inner: string) => {
    const bar = inner.indexOf('|');
    const trimmed = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    let joining: Joining | undefined;
    if (bar !== -1) {
      const [separator = '', keyValue = '. '] = inner.slice(bar + 1).split('|');
      joining = { separator: unescapeSeparator(separator), keyValue: unescapeSeparator(keyValue) };
    }
    const maybe = trimmed.endsWith('?');
    const value = stringAt(record, maybe ? trimmed.slice(0, -1).trim() : trimmed, optional || maybe, joining);
    if (value === undefined && !maybe) missing = true;
    return value ?? '';
  });
  return missing && optional ? undefined : text;
}

export function applyMapping(mapping: FieldMapping, record: unknown): SampleBody {
  if (mapping.text !== undefined) {
    return { kind: 'text', text: stringAt(record, mapping.text, false)! };
  }
  const messages: Message[] = [];
  if (mapping.system !== undefined) messages.push({ role: 'system', content: mapping.system });
  if (mapping.messages) messages.push(...mappedMessages(record, mapping.messages));
  for (const turn of mapping.turns ?? []) {
    const optional = turn.optional ?? false;
    const content =
      turn.from !== undefined
        ? stringAt(record, turn.from, optional)
        : fillTemplate(record, turn.template ?? '', optional);
    if (content === undefined || (optional && content.trim() === '')) continue;
    messages.push({ role: turn.role, content });
  }
  return { kind: 'chat', messages };
}

export function mappedMeta(mapping: FieldMapping, record: unknown): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const path of mapping.meta ?? []) {
    const value = getPath(record, path);
    if (value !== undefined) meta[path] = value;
  }
  return meta;
}
