/**
 * Turns from a list field, for the conversation shapes no preset names: ShareGPT with other keys
 * or role names, `[{human, assistant}]` pair lists (Firefly), lists of plain strings with
 * alternating roles (Apollo's training arrays), `{role, content}` lists under any key.
 */
import type { MessagesMapping } from '../../recipe/types.js';
import type { Message } from '../../sample.js';
import { getPath, missingPathHint } from './field-path.js';
import { describeValue, RecordError } from './record-error.js';

function listAt(record: unknown, mapping: MessagesMapping): readonly unknown[] {
  const list = mapping.from === undefined ? record : getPath(record, mapping.from);
  const name = mapping.from === undefined ? 'the record' : `field "${mapping.from}"`;
  if (list === undefined || list === null) {
    const hint = mapping.from === undefined ? undefined : missingPathHint(record, mapping.from);
    throw new RecordError('INPUT_FIELD_MISSING', `missing ${name} (schema mapping messages)`, hint);
  }
  if (!Array.isArray(list))
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `${name} must be a list of turns, got ${describeValue(list)} (schema mapping messages)`,
    );
  return list;
}

function text(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null)
    throw new RecordError('INPUT_FIELD_MISSING', `${where} is missing (schema mapping messages)`);
  throw new RecordError(
    'INPUT_FIELD_TYPE',
    `${where} must be a string, got ${describeValue(value)} (schema mapping messages)`,
  );
}

function alternating(list: readonly unknown[], roles: readonly string[], label: string): Message[] {
  return list.map((item, i) => ({ role: roles[i % roles.length]!, content: text(item, `${label}[${i}]`) }));
}

function keyed(list: readonly unknown[], keys: Readonly<Record<string, string>>, label: string): Message[] {
  const messages: Message[] = [];
  list.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new RecordError(
        'INPUT_FIELD_TYPE',
        `${label}[${i}] must be an object with ${Object.keys(keys).join('/')} (schema mapping messages)`,
      );
    }
    for (const [key, role] of Object.entries(keys)) {
      const value = (item as Record<string, unknown>)[key];
      if (value === undefined || value === null) continue; // a last question without its answer
      messages.push({ role, content: text(value, `${label}[${i}].${key}`) });
    }
  });
  return messages;
}

function roleContent(list: readonly unknown[], mapping: MessagesMapping, label: string): Message[] {
  const roleKey = mapping.role ?? 'role';
  const contentKey = mapping.content ?? 'content';
  return list.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new RecordError(
        'INPUT_FIELD_TYPE',
        `${label}[${i}] must be an object with "${roleKey}" and "${contentKey}", got ${describeValue(item)} (schema mapping messages)`,
      );
    }
    const fields = item as Record<string, unknown>;
    const found = text(fields[roleKey], `${label}[${i}].${roleKey}`);
    // null content is a tool-call turn (OpenAI); an absent key is a wrong `content:` setting.
    const content = fields[contentKey] === null ? '' : text(fields[contentKey], `${label}[${i}].${contentKey}`);
    return { role: mapping.roles?.[found] ?? found, content };
  });
}

/** The turns `mapping` describes in `record`. Throws RecordError naming the item that does not fit. */
export function mappedMessages(record: unknown, mapping: MessagesMapping): Message[] {
  const list = listAt(record, mapping);
  const label = mapping.from ?? 'record';
  if (mapping.alternate) return alternating(list, mapping.alternate, label);
  if (mapping.keys) return keyed(list, mapping.keys, label);
  return roleContent(list, mapping, label);
}
