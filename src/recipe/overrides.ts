/**
 * `--set path.to.key=value` overrides, applied to the parsed recipe document before validation so
 * that every other error keeps its recipe position. Values are read as YAML scalars or flow
 * collections (`10000`, `0.25`, `medical`, `[a, b]`).
 */
import { parse as parseYaml } from 'yaml';
import { type Diagnostic, MixsmithError } from '../errors.js';

export interface Override {
  /** The text as given, for messages. */
  readonly text: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  const pathText = eq > 0 ? text.slice(0, eq).trim() : '';
  if (eq <= 0 || pathText === '' || pathText.split('.').some((part) => part === '')) {
    throw new MixsmithError('USAGE', `--set expects path.to.key=value, got "${text}"`, {
      where: { file: `--set ${text}` },
      hint: 'for example --set mixture.volume=20000 or --set mixture.shares.medical=0.3',
    });
  }
  const valueText = text.slice(eq + 1);
  let value: unknown;
  try {
    value = valueText.trim() === '' ? '' : parseYaml(valueText);
  } catch (cause) {
    throw new MixsmithError('USAGE', `--set ${pathText}: the value "${valueText}" is not a YAML value`, {
      cause,
      where: { file: `--set ${text}` },
      hint: 'quote strings that contain ":" or "#"',
    });
  }
  return { text, path: pathText.split('.'), value };
}

export function parseOverrides(texts: readonly string[]): Override[] {
  const overrides: Override[] = [];
  const problems: Diagnostic[] = [];
  for (const text of texts) {
    try {
      overrides.push(parseOverride(text));
    } catch (error) {
      if (!(error instanceof MixsmithError)) throw error;
      problems.push(...error.diagnostics);
    }
  }
  if (problems.length > 0) throw MixsmithError.fromDiagnostics(problems);
  return overrides;
}
