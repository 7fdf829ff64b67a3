/**
 * Read a recipe (YAML or JSON), apply `--set` overrides, validate it against
 * `schemas/recipe.schema.json` and the rules a schema cannot state, and fill in defaults.
 * Every problem is reported at once, each at its `file:line:col`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { type Diagnostic, type ErrorCode, MixsmithError } from '../errors.js';
import { packageFile } from '../package-info.js';
import { didYouMean } from './did-you-mean.js';
import { type Override, parseOverrides } from './overrides.js';
import { displayPath, positionOf } from './positions.js';
import { translateSchemaErrors } from './schema-errors.js';
import { resolveRecipe } from './resolve.js';
import { outputProblems } from './resolve-output.js';
import { MAX_VOLUME, parseVolume } from './volume.js';
import { DEFAULT_NEAR_DUP_SETTINGS, MAX_NEAR_DUP_HASHES } from '../near-dup/defaults.js';
import type { LoadedRecipe } from './types.js';
import { readFileSync } from 'node:fs';

let validator: ValidateFunction | undefined;

function recipeValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(packageFile('schemas/recipe.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
  }
  return validator;
}

export interface LoadRecipeOptions {
  /** `path.to.key=value` strings, applied in order. */
  readonly set?: readonly string[];
}

interface Located {
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly text: string;
  readonly file: string;
  readonly overrides: readonly Override[];
}

function diagnosticAt(
  located: Located,
  code: ErrorCode,
  pathSegments: readonly string[],
  message: string,
  options: { atKey?: boolean; hint?: string | undefined } = {},
): Diagnostic {
  const override = located.overrides.findLast((o) => o.path.every((segment, i) => pathSegments[i] === segment));
  if (override) {
    return {
      code,
      message,
      where: { file: `--set ${override.text}` },
      ...(options.hint ? { hint: options.hint } : {}),
    };
  }
  const position = positionOf(located.doc, located.lineCounter, located.text, pathSegments, options.atKey ?? false);
  return {
    code,
    message,
    where: position ? { file: located.file, line: position.line, col: position.col } : { file: located.file },
    ...(options.hint ? { hint: options.hint } : {}),
    ...(position ? { excerpt: `${position.lineText}\n${' '.repeat(position.col - 1)}^` } : {}),
  };
}

/** `sources.medqa.path` addresses the source named medqa; numbers index lists. */
function resolveOverridePath(doc: Document, override: Override): string[] {
  const resolved: string[] = [];
  let node: unknown = doc.contents;
  for (const segment of override.path) {
    // A key written with no value (`split:`) holds null: the override gives it its first entry.
    if (isScalar(node) && node.value === null && resolved.length > 0) {
      doc.deleteIn(resolved.map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
      node = undefined;
    } else if (node !== undefined && node !== null && !isMap(node) && !isSeq(node)) {
      throw new MixsmithError(
        'USAGE',
        `--set ${override.text}: ${displayPath(resolved)} is a value, not a mapping or list, so it has no "${segment}"`,
        {
          where: { file: `--set ${override.text}` },
          hint: `set ${displayPath(resolved)} itself, e.g. --set ${resolved.join('.')}=VALUE`,
        },
      );
    }
    if (isSeq(node) && !/^\d+$/.test(segment)) {
      const index = node.items.findIndex((item) => isMap(item) && item.get('name') === segment);
      if (index === -1) {
        throw new MixsmithError(
          'USAGE',
          `--set ${override.text}: no entry named "${segment}" under ${displayPath(resolved)}`,
          {
            where: { file: `--set ${override.text}` },
            hint: 'address list entries by their name or their index, e.g. sources.0.path',
          },
        );
      }
      resolved.push(String(index));
      node = node.items[index];
    } else {
      // A list index may name an entry or append one (index = length, 0 for a list not there yet);
      // a larger one would make yaml fill the gap with that many empty entries (hangs at 10^8).
      if (/^\d+$/.test(segment) && !isMap(node)) {
        const length = isSeq(node) ? node.items.length : 0;
        if (Number(segment) > length) {
          throw new MixsmithError(
            'USAGE',
            `--set ${override.text}: index ${segment} is past the end of ${displayPath(resolved)}, which has ${length} ${length === 1 ? 'entry' : 'entries'}`,
            {
              where: { file: `--set ${override.text}` },
              hint: `use an index from 0 to ${length} (${length} appends an entry), or the entry's name`,
            },
          );
        }
      }
      resolved.push(segment);
      node = isMap(node) || isSeq(node) ? node.get(isSeq(node) ? Number(segment) : segment, true) : undefined;
    }
  }
  return resolved;
}

function applyOverrides(doc: Document, overrides: readonly Override[]): Override[] {
  const applied: Override[] = [];
  for (const override of overrides) {
    const resolvedPath = resolveOverridePath(doc, override);
    doc.setIn(
      resolvedPath.map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      doc.createNode(override.value),
    );
    applied.push({ ...override, path: resolvedPath });
  }
  return applied;
}

/** Rules that JSON Schema cannot state: sums, cross references, uniqueness. */
function semanticDiagnostics(located: Located, value: Record<string, unknown>): Diagnostic[] {
  const found: Diagnostic[] = [];
  const sources = (value.sources ?? []) as { name: string; group: string }[];
  const mixture = value.mixture as { shares: Record<string, number> };
  const groups = Object.keys(mixture.shares);
  const sum = Object.values(mixture.shares).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) {
    found.push(
      diagnosticAt(
        located,
        'RECIPE_SHARES',
        ['mixture', 'shares'],
        `mixture.shares must sum to 1; they sum to ${Number(sum.toFixed(12))}`,
        {
          hint: 'give every group its fraction of the volume, e.g. medical: 0.3 and general: 0.7',
        },
      ),
    );
  }
  const seenNames = new Map<string, number>();
  sources.forEach((source, i) => {
    if (!groups.includes(source.group)) {
      const guess = didYouMean(source.group, groups);
      found.push(
        diagnosticAt(
          located,
          'RECIPE_GROUP',
          ['sources', String(i), 'group'],
          `sources[${i}] is in group "${source.group}", which has no share in mixture.shares${guess ? ` — did you mean "${guess}"?` : ''}`,
          { hint: `groups with a share: ${groups.join(', ')}` },
        ),
      );
    }
    const earlier = seenNames.get(source.name);
    if (earlier !== undefined) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_CONFLICT',
          ['sources', String(i), 'name'],
          `sources[${i}] repeats the name "${source.name}" of sources[${earlier}]`,
          {
            hint: 'source names appear in every output record and the manifest: make them unique',
          },
        ),
      );
    } else seenNames.set(source.name, i);
  });
  for (const group of groups) {
    if ((mixture.shares[group] ?? 0) > 0 && !sources.some((s) => s.group === group)) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_GROUP',
          ['mixture', 'shares', group],
          `group "${group}" has a share but no source`,
          {
            hint: `add a source with group: ${group}, or set its share to 0`,
          },
        ),
      );
    }
  }
  const near = (value.dedup as { near?: boolean | { bands?: number; rows?: number } } | undefined)?.near;
  if (typeof near === 'object') {
    const bands = near.bands ?? DEFAULT_NEAR_DUP_SETTINGS.bands;
    const rows = near.rows ?? DEFAULT_NEAR_DUP_SETTINGS.rows;
    if (bands * rows > MAX_NEAR_DUP_HASHES) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_SCHEMA',
          ['dedup', 'near', near.bands !== undefined ? 'bands' : 'rows'],
          `dedup.near.bands × rows must be at most ${MAX_NEAR_DUP_HASHES} MinHash permutations; got ${bands} × ${rows} = ${bands * rows}`,
          {
            hint: `each permutation costs time on every record and memory per band; the default is ${DEFAULT_NEAR_DUP_SETTINGS.bands} × ${DEFAULT_NEAR_DUP_SETTINGS.rows} (see docs/near-dup.md)`,
          },
        ),
      );
    }
  }
  const prefer = ((value.dedup as { prefer?: string[] } | undefined)?.prefer ?? []) as string[];
  prefer.forEach((group, i) => {
    if (!groups.includes(group)) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_GROUP',
          ['dedup', 'prefer', String(i)],
          `dedup.prefer names "${group}", which is not a group`,
          { hint: `groups: ${groups.join(', ')}` },
        ),
      );
    }
  });
  found.push(...sourceSplitDiagnostics(located, value, groups));
  found.push(...sweepDiagnostics(located, value, mixture.shares));
  found.push(...unitDiagnostics(located, value));
  found.push(
    ...strataDiagnostics(located, mixture as { strata?: Record<string, { name: string; share: number }[]> }, groups),
  );
  const validation = (value.split as { validation?: number } | undefined)?.validation;
  if (validation !== undefined && validation >= 1 && !Number.isInteger(validation)) {
    found.push(
      diagnosticAt(
        located,
        'RECIPE_SCHEMA',
        ['split', 'validation'],
        `split.validation must be a fraction below 1 or a whole count; got ${validation}`,
        {
          hint: 'write 0.1 for a tenth of the volume, or 500 for 500 records',
        },
      ),
    );
  }
  // Output conflicts (template without text, the OpenAI target with Parquet, …) at their key's line.
  for (const { key, diagnostic } of outputProblems((value.output ?? {}) as Record<string, unknown>))
    found.push(diagnosticAt(located, diagnostic.code, ['output', key], diagnostic.message, { hint: diagnostic.hint }));
  return found;
}

/**
 * Per-source `weight` and `max`: a count max is whole, a group split by source has no strata (a
 * record would belong to two pools), and keeps one source without a max so its quota can always
 * be met (docs/recipe.md, "Sources inside a group").
 */
function sourceSplitDiagnostics(
  located: Located,
  value: Record<string, unknown>,
  groups: readonly string[],
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const sources = (value.sources ?? []) as { name: string; group: string; weight?: number; max?: number }[];
  const strata = ((value.mixture as { strata?: Record<string, unknown> }).strata ?? {}) as Record<string, unknown>;
  sources.forEach((source, i) => {
    if (source.max !== undefined && source.max >= 1 && !Number.isInteger(source.max)) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_SCHEMA',
          ['sources', String(i), 'max'],
          `sources[${i}].max must be a fraction below 1 or a whole count; got ${source.max}`,
          { hint: 'write 0.3 for at most 30 % of the group, or 5000 for at most 5000 records' },
        ),
      );
    }
  });
  for (const group of groups) {
    const members = sources.map((s, i) => ({ s, i })).filter(({ s }) => s.group === group);
    const setting = members.find(({ s }) => s.weight !== undefined || s.max !== undefined);
    if (!setting) continue;
    const key = setting.s.weight !== undefined ? 'weight' : 'max';
    if (strata[group] !== undefined) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_CONFLICT',
          ['sources', String(setting.i), key],
          `sources[${setting.i}] sets ${key}, which splits group "${group}" by source, but "${group}" also has length strata`,
          { hint: `a group is split either by length (mixture.strata.${group}) or by source (weight, max), not both` },
        ),
      );
    }
    if (members.every(({ s }) => s.max !== undefined)) {
      const last = members[members.length - 1]!;
      found.push(
        diagnosticAt(
          located,
          'RECIPE_CONFLICT',
          ['sources', String(last.i), 'max'],
          `every source of group "${group}" has a max, so its quota could not always be met`,
          { hint: `leave one source of "${group}" without max to take the rest, or lower the group's share instead` },
        ),
      );
    }
  }
  return found;
}

function strataDiagnostics(
  located: Located,
  mixture: { strata?: Record<string, { name: string; share: number }[]> },
  groups: readonly string[],
): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const [group, strata] of Object.entries(mixture.strata ?? {})) {
    if (!groups.includes(group)) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_GROUP',
          ['mixture', 'strata', group],
          `mixture.strata names "${group}", which is not a group of mixture.shares`,
          { atKey: true, hint: `groups: ${groups.join(', ')}` },
        ),
      );
    }
    const sum = strata.reduce((total, s) => total + s.share, 0);
    if (sum > 1 + 1e-9) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_SHARES',
          ['mixture', 'strata', group],
          `the strata of "${group}" take ${Number(sum.toFixed(12))} of its quota; at most 1`,
          { hint: 'the rest of the quota (1 − the strata shares) comes from records in no stratum' },
        ),
      );
    }
    const names = new Set<string>();
    strata.forEach((s, i) => {
      if (names.has(s.name))
        found.push(
          diagnosticAt(
            located,
            'RECIPE_CONFLICT',
            ['mixture', 'strata', group, String(i), 'name'],
            `stratum "${s.name}" is named twice in "${group}"`,
          ),
        );
      names.add(s.name);
    });
  }
  return found;
}

/** Every volume of a recipe counts the same unit, and token budgets name a tokenizer. */
function unitDiagnostics(located: Located, value: Record<string, unknown>): Diagnostic[] {
  const mixture = value.mixture as { volume: number | string; tokenizer?: unknown };
  const sweep = value.sweep as { volume?: (number | string)[]; points?: { volume?: number | string }[] } | undefined;
  const unit = parseVolume(mixture.volume).unit;
  const found: Diagnostic[] = [];
  const check = (volume: number | string, at: string[]) => {
    // A numeric volume is bounded by the schema; a string ("999999B tokens") only here.
    const amount = parseVolume(volume).amount;
    if (typeof volume === 'string' && !(amount >= 1 && amount <= MAX_VOLUME)) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_SCHEMA',
          at,
          `${displayPath(at)} must be between 1 and ${MAX_VOLUME} (1e15); "${volume}" is ${amount}`,
          {
            hint:
              amount < 1
                ? 'a volume counts whole samples or tokens: give at least 1'
                : 'volumes are capped at 1e15 samples or tokens so that every count stays exact (docs/recipe.md)',
          },
        ),
      );
    }
    if (parseVolume(volume).unit !== unit) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_CONFLICT',
          at,
          `${displayPath(at)} counts ${parseVolume(volume).unit} but mixture.volume counts ${unit}`,
          { hint: 'give every volume of a recipe in the same unit' },
        ),
      );
    }
  };
  check(mixture.volume, ['mixture', 'volume']);
  for (const [i, v] of (sweep?.volume ?? []).entries()) check(v, ['sweep', 'volume', String(i)]);
  for (const [i, p] of (sweep?.points ?? []).entries())
    if (p.volume !== undefined) check(p.volume, ['sweep', 'points', String(i), 'volume']);
  if (unit === 'tokens' && mixture.tokenizer === undefined) {
    found.push(
      diagnosticAt(located, 'RECIPE_CONFLICT', ['mixture', 'volume'], 'a volume in tokens needs mixture.tokenizer', {
        hint: 'set mixture.tokenizer: o200k_base, cl100k_base, {path: tokenizer.json}, or chars for an estimate',
      }),
    );
  }
  return found;
}

function sweepDiagnostics(
  located: Located,
  value: Record<string, unknown>,
  base: Record<string, number>,
): Diagnostic[] {
  const sweep = value.sweep as
    | { shares?: Record<string, number[]>; points?: { name?: string; shares?: Record<string, number> }[] }
    | undefined;
  if (!sweep) return [];
  const found: Diagnostic[] = [];
  const groups = Object.keys(base);
  for (const [group, values] of Object.entries(sweep.shares ?? {})) {
    if (!groups.includes(group)) {
      const guess = didYouMean(group, groups);
      found.push(
        diagnosticAt(
          located,
          'RECIPE_GROUP',
          ['sweep', 'shares', group],
          `sweep.shares names "${group}", which is not a group of mixture.shares${guess ? ` — did you mean "${guess}"?` : ''}`,
          { atKey: true, hint: `groups: ${groups.join(', ')}` },
        ),
      );
      continue;
    }
    const rest = groups.filter((g) => g !== group).reduce((sum, g) => sum + (base[g] ?? 0), 0);
    if (rest <= 0 && values.some((v) => v < 1)) {
      found.push(
        diagnosticAt(
          located,
          'RECIPE_SHARES',
          ['sweep', 'shares', group],
          `sweep.shares.${group} goes below 1, but no other group has a share in mixture.shares to take the rest`,
          { hint: 'give the other groups a share in mixture.shares: the sweep splits the rest in that proportion' },
        ),
      );
    }
  }
  const names = new Set<string>();
  (sweep.points ?? []).forEach((point, i) => {
    if (point.shares) {
      const sum = Object.values(point.shares).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-9)
        found.push(
          diagnosticAt(
            located,
            'RECIPE_SHARES',
            ['sweep', 'points', String(i), 'shares'],
            `sweep.points[${i}].shares must sum to 1; they sum to ${Number(sum.toFixed(12))}`,
          ),
        );
      for (const group of Object.keys(point.shares)) {
        if (!groups.includes(group))
          found.push(
            diagnosticAt(
              located,
              'RECIPE_GROUP',
              ['sweep', 'points', String(i), 'shares', group],
              `sweep.points[${i}] names "${group}", which is not a group of mixture.shares`,
              { atKey: true },
            ),
          );
      }
    }
    if (point.name !== undefined) {
      // The sweep root holds configs/ (manifest/layouts/point-configs.ts) beside the point folders.
      if (point.name === 'configs')
        found.push(
          diagnosticAt(
            located,
            'RECIPE_CONFLICT',
            ['sweep', 'points', String(i), 'name'],
            `sweep.points[${i}] is named "configs", the name of the sweep folder's per-point training configs`,
            { hint: 'give the point another name' },
          ),
        );
      if (names.has(point.name))
        found.push(
          diagnosticAt(
            located,
            'RECIPE_CONFLICT',
            ['sweep', 'points', String(i), 'name'],
            `sweep.points[${i}] repeats the name "${point.name}"`,
          ),
        );
      names.add(point.name);
    }
  });
  return found;
}

/**
 * Most alias expansions a recipe may make. A recipe needs a handful of aliases at most; nested
 * aliases ("billion laughs") expand exponentially, and the yaml package's own guard (default 100)
 * stops them with a ReferenceError, as it does an alias whose anchor comes later or not at all.
 */
const MAX_ALIAS_COUNT = 100;

/** The document as plain values; alias problems become RECIPE_PARSE at the first alias. */
function recipeValue(doc: Document, lineCounter: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    if (!(cause instanceof ReferenceError)) throw cause;
    const excessive = /excessive alias count/i.test(cause.message);
    // Point at the first alias (where nesting starts), or at the alias with no anchor before it.
    let offset: number | undefined;
    const anchors = new Set<string>();
    visit(doc, (_key, node) => {
      if (isAlias(node)) {
        if (excessive || !anchors.has(node.source)) {
          offset = node.range?.[0];
          return visit.BREAK;
        }
      } else if (node && typeof node === 'object' && 'anchor' in node && typeof node.anchor === 'string')
        anchors.add(node.anchor);
      return undefined;
    });
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new MixsmithError(
      'RECIPE_PARSE',
      excessive
        ? `the recipe's aliases expand to more than ${MAX_ALIAS_COUNT} values (nested aliases)`
        : (cause.message.split('\n')[0] ?? cause.message),
      {
        cause,
        where: pos ? { file, line: pos.line, col: pos.col } : { file },
        hint: excessive
          ? 'write the values out, or use fewer aliases; a recipe needs no nested aliases'
          : 'define an anchor (&name) before any alias (*name) that uses it',
      },
    );
  }
}

/** The 1-based line with the most nesting marks (indentation, `- `, `[`, `{`): where a too-deep recipe goes wrong. */
function deepestLine(text: string): number {
  let best = 1;
  let most = -1;
  text.split('\n').forEach((line, i) => {
    const marks = line.length - line.trimStart().length + (line.match(/- |\[|\{/g)?.length ?? 0);
    if (marks > most) {
      most = marks;
      best = i + 1;
    }
  });
  return best;
}

/** Parse and validate recipe text. `file` is used in messages; `baseDir` resolves source paths. */
export function parseRecipe(
  text: string,
  file: string,
  baseDir: string,
  options: LoadRecipeOptions = {},
): LoadedRecipe {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  } catch (cause) {
    // The yaml parser recurses once per nesting level; thousands of levels (`- - - …`) overflow
    // the stack outside its own error handling.
    if (!(cause instanceof RangeError)) throw cause;
    throw new MixsmithError('RECIPE_PARSE', 'the recipe nests too deeply to parse (thousands of levels)', {
      cause,
      where: { file, line: deepestLine(text) },
      hint: 'a recipe nests a few levels deep; check this line for repeated "- ", "[" or "{"',
    });
  }
  if (doc.errors.length > 0) {
    throw MixsmithError.fromDiagnostics(
      doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return {
          code: 'RECIPE_PARSE' as const,
          message: error.message.split('\n')[0] ?? error.message,
          where: pos ? { file, line: pos.line, col: pos.col } : { file },
          hint: 'check indentation and quoting; a recipe is YAML or JSON',
        };
      }),
    );
  }
  const overrides = applyOverrides(doc, parseOverrides(options.set ?? []));
  const located: Located = { doc, lineCounter, text, file, overrides };
  const value = recipeValue(doc, lineCounter, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MixsmithError('RECIPE_SCHEMA', 'a recipe must be a mapping with name, seed, sources and mixture', {
      where: { file },
      hint: 'run `mixsmith init` for a commented starter recipe',
    });
  }
  const validate = recipeValidator();
  if (!validate(value)) {
    const problems = translateSchemaErrors(validate.errors ?? [], value);
    throw MixsmithError.fromDiagnostics(
      problems.map((p) => diagnosticAt(located, p.code, p.path, p.message, { atKey: p.atKey, hint: p.hint })),
    );
  }
  const semantic = semanticDiagnostics(located, value as Record<string, unknown>);
  if (semantic.length > 0) throw MixsmithError.fromDiagnostics(semantic);
  return { recipe: resolveRecipe(value as Record<string, unknown>), file, baseDir };
}

/** Read a recipe file. Relative source paths resolve against the recipe's folder. */
export async function loadRecipe(file: string, options: LoadRecipeOptions = {}): Promise<LoadedRecipe> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new MixsmithError(
      'USAGE',
      `cannot read the recipe ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        cause,
        hint: 'check the path; `mixsmith init` writes a starter recipe',
      },
    );
  }
  return parseRecipe(text, file, path.dirname(path.resolve(file)), options);
}
