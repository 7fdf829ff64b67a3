/**
 * Translate ajv's findings into our words: one message per problem, at the right place, with
 * allowed values for enums and a did-you-mean for unknown keys. ajv reports every branch of a
 * `oneOf`; we keep the branch that matches the value's shape.
 */
import type { ErrorObject } from 'ajv';
import type { ErrorCode } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { displayPath, pointerToPath } from './positions.js';

export interface SchemaProblem {
  readonly code: ErrorCode;
  readonly path: readonly string[];
  /** Point at the key rather than the value (unknown keys). */
  readonly atKey: boolean;
  readonly message: string;
  readonly hint?: string;
  /** For an unknown key: the allowed key it is probably a typo of. */
  readonly guess?: string;
  /** For a missing key: its name. */
  readonly missing?: string;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function problemFor(error: ErrorObject, root: unknown): SchemaProblem | undefined {
  const path = pointerToPath(error.instancePath);
  const where = displayPath(path);
  const value = valueAt(root, path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
      const allowed = Object.keys(parent?.properties ?? {}).filter((k) => k !== '$schema');
      const guess = didYouMean(key, allowed);
      const container = path.length === 0 ? 'the recipe' : where;
      return {
        code: 'RECIPE_UNKNOWN_KEY',
        path: [...path, key],
        atKey: true,
        message: `${container} has unknown key "${key}"${guess ? ` — did you mean "${guess}"?` : ''}`,
        hint: `allowed keys here: ${allowed.join(', ')}`,
        ...(guess ? { guess } : {}),
      };
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return { code: 'RECIPE_SCHEMA', path, atKey: false, message: `${where} is missing "${missing}"`, missing };
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const guess = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      return {
        code: 'RECIPE_SCHEMA',
        path,
        atKey: false,
        message: `${where} must be one of ${allowed.join(', ')}; got ${describe(value)}${guess ? ` — did you mean "${guess}"?` : ''}`,
      };
    }
    case 'type': {
      const expected = String((error.params as { type: string }).type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(' or ');
      return {
        code: 'RECIPE_SCHEMA',
        path,
        atKey: false,
        message: `${where} must be ${expected}; got ${describe(value)}`,
      };
    }
    case 'maximum': {
      const limit = (error.params as { limit: number }).limit;
      return {
        code: 'RECIPE_SCHEMA',
        path,
        atKey: false,
        message: `${where} must be at most ${limit}; got ${describe(value)}`,
        hint: 'the limits and their reasons are in docs/recipe.md',
      };
    }
    case 'oneOf':
    case 'anyOf':
    case 'if':
      return undefined;
    default:
      return {
        code: 'RECIPE_SCHEMA',
        path,
        atKey: false,
        message: `${where} ${error.message ?? 'is not valid'}; got ${describe(value)}`,
      };
  }
}

const isObjectValue = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Drop the findings of `oneOf` branches that do not fit the value's shape, and merge the rest. */
export function translateSchemaErrors(errors: readonly ErrorObject[], root: unknown): SchemaProblem[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  const problems: SchemaProblem[] = [];
  for (const [pointer, list] of byPath) {
    const value = valueAt(root, pointerToPath(pointer));
    const hasDeeper = errors.some((e) => e.instancePath.startsWith(`${pointer}/`));
    let kept = list;
    if (
      isObjectValue(value) &&
      (hasDeeper || list.some((e) => e.keyword === 'additionalProperties' || e.keyword === 'required'))
    ) {
      // The value is a mapping: findings that expect a scalar come from another oneOf branch.
      kept = list.filter((e) => e.keyword !== 'type' && e.keyword !== 'enum');
    } else if (!isObjectValue(value)) {
      kept = list.filter((e) => e.keyword !== 'required' && e.keyword !== 'additionalProperties');
    }
    // A number out of bounds matched a numeric oneOf branch: "must be a string" from another branch is noise.
    if (kept.some((e) => e.keyword === 'minimum' || e.keyword === 'maximum'))
      kept = kept.filter((e) => e.keyword !== 'type');
    const types = kept.filter((e) => e.keyword === 'type');
    const enums = kept.filter((e) => e.keyword === 'enum');
    if (enums.length > 0) kept = kept.filter((e) => e.keyword !== 'type');
    else if (types.length > 1) {
      const merged = {
        ...types[0]!,
        params: { type: types.map((t) => (t.params as { type: string }).type).join(',') },
      };
      kept = [merged, ...kept.filter((e) => e.keyword !== 'type')];
    }
    const required = kept.filter((e) => e.keyword === 'required');
    if (required.length > 1 && list.some((e) => e.keyword === 'oneOf')) {
      // A mapping that needs one of several keys: say so once.
      const names = required.map((e) => `"${(e.params as { missingProperty: string }).missingProperty}"`).join(' or ');
      const path = pointerToPath(pointer);
      problems.push({ code: 'RECIPE_SCHEMA', path, atKey: false, message: `${displayPath(path)} needs ${names}` });
      kept = kept.filter((e) => e.keyword !== 'required');
    }
    for (const error of kept) {
      const problem = problemFor(error, root);
      if (problem && !problems.some((p) => p.message === problem.message)) problems.push(problem);
    }
    if (kept.length === 0 && list.some((e) => e.keyword === 'oneOf') && !hasDeeper) {
      const path = pointerToPath(pointer);
      problems.push({
        code: 'RECIPE_SCHEMA',
        path,
        atKey: false,
        message: `${displayPath(path)} has the wrong shape; got ${describe(value)}`,
      });
    }
  }
  return dropMissingExplainedByTypos(problems);
}

/** "missing group" next to "unknown key gruop — did you mean group?" is one problem, not two. */
function dropMissingExplainedByTypos(problems: SchemaProblem[]): SchemaProblem[] {
  const parentOf = (p: SchemaProblem) => p.path.slice(0, p.guess ? -1 : undefined).join('/');
  const explained = new Set(problems.filter((p) => p.guess).map((p) => `${parentOf(p)}#${p.guess}`));
  return problems.filter((p) => !(p.missing && explained.has(`${parentOf(p)}#${p.missing}`)));
}
