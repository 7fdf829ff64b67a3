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

/** `{path}` or `{path?}`; the question mark makes a missing field an empty string. */
const PLACEHOLDER = /\{([^{}]+)\}/g;

function stringAt(record: unknown, path: string, optional: boolean): string | undefined {
  const value = getPath(record, path);
  if (value === undefined || value === null) {
    if (optional) return undefined;
    const where = missingPathHint(record, path);
    throw new RecordError('INPUT_FIELD_MISSING', `missing field "${path}" (schema mapping)`, `${where ? `${where}; ` : ''}mark the turn optional: true (or write {${path}?} in a template) if the field may be absent`);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new RecordError('INPUT_FIELD_TYPE', `field "${path}" must be a string, got ${describeValue(value)} (schema mapping)`, 'map a field that holds text, or a path into the list/object (e.g. field.0.text)');
  return value;
}

function fillTemplate(record: unknown, template: string, optional: boolean): string | undefined {
  let missing = false;
  const text = template.replace(PLACEHOLDER, (_, inner: string) => {
    const trimmed = inner.trim();
    const maybe = trimmed.endsWith('?');
    const value = stringAt(record, maybe ? trimmed.slice(0, -1).trim() : trimmed, optional || maybe);
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
    const content = turn.from !== undefined ? stringAt(record, turn.from, optional) : fillTemplate(record, turn.template ?? '', optional);
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
