/**
 * Which group and source a record counts under. Provenance fields (what compose writes) decide
 * by default; `--by FIELD` groups by any field of the record instead, or by where it lives
 * (`@file`, `@dir`), which is how plain datasets without provenance get a composition.
 * Without either, each file is its own group and source.
 */
import { getPath } from '../records/map/field-path.js';
import type { Provenance } from './record-body.js';

/** Pseudo-fields `--by` accepts besides record fields. */
export const BY_PSEUDO_FIELDS = ['@file', '@dir'] as const;

/** The group a record without the field falls in. */
export const NO_VALUE = '(none)';

function dirOf(displayPath: string): string {
  const cut = displayPath.lastIndexOf('/');
  return cut === -1 ? '.' : displayPath.slice(0, cut);
}

function asLabel(value: unknown): string {
  if (value === undefined || value === null || value === '') return NO_VALUE;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? '(list)' : '(object)';
}

/** The `--by` value of a record in `file`. */
export function byValue(by: string, value: unknown, file: string): string {
  if (by === '@file') return file;
  if (by === '@dir') return dirOf(file);
  return asLabel(getPath(value, by));
}

export function groupAndSource(options: {
  readonly value: unknown;
  readonly file: string;
  readonly provenance: Provenance | undefined;
  readonly by: string | undefined;
}): { group: string; source: string } {
  const { value, file, provenance, by } = options;
  const source = provenance?.source ?? file;
  if (by !== undefined) return { group: byValue(by, value, file), source };
  return { group: provenance?.group ?? file, source };
}
