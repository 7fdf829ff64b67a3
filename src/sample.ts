/**
 * The one record type that flows through every stage after reading.
 *
 * Readers produce raw values; a schema (preset or mapping) turns each into a `Sample`; writers
 * render a `Sample` into the output schema. Source-specific fields live in `meta`, and `raw` keeps
 * the original record for the `passthrough` output schema.
 */

/** A chat turn. Roles are the OpenAI ones; extra fields (tool_calls, name…) ride in `extra`. */
export interface Message {
  readonly role: string;
  readonly content: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export type SampleBody =
  | { readonly kind: 'chat'; readonly messages: readonly Message[] }
  | { readonly kind: 'text'; readonly text: string };

export interface Sample {
  /** `source:origin`, stable across runs and machines. */
  readonly id: string;
  readonly source: string;
  readonly group: string;
  /** `file:line` (or `file:row N`), the file relative to the recipe's folder. */
  readonly origin: string;
  readonly body: SampleBody;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly raw: unknown;
  /**
   * The record's JSON text, when it was read as JSON (JSONL lines, elements of JSON arrays and
   * keyed objects): passthrough output takes the numbers a double cannot hold from it
   * (json/exact-numbers.ts).
   */
  readonly jsonText?: string | undefined;
}

/** The text fields of a sample joined as dedup and length measures see them. */
export function sampleText(body: SampleBody): string {
  if (body.kind === 'text') return body.text;
  let text = '';
  for (let i = 0; i < body.messages.length; i++) {
    if (i > 0) text += '\n';
    text += body.messages[i]!.content;
  }
  return text;
}
