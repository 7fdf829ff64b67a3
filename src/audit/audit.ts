/**
 * `audit(paths, options)`: measure what a mixture (or sweep, or any dataset) contains, verify it
 * against its manifest, and check `--expect` rules. Streams every file once; memory grows with a
 * few fingerprints and lengths per record and, for the near-duplicate check, a shingle set per
 * record, never with the records themselves. The few records shown as the earlier side of a
 * near-duplicate pair are read again by position afterwards.
 */
import { DATA_EXTENSIONS } from '../records/read/input-formats.js';
import type { Diagnostic } from '../errors.js';
import { MixsmithError } from '../errors.js';
import { DEFAULT_DECONTAM_SETTINGS } from '../decontam/defaults.js';
import { figuresOf, sweepFiguresOf } from './figures.js';
import { EvalTally } from './eval-tally.js';
import { evalSchemas, type LoadedEvals, loadEvals } from './load-evals.js';
import { locateAll } from './locate-all.js';
import type { SubjectInput } from './locate.js';
import { manifestFindings, plannedShares } from './manifest-check.js';
import { nearDupPairs, readFilesOf } from './near-dup-examples.js';
import { DEFAULT_NEAR_DUP_CHECK, type NearDupCheckOptions, nearDupSummary } from './near-dup-tally.js';
import { readSubject } from './read-subject.js';
import type { AuditSchema } from './record-body.js';
import type { AuditResult, CompositionBasis, SubjectAudit } from './report.js';
import { FactSources } from './fact-sources.js';
import { evaluateRules, parseRule, type Rule } from './rules.js';
import { SubjectTally } from './subject-tally.js';
import { verifyArtifacts } from './verify-artifacts.js';
import { summarizeSweep } from './sweep-summary.js';
import { createTokenCounter, type TokenCounter } from '../tokens/token-counter.js';
import { tokenizerSpec, tokenLabel } from './tokenizer-option.js';

/** Options of `audit()`; the CLI flags map onto them one to one. */
export interface AuditOptions {
  /** Relative PATHs, `--eval` paths and reported file names are taken from here. */
  readonly cwd: string;
  readonly evals?: readonly string[];
  /** `--eval-schema NAME=SCHEMA`: how to read a named eval set (a preset, auto, or a JSON mapping). */
  readonly evalSchemas?: readonly string[];
  /** `--expect` rules, checked against every audited subject. */
  readonly expect?: readonly string[];
  readonly schema?: AuditSchema;
  /**
   * `--encoding`: the text encoding of JSONL/CSV/TSV files, or `auto` (the default) to guess
   * UTF-8 or GB18030 per file from its first 64 KiB, as inspect does. JSON and Parquet are UTF-8.
   */
  readonly encoding?: string | undefined;
  /** `--by FIELD`: group records by this field (or `@file`, `@dir`) instead of provenance. */
  readonly by?: string | undefined;
  /** `chars` (default, an estimate), `o200k_base`, `cl100k_base` or a tokenizer.json path. */
  readonly tokenizer?: string;
  /** Examples kept per table (duplicates, leaks, contamination). Default 5. */
  readonly examples?: number;
  /**
   * The near-duplicate check: threshold and fields (defaults: compose's `dedup.near` defaults,
   * Jaccard 0.8 over all turns), or false to skip it (`--no-near`).
   */
  readonly near?: Partial<NearDupCheckOptions> | false;
  /**
   * Worker threads for the per-record work (keys, eval n-grams, shingles and signatures): 0 keeps
   * it on this thread; by default one per core (at most 4), for subjects of 4 MB or more. The
   * report is the same for any count.
   */
  readonly workers?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

const EVAL_NOTE = `eval overlap counts a record when it holds an item's question whole (at least ${DEFAULT_DECONTAM_SETTINGS.exactMinWordTokens} words, ${DEFAULT_DECONTAM_SETTINGS.exactMinCharTokens} CJK characters) or at least ${DEFAULT_DECONTAM_SETTINGS.threshold * 100}% of an item's distinct ${DEFAULT_DECONTAM_SETTINGS.wordN}-word (${DEFAULT_DECONTAM_SETTINGS.charN}-character) n-grams, as compose's decontaminate: does; the content and prompt columns are exact matches`;

interface Context {
  readonly options: AuditOptions;
  readonly facts: FactSources;
  readonly rules: readonly Rule[];
  readonly evals: LoadedEvals;
  readonly near: NearDupCheckOptions | null;
  readonly tokens: TokenCounter;
  /** The `--tokenizer` value, as given. */
  readonly tokenizer: string;
}

function basisOf(by: string | undefined, withProvenance: number): CompositionBasis {
  if (by !== undefined) return { by };
  return withProvenance > 0 ? 'provenance' : 'file';
}

async function auditSubject(input: SubjectInput, ctx: Context): Promise<SubjectAudit> {
  const { options } = ctx;
  const examplesLimit = options.examples ?? 5;
  const tally = new SubjectTally({
    evals: new EvalTally(ctx.evals, examplesLimit),
    tokens: ctx.tokens,
    examplesLimit,
    near: ctx.near,
  });
  const facts = await ctx.facts.forSubject(input.files);
  const read = await readSubject(input, tally, facts, {
    schema: options.schema ?? 'auto',
    encoding: options.encoding,
    by: options.by,
    signal: options.signal,
  });
  const manifest = input.manifest?.status === 'ok' ? input.manifest.manifest : undefined;
  const pairs = tally.near
    ? await nearDupPairs(tally.near, readFilesOf(input.files, read.files), options.signal)
    : new Map();
  const { splits, evals, trainSequence } = tally.finish(
    (split) => (manifest ? plannedShares(manifest, split) : null),
    pairs,
  );
  const findings: Diagnostic[] = [...input.findings, ...read.findings];
  const files = [...read.files];
  if (manifest && input.dir) {
    const artifacts = await verifyArtifacts(input.dir, input.name, manifest);
    files.push(...artifacts.files);
    findings.push(...artifacts.findings);
    findings.push(
      ...manifestFindings({
        subject: input.name,
        manifest,
        files,
        splits,
        compareSources: read.withoutProvenance === 0,
      }),
    );
  }
  const figures = figuresOf({ splits, evals, findings, unreadable: read.unreadable });
  const notes: string[] = [];
  if (evals.length > 0) notes.push(EVAL_NOTE, ...ctx.evals.notes);
  if (input.kind === 'mixture' && read.withoutProvenance > 0)
    notes.push(
      `${read.withoutProvenance} records have no provenance fields (source, group, origin); they count under their file`,
    );
  if (input.ignored > 0)
    notes.push(
      `${input.ignored} files in the folders were not read: their names are not data files (${DATA_EXTENSIONS.join(', ')}, optionally .gz/.zst)`,
    );
  if (read.skipped.length > 0)
    notes.push(`${read.skipped.length} files were not read (not in a readable format): ${read.skipped.join('; ')}`);
  return {
    name: input.name,
    kind: input.kind,
    manifest:
      input.manifest === null
        ? { status: 'none' }
        : manifest
          ? {
              status: 'ok',
              recipe: { name: manifest.recipe?.name ?? '', sha256: manifest.recipe?.sha256 ?? '' },
              seed: manifest.seed,
              tool: `${manifest.tool?.name ?? 'mixsmith'} ${manifest.tool?.version ?? ''}`.trim(),
            }
          : { status: input.manifest.status },
    composition: basisOf(options.by, read.withProvenance),
    tokenizer: { name: ctx.tokenizer, label: tokenLabel(ctx.tokens), estimate: ctx.tokens.estimated },
    files,
    skipped: read.skipped,
    splits,
    evals,
    nearDuplicates: nearDupSummary(tally.near),
    findings,
    figures,
    rules: evaluateRules(ctx.rules, figures, input.name),
    notes,
    trainSequence,
  };
}

function nearCheckOf(option: AuditOptions['near']): NearDupCheckOptions | null {
  if (option === false) return null;
  const check = { ...DEFAULT_NEAR_DUP_CHECK, ...option };
  if (!(check.threshold > 0 && check.threshold <= 1)) {
    throw new MixsmithError(
      'USAGE',
      `--near-threshold must be a Jaccard similarity in (0, 1], got ${check.threshold}`,
      { hint: "compose's dedup.near default is 0.8; --no-near skips the check" },
    );
  }
  return check;
}

/** Rules on `sweep.*` figures are checked once against the sweep; the rest against every subject. */
const isSweepRule = (rule: Rule) => rule.figure.startsWith('sweep.');

/** Audit every PATH (mixtures, sweeps, plain files): figures, findings and rule results. */
export async function audit(paths: readonly string[], options: AuditOptions): Promise<AuditResult> {
  const allRules = (options.expect ?? []).map(parseRule);
  const rules = allRules.filter((r) => !isSweepRule(r));
  const sweepRules = allRules.filter(isSweepRule);
  if (options.examples !== undefined && !(Number.isInteger(options.examples) && options.examples >= 0)) {
    throw new MixsmithError('USAGE', `--examples must be a whole number ≥ 0, got ${options.examples}`);
  }
  const near = nearCheckOf(options.near);
  const tokenizer = options.tokenizer ?? 'chars';
  const tokens = await createTokenCounter(tokenizerSpec(tokenizer, options.cwd), options.cwd);
  let facts: FactSources | undefined;
  try {
    const located = await locateAll(paths, options.cwd);
    if (sweepRules.length > 0 && !located.sweep) {
      throw new MixsmithError(
        'USAGE',
        `--expect "${sweepRules[0]!.text}": sweep figures need a sweep folder (one with sweep.json), and none was given`,
        {
          hint: 'audit the sweep folder itself, e.g. mixsmith audit runs/saturation --expect sweep.collapsed=0',
        },
      );
    }
    // A misspelt sweep figure is a usage error now, not after every point was read.
    if (located.sweep) evaluateRules(sweepRules, sweepFiguresOf([]), located.sweep.dir);
    const loaded = await loadEvals(options.evals ?? [], {
      cwd: options.cwd,
      schema: options.schema ?? 'auto',
      evalSchemas: evalSchemas(options.evalSchemas ?? []),
      signal: options.signal,
    });
    const spec = tokenizerSpec(tokenizer, options.cwd);
    const settings = {
      prompts: !loaded.exact.isEmpty,
      evalIndex: loaded.shared,
      near: near?.fields ?? null,
      ...(tokens.estimated ? {} : { tokenizer: { spec, baseDir: options.cwd } }),
    };
    facts = new FactSources(settings, loaded.ngram, tokens, options.workers, options.signal);
    const ctx: Context = { options, facts, rules, evals: loaded, near, tokens, tokenizer };
    const subjects: SubjectAudit[] = [];
    for (const input of located.subjects) subjects.push(await auditSubject(input, ctx));
    const summary = located.sweep ? summarizeSweep(located.sweep, subjects, located.subjects, sweepRules) : null;
    const findings = [...located.findings, ...(summary?.findings ?? [])];
    const ok =
      findings.length === 0 &&
      subjects.every((s) => s.findings.length === 0 && s.rules.every((r) => r.ok)) &&
      (summary?.sweep.rules ?? []).every((r) => r.ok);
    return { subjects, sweep: summary?.sweep ?? null, findings, ok };
  } finally {
    await facts?.close();
    tokens.free();
  }
}
