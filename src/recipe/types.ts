/**
 * The recipe as the rest of mixsmith sees it: validated, defaults filled in, paths still as written
 * (relative to `baseDir`). Produced by `loadRecipe`; everything downstream is pure over it.
 */

import type { VolumeUnit } from './volume.js';

import type {
  ErrorPolicy,
  InputFormat,
  LayoutName,
  OutputFormat,
  OutputSchema,
  OutputTarget,
  PresetName,
  ShortagePolicy,
  TokenizerName,
} from './names.js';

/** A built-in token counter, or a Hugging Face tokenizer.json read from disk. */
export type TokenizerSpec = TokenizerName | { readonly path: string; readonly max_bytes?: number };

export type {
  ErrorPolicy,
  InputFormat,
  LayoutName,
  OutputFormat,
  OutputSchema,
  OutputTarget,
  PresetName,
  RecordFormat,
  ShortagePolicy,
} from './names.js';
export type Role = 'system' | 'user' | 'assistant';

export interface TurnMapping {
  readonly role: Role;
  readonly from?: string;
  readonly template?: string;
  readonly optional?: boolean;
}

/**
 * A field holding a list of turns. Items are objects with a role and a content key (`role`,
 * `content` by default), objects whose listed `keys` are turns (`{human, assistant}` pairs), or
 * plain strings whose roles cycle through `alternate`.
 */
export interface MessagesMapping {
  /** Field path of the list; absent: the record itself is the list. */
  readonly from?: string;
  readonly role?: string;
  readonly content?: string;
  /** Role names as found → canonical roles (`human: user`); names not listed are kept. */
  readonly roles?: Readonly<Record<string, string>>;
  /** Each item is an object; these keys, in this order, become turns with these roles. */
  readonly keys?: Readonly<Record<string, string>>;
  /** Items are strings; their roles cycle through this list. */
  readonly alternate?: readonly string[];
}

export interface FieldMapping {
  readonly turns?: readonly TurnMapping[];
  /** Turns taken from a list field, put after `system` and before `turns`. */
  readonly messages?: MessagesMapping;
  readonly text?: string;
  readonly system?: string;
  readonly meta?: readonly string[];
}

/** Per-source drops, checked on each mapped sample; each names the manifest's drop reason. */
export interface SourceFilters {
  /** Characters (code points) of the whole sample's text. */
  readonly min_chars?: number;
  readonly max_chars?: number;
  /** Characters of every single turn. */
  readonly min_chars_per_turn?: number;
  readonly max_chars_per_turn?: number;
  /** Roles a sample must have at least one turn of. */
  readonly require_roles?: readonly string[];
  /** Drop a sample that has a turn with no text. */
  readonly drop_empty_turns?: boolean;
}

/** `auto` detects a preset from the first record of each file. */
export type SchemaSpec = PresetName | 'auto' | FieldMapping;

export interface SourceSpec {
  readonly name: string;
  readonly group: string;
  readonly path: readonly string[];
  readonly format: InputFormat;
  /** Text encoding of JSONL/CSV/TSV files (`utf-8` by default). */
  readonly encoding: string;
  readonly schema: SchemaSpec;
  /** Only the filters the recipe sets; an empty object drops nothing. */
  readonly filters: SourceFilters;
  readonly on_error: ErrorPolicy;
  /** With `on_error: skip`: the most bad records tolerated; null means no limit. */
  readonly max_errors: number | null;
  /** Bytes of one record as read, decompressed (io/read-limits.ts); only when the recipe sets it. */
  readonly max_record_bytes?: number;
  /** Nesting of one record's JSON (io/read-limits.ts); only when the recipe sets it. */
  readonly max_depth?: number;
  /**
   * Relative share of the source inside its group (1 when unset). Setting `weight` or `max` on any
   * source of a group splits that group by source (docs/recipe.md, "Sources inside a group");
   * absent when the recipe does not set it, so recipes without it resolve (and hash) as before.
   */
  readonly weight?: number;
  /** Below 1: the most of its group's quota the source takes; 1 or more: the most training records (or tokens). */
  readonly max?: number;
}

/** A length range inside a group with its share of the group's quota; bounds are inclusive. */
export interface StratumSpec {
  readonly name: string;
  readonly share: number;
  readonly min_chars?: number;
  readonly max_chars?: number;
  readonly min_tokens?: number;
  readonly max_tokens?: number;
}

export type TurnFields = 'all' | 'user' | 'assistant';

/** `dedup.near`: MinHash + LSH, every candidate pair verified by exact Jaccard (docs/near-dup.md). */
export interface NearDupSpec {
  readonly threshold: number;
  readonly fields: TurnFields;
  readonly shingle: 'auto' | 'word' | 'char';
  readonly word_size: number;
  readonly char_size: number;
  readonly bands: number;
  readonly rows: number;
  readonly max_cluster_share: number;
  readonly fail_on_large_cluster: boolean;
}

/** `decontaminate`: remove training samples that overlap an eval set's items. */
export interface DecontaminateSpec {
  /** Eval sets, read like sources (their `group` is empty). */
  readonly eval: readonly SourceSpec[];
  readonly fields: TurnFields;
  /** n-gram sizes and threshold; null takes the documented defaults. */
  readonly ngram: number | null;
  readonly char_ngram: number | null;
  readonly threshold: number | null;
  /** Overlap layer: shortest item indexed (words, CJK characters); null: the defaults. */
  readonly min_words: number | null;
  readonly min_chars: number | null;
  /** Exact layer: shortest question found whole (words, CJK characters); null: the defaults. */
  readonly exact_min_words: number | null;
  readonly exact_min_chars: number | null;
  /** A gram held by this many eval items or more is boilerplate; null: the default. */
  readonly common_gram_items: number | null;
}

export interface MixtureSpec {
  /** Training samples, or tokens when `unit` is tokens. */
  readonly volume: number;
  /** What volumes (and shares) count: records or tokens. Every sweep point uses the same unit. */
  readonly unit: VolumeUnit;
  /** Counts tokens for budgets and reports; null means the character estimate. */
  readonly tokenizer: TokenizerSpec | null;
  /** Group → share of the volume, in the recipe's order. */
  readonly shares: Readonly<Record<string, number>>;
  readonly shortage: ShortagePolicy;
  /** Group → length strata with their shares of the group's quota (mixture.strata). */
  readonly strata: Readonly<Record<string, readonly StratumSpec[]>>;
  /** With `shortage: repeat`: the most times one record may appear in training. */
  readonly max_epochs: number;
}

/** An explicit sweep point; missing fields come from `mixture`. */
export interface SweepPointSpec {
  readonly name?: string;
  readonly volume?: number;
  readonly shares?: Readonly<Record<string, number>>;
}

/** Many mixtures from one scan. Absent when the recipe describes one mixture. */
export interface SweepSpec {
  /** Volumes of the grid; defaults to [mixture.volume]. */
  readonly volume: readonly number[] | null;
  /** One group and its shares; the other groups split the rest in proportion. */
  readonly shares: { readonly group: string; readonly values: readonly number[] } | null;
  readonly points: readonly SweepPointSpec[] | null;
  /**
   * How far a point's realized group share may miss its nominal share (0.005 = half a percentage
   * point) before the point is flagged as deviating (docs/sweeps.md).
   */
  readonly tolerance: number;
}

/** A chat template for `schema: text`: a built-in's name, a per-message pattern, or a mapping. */
export type OutputTemplate = string | { readonly message: string; readonly prefix?: string; readonly suffix?: string };

export interface ParquetOptions {
  readonly compression: 'zstd' | 'snappy';
  readonly max_rows_per_row_group: number;
  /** Bytes of rendered JSON per row group; bounds the writer's memory. */
  readonly max_bytes_per_row_group: number;
}

export interface OutputSpec {
  readonly format: OutputFormat;
  readonly schema: OutputSchema;
  readonly target: OutputTarget;
  readonly template: OutputTemplate | null;
  readonly layouts: readonly LayoutName[];
  readonly max_rows_per_shard: number | null;
  /** Bytes of rendered JSON lines per shard (before compression or Parquet encoding). */
  readonly max_bytes_per_shard: number | null;
  readonly provenance: boolean;
  /** Used when format is parquet; defaults otherwise. */
  readonly parquet: ParquetOptions;
}

export interface Recipe {
  readonly name: string;
  readonly seed: number;
  readonly sources: readonly SourceSpec[];
  readonly mixture: MixtureSpec;
  readonly sweep: SweepSpec | null;
  readonly split: { readonly validation: number };
  readonly dedup: { readonly exact: boolean; readonly prefer: readonly string[]; readonly near: NearDupSpec | null };
  readonly decontaminate: DecontaminateSpec | null;
  readonly output: OutputSpec;
}

/** A recipe together with where it came from. */
export interface LoadedRecipe {
  readonly recipe: Recipe;
  /** The recipe file as given (for messages); `<inline>` for recipes built in code. */
  readonly file: string;
  /** Folder that relative source paths resolve against. */
  readonly baseDir: string;
}
