/**
 * A recipe's own field mapping, for records no preset fits: field paths or `{field}` templates to
 * roles, an optional constant system prompt, and fields kept in `meta`.
 */
import type { FieldMapping } from '../recipe/types.js';
import type { Message, SampleBody } from '../sample.js';
import { getPath } from './field-path.js';
import { describeValue, RecordError } from './record-error.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;

function stringAt(record: unknown, path: string, optional: boolean): string | undefined {
  const value = getPath(record, path);
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw new RecordError('INPUT_FIELD_MISSING', `missing field "${path}" (schema mapping)`, 'mark the turn optional: true if the field may be absent');
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new RecordError('INPUT_FIELD_TYPE', `field "${path}" must be a string, got ${describeValue(value)} (schema mapping)`);
  return value;
}

function fillTemplate(record: unknown, template: string, optional: boolean): string | undefined {
  let missing = false;
  const text = template.replace(PLACEHOLDER, (_, path: string) => {
    const value = stringAt(record, path.trim(), optional);
    if (value === undefined) missing = true;
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
