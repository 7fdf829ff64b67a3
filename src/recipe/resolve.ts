/** Fill in a validated recipe's defaults, so downstream code never guesses. */
import type {
  DecontaminateSpec,
  FieldMapping,
  NearDupSpec,
  Recipe,
  SchemaSpec,
  SourceSpec,
  SweepSpec,
} from './types.js';
import { DEFAULT_MAX_CLUSTER_SHARE, DEFAULT_NEAR_DUP_SETTINGS } from '../near-dup/defaults.js';
import { DEFAULT_SHINGLE_OPTIONS } from '../text/shingles.js';
import { parseVolume } from './volume.js';
import { resolveOutput } from './resolve-output.js';

type Raw = Record<string, unknown>;

/** `sweep.tolerance` when the recipe gives none: half a percentage point. */
export const DEFAULT_SWEEP_TOLERANCE = 0.005;

function resolveSource(raw: Raw): SourceSpec {
  const path = raw.path as string | string[];
  return {
    name: raw.name as string,
    group: raw.group as string,
    // Files are read in sorted order whatever the listing order, so the resolved recipe (and its
    // hash) says the same: listing order carries no meaning.
    path: (Array.isArray(path) ? [...path] : [path]).sort(),
    format: (raw.format as SourceSpec['format'] | undefined) ?? 'auto',
    encoding: (raw.encoding as string | undefined) ?? 'utf-8',
    schema: (raw.schema as SchemaSpec | FieldMapping | undefined) ?? 'auto',
    filters: { ...((raw.filters as SourceSpec['filters'] | undefined) ?? {}) },
    on_error: (raw.on_error as SourceSpec['on_error'] | undefined) ?? 'fail',
    max_errors: (raw.max_errors as number | undefined) ?? null,
    // Only when set: the resolved recipe (and its hash) of a recipe without them stays as it was.
    ...(raw.max_record_bytes !== undefined ? { max_record_bytes: raw.max_record_bytes as number } : {}),
    ...(raw.max_depth !== undefined ? { max_depth: raw.max_depth as number } : {}),
    ...(raw.weight === undefined ? {} : { weight: raw.weight as number }),
    ...(raw.max === undefined ? {} : { max: raw.max as number }),
  };
}

/** `value` must already have passed schema and semantic validation. */
export function resolveRecipe(value: Raw): Recipe {
  const mixture = value.mixture as Raw;
  const shares = mixture.shares as Record<string, number>;
  const dedup = (value.dedup as Raw | undefined) ?? {};
  const output = (value.output as Raw | undefined) ?? {};
  const split = (value.split as Raw | undefined) ?? {};
  return {
    name: value.name as string,
    seed: value.seed as number,
    sources: (value.sources as Raw[]).map(resolveSource),
    mixture: {
      volume: parseVolume(mixture.volume as number | string).amount,
      unit: parseVolume(mixture.volume as number | string).unit,
      tokenizer: (mixture.tokenizer as Recipe['mixture']['tokenizer'] | undefined) ?? null,
      shares: { ...shares },
      shortage: (mixture.shortage as Recipe['mixture']['shortage'] | undefined) ?? 'error',
      max_epochs: (mixture.max_epochs as number | undefined) ?? 4,
      strata: { ...((mixture.strata as Recipe['mixture']['strata'] | undefined) ?? {}) },
    },
    sweep: resolveSweep(value.sweep as Raw | undefined),
    split: { validation: (split.validation as number | undefined) ?? 0 },
    dedup: {
      exact: (dedup.exact as boolean | undefined) ?? true,
      // Groups not named in `prefer` follow in the order of mixture.shares.
      prefer: [...new Set([...((dedup.prefer as string[] | undefined) ?? []), ...Object.keys(shares)])],
      near: resolveNearDup(dedup.near as boolean | Raw | undefined),
    },
    decontaminate: resolveDecontaminate(value.decontaminate as Raw | undefined),
    output: resolveOutput(output),
  };
}

function resolveSweep(raw: Raw | undefined): SweepSpec | null {
  if (!raw) return null;
  const shares = raw.shares as Record<string, number[]> | undefined;
  const [group, values] = shares ? (Object.entries(shares)[0] ?? []) : [];
  const points = raw.points as Raw[] | undefined;
  return {
    volume: Array.isArray(raw.volume) ? (raw.volume as (number | string)[]).map((v) => parseVolume(v).amount) : null,
    shares: group && values ? { group, values: [...values] } : null,
    points: points
      ? points.map((p) => ({
          ...(p.name !== undefined ? { name: p.name as string } : {}),
          ...(p.volume !== undefined ? { volume: parseVolume(p.volume as number | string).amount } : {}),
          ...(p.shares !== undefined ? { shares: { ...(p.shares as Record<string, number>) } } : {}),
        }))
      : null,
    tolerance: (raw.tolerance as number | undefined) ?? DEFAULT_SWEEP_TOLERANCE,
  };
}

function resolveNearDup(raw: boolean | Raw | undefined): NearDupSpec | null {
  if (raw === undefined || raw === false) return null;
  const near = raw === true ? {} : raw;
  return {
    threshold: (near.threshold as number | undefined) ?? DEFAULT_NEAR_DUP_SETTINGS.threshold,
    fields: (near.fields as NearDupSpec['fields'] | undefined) ?? 'all',
    shingle: (near.shingle as NearDupSpec['shingle'] | undefined) ?? DEFAULT_SHINGLE_OPTIONS.unit,
    word_size: (near.word_size as number | undefined) ?? DEFAULT_SHINGLE_OPTIONS.wordSize,
    char_size: (near.char_size as number | undefined) ?? DEFAULT_SHINGLE_OPTIONS.charSize,
    bands: (near.bands as number | undefined) ?? DEFAULT_NEAR_DUP_SETTINGS.bands,
    rows: (near.rows as number | undefined) ?? DEFAULT_NEAR_DUP_SETTINGS.rows,
    max_cluster_share: (near.max_cluster_share as number | undefined) ?? DEFAULT_MAX_CLUSTER_SHARE,
    fail_on_large_cluster: (near.fail_on_large_cluster as boolean | undefined) ?? false,
  };
}

function resolveDecontaminate(raw: Raw | undefined): DecontaminateSpec | null {
  if (!raw) return null;
  return {
    eval: (raw.eval as Raw[]).map((e) => resolveSource({ ...e, group: '' })),
    fields: (raw.fields as DecontaminateSpec['fields'] | undefined) ?? 'all',
    ngram: (raw.ngram as number | undefined) ?? null,
    char_ngram: (raw.char_ngram as number | undefined) ?? null,
    threshold: (raw.threshold as number | undefined) ?? null,
    min_words: (raw.min_words as number | undefined) ?? null,
    min_chars: (raw.min_chars as number | undefined) ?? null,
    exact_min_words: (raw.exact_min_words as number | undefined) ?? null,
    exact_min_chars: (raw.exact_min_chars as number | undefined) ?? null,
    common_gram_items: (raw.common_gram_items as number | undefined) ?? null,
  };
}
