/**
 * How the audit reads a record's content: with the same presets compose uses (so a record's
 * content key here equals the key compose gave it), and, for records no preset fits (exam items
 * with `question`/`option`/`anwer`, arrays of strings), every string in the record in document
 * order. An audit must measure any dataset it is pointed at, not refuse unknown shapes.
 */
import type { PresetName } from '../recipe/types.js';
import type { SampleBody } from '../sample.js';
import { PROVENANCE_FIELDS } from '../recipe/resolve-output.js';
import { detectPreset, presetMapper } from '../records/map/schema-for.js';

/** The fields compose's provenance adds: `source`, `group`, `origin`. */
export interface Provenance {
  readonly source: string;
  readonly group: string;
  readonly origin: string;
}

/** The record's provenance when it carries all three fields as strings. */
export function provenanceOf(value: unknown): Provenance | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { source, group, origin } = value as Record<string, unknown>;
  if (typeof source !== 'string' || typeof group !== 'string' || typeof origin !== 'string') return undefined;
  return { source, group, origin };
}

/** `auto`, or a preset name from `--schema`. */
export type AuditSchema = PresetName | 'auto';

export interface BodyReader {
  /** A preset name, or `fields` for the every-string fallback. */
  readonly name: PresetName | 'fields';
  /** Throws `RecordError` when the record does not fit the preset. */
  readonly toBody: (value: unknown) => SampleBody;
}

function collectStrings(value: unknown, out: string[], skipProvenance: boolean): void {
  if (typeof value === 'string') {
    out.push(value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, out, false);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (skipProvenance && (PROVENANCE_FIELDS as readonly string[]).includes(key)) continue;
    collectStrings(item, out, false);
  }
}

/** Every string of the record (provenance fields left out), joined by newlines, as plain text. */
export function fieldsBody(value: unknown): SampleBody {
  const out: string[] = [];
  collectStrings(value, out, provenanceOf(value) !== undefined);
  return { kind: 'text', text: out.join('\n') };
}

const FIELDS_READER: BodyReader = { name: 'fields', toBody: fieldsBody };

/** The reader for a file, chosen from its first record when the schema is `auto`. */
export function bodyReaderFor(schema: AuditSchema, firstValue: unknown): BodyReader {
  const preset = schema === 'auto' ? detectPreset(firstValue) : schema;
  if (!preset) return FIELDS_READER;
  const mapper = presetMapper(preset);
  return { name: preset, toBody: mapper.toBody };
}

/** The reader a file was read with, by the name `bodyReaderFor` gave it (reading a record again). */
export function bodyReaderNamed(name: PresetName | 'fields'): BodyReader {
  if (name === 'fields') return FIELDS_READER;
  return { name, toBody: presetMapper(name).toBody };
}

/** Messages in a chat body; a plain-text body counts as one turn. */
export function turnsOf(body: SampleBody): number {
  return body.kind === 'chat' ? body.messages.length : 1;
}

/**
 * The user side of a chat (user turns joined by newlines), which eval overlap also matches on:
 * a benchmark question pasted with a different answer is still contamination. Undefined for plain
 * text and for chats without a user turn.
 */
export function promptOf(body: SampleBody): string | undefined {
  if (body.kind !== 'chat') return undefined;
  let prompt: string | undefined;
  for (const message of body.messages) {
    if (message.role !== 'user') continue;
    prompt = prompt === undefined ? message.content : `${prompt}\n${message.content}`;
  }
  return prompt;
}

/**
 * A chat whose only user turn is its first message: its text (`sampleText`) is that prompt, then
 * a newline and the rest of the turns (`rest`), or the prompt alone (`rest` null). The audit then
 * normalises prompt and rest once each instead of the prompt twice (`record-facts.ts`).
 * Undefined for any other body.
 */
export function leadingPrompt(body: SampleBody): { readonly prompt: string; readonly rest: string | null } | undefined {
  if (body.kind !== 'chat' || body.messages.length === 0 || body.messages[0]!.role !== 'user') return undefined;
  let rest: string | null = null;
  for (let i = 1; i < body.messages.length; i++) {
    const message = body.messages[i]!;
    if (message.role === 'user') return undefined;
    rest = rest === null ? message.content : `${rest}\n${message.content}`;
  }
  return { prompt: body.messages[0]!.content, rest };
}
