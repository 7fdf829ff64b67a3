/**
 * `audit(paths, options)`: measure what a mixture (or sweep, or any dataset) contains, verify it
 * against its manifest, and check `--expect` rules. Streams every file once; memory grows with a
 * few fingerprints and lengths per record, never with the records themselves.
 */
import type { Diagnostic } from '../errors.js';
import { MixsmithError } from '../errors.js';
import { figuresOf } from './figures.js';
import { loadEvals } from './load-evals.js';
import type { EvalIndex } from './eval-index.js';
import { locateAll } from './locate-all.js';
import type { SubjectInput } from './locate.js';
import { manifestFindings, plannedShares } from './manifest-check.js';
import { readSubject } from './read-subject.js';
import type { AuditSchema } from './record-body.js';
import type { AuditResult, CompositionBasis, SubjectAudit } from './report.js';
import { evaluateRules, parseRule, type Rule } from './rules.js';
import { SubjectTally } from './subject-tally.js';
import { verifyArtifacts } from './verify-artifacts.js';
import { summarizeSweep } from './sweep-summary.js';
import { createTokenCounter, type TokenCounter } from '../tokens/token-counter.js';
import { tokenizerSpec, tokenLabel } from './tokenizer-option.js';

export interface AuditOptions {
  /** Relative PATHs, `--eval` paths and reported file names are taken from here. */
  readonly cwd: string;
  readonly evals?: readonly string[];
  /** `--expect` rules, checked against every audited subject. */
  readonly expect?: readonly string[];
  readonly schema?: AuditSchema;
  /** `--by FIELD`: group records by this field (or `@file`, `@dir`) instead of provenance. */
  readonly by?: string | undefined;
  /** `chars` (default, an estimate), `o200k_base`, `cl100k_base` or a tokenizer.json path. */
  readonly tokenizer?: string;
  /** Examples kept per table (duplicates, leaks, contamination). Default 5. */
  readonly examples?: number;
  readonly signal?: AbortSignal | undefined;
}

const NEAR_DUP_NOTE = 'near-duplicate detection is not in this build yet (src/near-dup is pending); exact and verbatim duplicates are reported';
const EVAL_NOTE = 'eval overlap is exact: the same normalised content, or the same normalised prompt; n-gram overlap is pending (src/decontam)';

interface Context {
  readonly options: AuditOptions;
  readonly rules: readonly Rule[];
  readonly evals: EvalIndex;
  readonly evalNotes: readonly string[];
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
  const tally = new SubjectTally(ctx.evals, ctx.tokens, options.examples ?? 5);
  const read = await readSubject(input, tally, { schema: options.schema ?? 'auto', by: options.by, signal: options.signal });
  const manifest = input.manifest?.status === 'ok' ? input.manifest.manifest : undefined;
  const { splits, evals } = tally.finish((split) => (manifest ? plannedShares(manifest, split) : null));
  const findings: Diagnostic[] = [...input.findings];
  const files = [...read.files];
  if (manifest && input.dir) {
    const artifacts = await verifyArtifacts(input.dir, input.name, manifest);
    files.push(...artifacts.files);
    findings.push(...artifacts.findings);
    findings.push(...manifestFindings({ subject: input.name, manifest, files, splits, compareSources: read.withoutProvenance === 0 }));
  }
  const figures = figuresOf({ splits, evals, findings });
  const notes: string[] = [NEAR_DUP_NOTE];
  if (evals.length > 0) notes.push(EVAL_NOTE, ...ctx.evalNotes);
  if (input.kind === 'mixture' && read.withoutProvenance > 0) notes.push(`${read.withoutProvenance} records have no provenance fields (source, group, origin); they count under their file`);
  if (input.ignored > 0) notes.push(`${input.ignored} files in the folders were not read: their names are not data files (.jsonl, .json, .parquet, .csv, .tsv, .txt, optionally .gz/.zst)`);
  if (read.skipped.length > 0) notes.push(`${read.skipped.length} files were not read (not in a readable format)`);
  return {
    name: input.name,
    kind: input.kind,
    manifest:
      input.manifest === null
        ? { status: 'none' }
        : manifest
          ? { status: 'ok', recipe: { name: manifest.recipe?.name ?? '', sha256: manifest.recipe?.sha256 ?? '' }, seed: manifest.seed, tool: `${manifest.tool?.name ?? 'mixsmith'} ${manifest.tool?.version ?? ''}`.trim() }
          : { status: input.manifest.status },
    composition: basisOf(options.by, read.withProvenance),
    tokenizer: { name: ctx.tokenizer, label: tokenLabel(ctx.tokens), estimate: ctx.tokens.estimated },
    files,
    skipped: read.skipped,
    splits,
    evals,
    nearDuplicates: { status: 'pending', note: NEAR_DUP_NOTE },
    findings,
    figures,
    rules: evaluateRules(ctx.rules, figures, input.name),
    notes,
  };
}

export async function audit(paths: readonly string[], options: AuditOptions): Promise<AuditResult> {
  const rules = (options.expect ?? []).map(parseRule);
  if (options.examples !== undefined && !(Number.isInteger(options.examples) && options.examples >= 0)) {
    throw new MixsmithError('USAGE', `--examples must be a whole number ≥ 0, got ${options.examples}`);
  }
  const tokenizer = options.tokenizer ?? 'chars';
  const tokens = await createTokenCounter(tokenizerSpec(tokenizer, options.cwd), options.cwd);
  try {
    const located = await locateAll(paths, options.cwd);
    const loaded = await loadEvals(options.evals ?? [], { cwd: options.cwd, schema: options.schema ?? 'auto', signal: options.signal });
    const ctx: Context = { options, rules, evals: loaded.index, evalNotes: loaded.notes, tokens, tokenizer };
    const subjects: SubjectAudit[] = [];
    for (const input of located.subjects) subjects.push(await auditSubject(input, ctx));
    const summary = located.sweep ? summarizeSweep(located.sweep, subjects) : null;
    const findings = [...located.findings, ...(summary?.findings ?? [])];
    const ok = findings.length === 0 && subjects.every((s) => s.findings.length === 0 && s.rules.every((r) => r.ok));
    return { subjects, sweep: summary?.sweep ?? null, findings, ok };
  } finally {
    tokens.free();
  }
}
