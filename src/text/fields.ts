/**
 * Which part of a sample near-duplicate detection and decontamination look at.
 *
 * `user` lets "same question, different answer" count as a near duplicate (the answers are
 * ignored); `assistant` compares answers only; `all` compares every message, the system prompt
 * included, exactly as `sampleText` joins them.
 */
import { type SampleBody, sampleText } from '../sample.js';

export type TextFields = 'user' | 'assistant' | 'all';

/**
 * The text of the chosen fields, messages joined by a newline. A plain-text sample has one field,
 * which every choice returns: it has no roles to tell apart.
 */
export function textForFields(body: SampleBody, fields: TextFields): string {
  if (body.kind === 'text' || fields === 'all') return sampleText(body);
  let text = '';
  let first = true;
  for (const message of body.messages) {
    if (message.role !== fields) continue;
    if (!first) text += '\n';
    text += message.content;
    first = false;
  }
  return text;
}
