/**
 * One error type for everything a user can get wrong, with a stable code.
 *
 * Library code throws `MixsmithError`; only `cli/` prints it and turns its code into an exit status.
 * Codes are a closed union so that tests assert codes, not prose, and `docs/errors.md` documents
 * exactly this table.
 */

/** Where an error points: a recipe position (line and column) or an input position (line or row). */
export interface Where {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  /** Row number for formats without lines (Parquet). */
  readonly row?: number;
  /** 1-based element of a JSON array or keyed object. */
  readonly element?: number;
}

export const ERROR_CODES = {
  USAGE: { exit: 2, summary: 'the command line is wrong (unknown flag, missing argument, bad --set)' },
  RECIPE_PARSE: { exit: 3, summary: 'the recipe is not valid YAML or JSON' },
  RECIPE_SCHEMA: { exit: 3, summary: 'a recipe value has the wrong type, is missing or not allowed' },
  RECIPE_UNKNOWN_KEY: { exit: 3, summary: 'the recipe has a key mixsmith does not know (often a typo)' },
  RECIPE_SHARES: { exit: 3, summary: 'group shares do not sum to 1, or name a group no source has' },
  RECIPE_GROUP: { exit: 3, summary: 'a source names a group that has no share, or a group has no source' },
  RECIPE_CONFLICT: { exit: 3, summary: 'two recipe settings cannot be used together' },
  INPUT_NOT_FOUND: { exit: 4, summary: 'a source path or glob matched no file' },
  INPUT_EMPTY: { exit: 4, summary: 'a source holds no records' },
  INPUT_FORMAT: { exit: 4, summary: 'a file is not in a format mixsmith reads, or not in the one stated' },
  INPUT_JSON: { exit: 4, summary: 'a record is not valid JSON' },
  INPUT_ENCODING: {
    exit: 4,
    summary: "a record's bytes are not valid in the source's encoding (UTF-8 unless encoding: says otherwise)",
  },
  INPUT_CSV: {
    exit: 4,
    summary: 'a CSV/TSV row does not match the header (field count, quoting) or the header is unusable',
  },
  INPUT_FIELD_MISSING: { exit: 4, summary: 'a record lacks a field its schema needs' },
  INPUT_FIELD_TYPE: { exit: 4, summary: 'a record field has the wrong type' },
  INPUT_NUMBER: {
    exit: 4,
    summary:
      'a selected record holds a number beyond a double (precision or range) that Parquet passthrough output cannot store exactly',
  },
  INPUT_TARGET: {
    exit: 4,
    summary: 'a selected record breaks the rules of output.target (OpenAI chat fine-tuning format)',
  },
  INPUT_TOO_MANY_ERRORS: { exit: 4, summary: 'a source with on_error: skip passed its max_errors' },
  INPUT_CHANGED: { exit: 4, summary: 'an input file changed while mixsmith was reading it' },
  INPUT_IO: { exit: 4, summary: 'an input file could not be read (permissions, truncated compression)' },
  INPUT_LIMIT: {
    exit: 4,
    summary:
      'a record is longer than max_record_bytes or nests deeper than max_depth, or a tokenizer file is too large (a limit while reading)',
  },
  NEAR_DUP_LARGE_CLUSTER: {
    exit: 4,
    summary: 'one near-duplicate cluster would remove more than max_cluster_share of a source (fail_on_large_cluster)',
  },
  SHORTAGE: { exit: 4, summary: 'a group has fewer distinct records than its quota and shortage is error' },
  RESULTS_FORMAT: {
    exit: 4,
    summary:
      'an evaluation results file is in none of the formats `mixsmith results` reads (lm-evaluation-harness JSON, OpenCompass summary CSV, point/task/metric/value CSV or JSONL)',
  },
  RESULTS_MATCH: {
    exit: 4,
    summary:
      'an evaluation result cannot be tied to a sweep point: no --map entry or --match for it, a point the sweep does not have, or a --map entry that names no result',
  },
  RESULTS_DUPLICATE: { exit: 4, summary: 'two evaluation results give the same task and metric for one sweep point' },
  RESULTS_METRIC: {
    exit: 4,
    summary:
      'a task or metric named by --task/--metric is not in the results, or a task reports several metrics (or metric names that look like typos of each other) and none was chosen',
  },
  OUTPUT_EXISTS: { exit: 5, summary: 'the output directory exists and --force was not given' },
  OUTPUT_UNSAFE: {
    exit: 5,
    summary:
      'the output would overwrite something the run reads (recipe, input, eval set, audited folder) or something mixsmith did not write; --force never overrides this',
  },
  OUTPUT_IO: { exit: 5, summary: 'the output could not be written' },
  OUTPUT_TARGET: {
    exit: 5,
    summary:
      'the mixture breaks a limit of output.target (OpenAI: at least 10 training examples, at most 512 MB a file)',
  },
  AUDIT_EXPECT: { exit: 6, summary: 'an --expect rule does not hold for the audited data' },
  AUDIT_CHECKSUM: { exit: 6, summary: "a file's rows, bytes or sha256 differ from its manifest entry" },
  AUDIT_FILE_MISSING: { exit: 6, summary: 'a file the manifest (or a sweep index) lists is missing' },
  AUDIT_FILE_UNLISTED: { exit: 6, summary: 'a shard file in an output folder is not in its manifest' },
  AUDIT_INCOMPLETE: {
    exit: 6,
    summary: 'an output folder has no complete manifest (missing, unreadable or unfinished)',
  },
  AUDIT_MANIFEST_MISMATCH: {
    exit: 6,
    summary: "the records' composition disagrees with what the manifest says was selected",
  },
  AUDIT_UNREADABLE: {
    exit: 6,
    summary:
      'records of an audited file could not be read (wrong encoding, not JSON, broken CSV rows), or nothing at all was read',
  },
  STAGE_MISMATCH: {
    exit: 4,
    summary: 'stage files disagree: another recipe, another part count or another Unicode version',
  },
  STAGE_INCOMPLETE: { exit: 4, summary: 'a stage needs parts of the stage before it that are not there yet' },
  EXECUTOR_FAILED: {
    exit: 7,
    summary:
      'a task of a staged run (local, Ray or Slurm executor) failed; finished tasks are kept and skipped on rerun',
  },
  EXECUTOR_UNAVAILABLE: {
    exit: 7,
    summary: 'the executor cannot run: no Ray cluster at the address, no Python with ray, no sbatch',
  },
  INTERRUPTED: { exit: 130, summary: 'the run was interrupted (Ctrl-C); nothing was left behind' },
  INTERNAL: { exit: 1, summary: 'a bug in mixsmith: please report it with the stack trace' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem found in a recipe or an input; recipe checks report many at once. */
export interface Diagnostic {
  readonly code: ErrorCode;
  readonly message: string;
  readonly where?: Where;
  readonly hint?: string;
  /** The source line the position points into, for a caret excerpt. */
  readonly excerpt?: string;
}

export interface MixsmithErrorOptions {
  readonly where?: Where | undefined;
  readonly hint?: string | undefined;
  readonly cause?: unknown;
  readonly excerpt?: string | undefined;
  /** Further problems reported together with this one (all recipe errors at once). */
  readonly more?: readonly Diagnostic[];
}

export class MixsmithError extends Error {
  readonly code: ErrorCode;
  readonly where: Where | undefined;
  readonly hint: string | undefined;
  readonly excerpt: string | undefined;
  /** Every diagnostic, this one first. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: ErrorCode, message: string, options: MixsmithErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MixsmithError';
    this.code = code;
    this.where = options.where;
    this.hint = options.hint;
    this.excerpt = options.excerpt;
    const first: Diagnostic = {
      code,
      message,
      ...(options.where ? { where: options.where } : {}),
      ...(options.hint ? { hint: options.hint } : {}),
      ...(options.excerpt ? { excerpt: options.excerpt } : {}),
    };
    this.diagnostics = [first, ...(options.more ?? [])];
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** Build one error from a non-empty list of diagnostics. */
  static fromDiagnostics(diagnostics: readonly Diagnostic[]): MixsmithError {
    const [first, ...rest] = diagnostics;
    if (!first) throw new Error('fromDiagnostics needs at least one diagnostic');
    return new MixsmithError(first.code, first.message, {
      where: first.where,
      hint: first.hint,
      excerpt: first.excerpt,
      more: rest,
    });
  }
}

export function isMixsmithError(error: unknown): error is MixsmithError {
  return error instanceof MixsmithError;
}

/** `file:line:col` (or `file:line`, `file:row N`, `file:element N`) as editors and terminals link it. */
export function formatWhere(where: Where): string {
  if (where.row !== undefined) return `${where.file}:row ${where.row}`;
  if (where.element !== undefined) return `${where.file}:element ${where.element}`;
  if (where.line === undefined) return where.file;
  return where.col === undefined ? `${where.file}:${where.line}` : `${where.file}:${where.line}:${where.col}`;
}
