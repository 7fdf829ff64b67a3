/**
 * Per-source filters as one pure check per mapped sample. Each check is a small predicate that
 * returns the name of the recipe setting that drops the sample; the scan owns the loop and counts
 * the reasons into the manifest (`sources.<s>.filtered.<reason>`).
 *
 * Checks run in a fixed order and the first that fails names the reason, so each dropped sample
 * is counted once and the counts do not depend on anything but the sample:
 * drop_empty_turns, require_roles, min/max_chars_per_turn, min/max_chars.
 */
import type { SourceFilters } from '../../recipe/types.js';
import type { Message, SampleBody } from '../../sample.js';
import { charCount } from './char-count.js';

export type DropReason =
  | 'drop_empty_turns'
  | 'require_roles'
  | 'min_chars_per_turn'
  | 'max_chars_per_turn'
  | 'min_chars'
  | 'max_chars';

/** Returns why a sample is dropped, or undefined to keep it. */
export type SampleFilter = (body: SampleBody) => DropReason | undefined;

type Check = (turns: readonly Message[], totalChars: () => number) => DropReason | undefined;

/** A text sample is one turn (role `text`): per-turn limits apply to it, required roles never match. */
function turnsOf(body: SampleBody): readonly Message[] {
  return body.kind === 'chat' ? body.messages : [{ role: 'text', content: body.text }];
}

function checksFor(filters: SourceFilters): Check[] {
  const checks: Check[] = [];
  if (filters.drop_empty_turns) {
    checks.push((turns) => (turns.some((t) => t.content.trim() === '') ? 'drop_empty_turns' : undefined));
  }
  const required = filters.require_roles;
  if (required && required.length > 0) {
    checks.push((turns) =>
      required.every((role) => turns.some((t) => t.role === role)) ? undefined : 'require_roles',
    );
  }
  const { min_chars_per_turn: minTurn, max_chars_per_turn: maxTurn } = filters;
  if (minTurn !== undefined)
    checks.push((turns) => (turns.some((t) => charCount(t.content) < minTurn) ? 'min_chars_per_turn' : undefined));
  if (maxTurn !== undefined)
    checks.push((turns) => (turns.some((t) => charCount(t.content) > maxTurn) ? 'max_chars_per_turn' : undefined));
  const { min_chars: min, max_chars: max } = filters;
  if (min !== undefined) checks.push((_, total) => (total() < min ? 'min_chars' : undefined));
  if (max !== undefined) checks.push((_, total) => (total() > max ? 'max_chars' : undefined));
  return checks;
}

/**
 * The sample's characters for min/max_chars: the turns' characters summed. Separators between
 * turns are not content, so they do not count.
 */
function totalChars(turns: readonly Message[]): number {
  let total = 0;
  for (const turn of turns) total += charCount(turn.content);
  return total;
}

/** One function for a source's filters; undefined when the source sets none (the common case costs nothing). */
export function compileFilters(filters: SourceFilters | undefined): SampleFilter | undefined {
  const checks = filters ? checksFor(filters) : [];
  if (checks.length === 0) return undefined;
  return (body) => {
    const turns = turnsOf(body);
    let total: number | undefined;
    const lazyTotal = () => (total ??= totalChars(turns));
    for (const check of checks) {
      const reason = check(turns, lazyTotal);
      if (reason) return reason;
    }
    return undefined;
  };
}
