/**
 * Chat templates for `output.schema: text`: turn a conversation into one training string.
 *
 * A template is a per-message pattern with `{role}` and `{content}` placeholders, plus an optional
 * prefix and suffix for the whole conversation. Built-ins cover the common formats by name; a
 * recipe can give its own pattern as a string (`"<|{role}|>\n{content}</s>\n"`) or as a mapping
 * with `message`, `prefix` and `suffix`. Placeholders are replaced in one pass, so a message that
 * itself contains `{role}` is left as written.
 */
import type { OutputTemplate } from './types.js';
import type { Message } from '../sample.js';

export interface ChatTemplate {
  /** Per message; `{role}` and `{content}` are replaced. */
  readonly message: string;
  /** Before the first message (e.g. a BOS token). */
  readonly prefix: string;
  /** After the last message. */
  readonly suffix: string;
}

/** A template as a recipe writes it: a built-in's name, a message pattern, or a mapping. */
export type TemplateSpec = OutputTemplate;

export const BUILT_IN_TEMPLATES: Readonly<Record<string, ChatTemplate>> = {
  chatml: { prefix: '', message: '<|im_start|>{role}\n{content}<|im_end|>\n', suffix: '' },
  llama3: {
    prefix: '<|begin_of_text|>',
    message: '<|start_header_id|>{role}<|end_header_id|>\n\n{content}<|eot_id|>',
    suffix: '',
  },
  zephyr: { prefix: '', message: '<|{role}|>\n{content}</s>\n', suffix: '' },
};

/** Names of the built-in templates, for messages and the recipe schema. */
export const BUILT_IN_TEMPLATE_NAMES: readonly string[] = Object.keys(BUILT_IN_TEMPLATES);

/**
 * The template a spec means, or undefined when a string is neither a built-in's name nor a
 * pattern with `{content}`.
 */
export function resolveTemplate(spec: TemplateSpec): ChatTemplate | undefined {
  if (typeof spec === 'string') {
    const builtIn = BUILT_IN_TEMPLATES[spec];
    if (builtIn) return builtIn;
    return spec.includes('{content}') ? { prefix: '', message: spec, suffix: '' } : undefined;
  }
  return spec.message.includes('{content}')
    ? { prefix: spec.prefix ?? '', message: spec.message, suffix: spec.suffix ?? '' }
    : undefined;
}

/** The conversation as one string. */
export function applyTemplate(template: ChatTemplate, messages: readonly Message[]): string {
  let text = template.prefix;
  for (const message of messages) {
    text += template.message.replace(/\{(role|content)\}/g, (_match, name: string) =>
      name === 'role' ? message.role : message.content,
    );
  }
  return text + template.suffix;
}
