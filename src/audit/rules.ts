/**
 * `--expect` rules for CI: `share.medical=0.30±0.005`, `dup.exact=0`, `tokens.p95<=8192`.
 * A rule names one figure of the report (see `figures.ts`), an operator and a number; `±` (or
 * `+-`) gives a tolerance for `=`, and `%` divides by 100 (`share.medical=30%±0.5%`).
 * Parsing is checked before any file is read, so a typo costs nothing.
 */
import { MixsmithError } from '../errors.js';
import { didYouMean } from '../recipe/did-you-mean.js';

export type RuleOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Rule {
  /** The rule as written. */
  readonly text: string;
  readonly figure: string;
  readonly op: RuleOperator;
  readonly value: number;
  /** Allowed distance for `=` (0 = exact, up to floating-point noise). */
  readonly tolerance: number;
}

export interface RuleResult {
  readonly rule: string;
  readonly figure: string;
  /** The figure's value in the audited data. */
  readonly actual: number;
  readonly ok: boolean;
}

const NUMBER = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?%?`;
const RULE = new RegExp(
  String.raw`^\s*([^<>=!\s±]+)\s*(<=|>=|==|!=|=|<|>)\s*(${NUMBER})\s*(?:(?:±|\+-|\+/-)\s*(${NUMBER}))?\s*$`,
  'i',
);

function parseNumber(text: string): number {
  return text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
}

export function parseRule(text: string): Rule {
  const match = RULE.exec(text);
  if (!match) {
    throw new MixsmithError('USAGE', `--expect "${text}" is not a rule`, {
      hint: 'write FIGURE OP NUMBER, e.g. share.medical=0.30±0.005, dup.exact=0, leak.validation=0, tokens.p95<=8192 (OP: = != < <= > >=)',
    });
  }
  const op = (match[2] === '==' ? '=' : match[2]) as RuleOperator;
  if (match[4] !== undefined && op !== '=') {
    throw new MixsmithError('USAGE', `--expect "${text}": a ± tolerance only goes with =`, {
      hint: 'write e.g. share.medical=0.30±0.005',
    });
  }
  return {
    text: text.trim(),
    figure: match[1]!,
    op,
    value: parseNumber(match[3]!),
    tolerance: match[4] === undefined ? 0 : Math.abs(parseNumber(match[4])),
  };
}

/** Floating-point slack, so 0.1 + 0.2 = 0.3 holds. */
const EPSILON = 1e-9;

export function holds(rule: Rule, actual: number): boolean {
  const slack = EPSILON * Math.max(1, Math.abs(rule.value));
  switch (rule.op) {
    case '=':
      return Math.abs(actual - rule.value) <= rule.tolerance + slack;
    case '!=':
      return Math.abs(actual - rule.value) > slack;
    case '<':
      return actual < rule.value;
    case '<=':
      return actual <= rule.value + slack;
    case '>':
      return actual > rule.value;
    case '>=':
      return actual >= rule.value - slack;
  }
}

/** Check rules against one subject's figures; a figure the subject lacks is a usage error. */
export function evaluateRules(
  rules: readonly Rule[],
  figures: Readonly<Record<string, number>>,
  subject: string,
): RuleResult[] {
  return rules.map((rule) => {
    const actual = figures[rule.figure];
    if (actual === undefined) {
      const names = Object.keys(figures);
      const near = didYouMean(rule.figure, names);
      const family = names.filter((n) => n.split('.')[0] === rule.figure.split('.')[0]).slice(0, 8);
      throw new MixsmithError('USAGE', `--expect "${rule.text}": ${subject} has no figure "${rule.figure}"`, {
        hint: near
          ? `did you mean "${near}"?`
          : family.length > 0
            ? `figures of that kind here: ${family.join(', ')}`
            : 'run mixsmith audit --json to list every figure under "figures"',
      });
    }
    return { rule: rule.text, figure: rule.figure, actual, ok: holds(rule, actual) };
  });
}
