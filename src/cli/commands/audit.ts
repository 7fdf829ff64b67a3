import path from 'node:path';
import { audit } from '../../audit/audit.js';
import { DEFAULT_NEAR_DUP_CHECK } from '../../audit/near-dup-tally.js';
import { workerCountOption } from '../../records/facts/scan-workers.js';
import type { AuditSchema } from '../../audit/record-body.js';
import { TOKENIZERS } from '../../audit/tokenizer-option.js';
import { PRESET_NAMES } from '../../recipe/names.js';
import { ENCODINGS } from '../../records/read/text-encoding.js';
import { evalSpec } from '../../audit/load-evals.js';
import { auditViolations } from '../../audit/violations.js';
import { type GuardedPath, refuseGuardedTarget } from '../../io/output-guard.js';
import { writeReportFile } from '../../io/report-file.js';
import type { TextFields } from '../../text/fields.js';
import { auditHtml } from '../../report/audit-html.js';
import { auditText } from '../../report/audit-text.js';
import { type Command, isHuman, printJson } from '../command.js';
import { formatDiagnostic } from '../format-error.js';

const SCHEMAS = ['auto', ...PRESET_NAMES] as const;

/** What an audit reads: the audited paths, the eval sets (`name=path` or a path) and a tokenizer file. */
function auditReadPaths(args: Record<string, unknown>): GuardedPath[] {
  const cwd = process.cwd();
  const paths = (args.paths as string[]).map((p) => ({ path: path.resolve(cwd, p), role: 'an audited path' }));
  const evals = (args.eval as string[]).map((spec) => ({
    path: path.resolve(cwd, evalSpec(spec).target),
    role: 'an eval set',
  }));
  const tokenizer = String(args.tokenizer);
  const tokenizerFile = TOKENIZERS.includes(tokenizer as (typeof TOKENIZERS)[number])
    ? []
    : [{ path: path.resolve(cwd, tokenizer), role: 'the tokenizer' }];
  return [...paths, ...evals, ...tokenizerFile];
}

export const auditCommand: Command = {
  usage: 'audit <paths..>',
  describe:
    'verify an output against its manifest and measure what it contains: shares, duplicates, leaks, eval overlap, lengths',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        describe: 'an output folder, a sweep folder, or data files and folders',
        demandOption: true,
      })
      .option('eval', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe:
          "an eval set (file or folder, or name=path) to check overlap with, as compose's decontaminate does: its questions found whole, or its n-grams (repeatable)",
      })
      .option('eval-schema', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe:
          'NAME=SCHEMA: read eval set NAME with a preset or a JSON field mapping (as inspect --schema); default: its question field by the documented rules (repeatable)',
      })
      .option('expect', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe:
          'a rule that must hold, e.g. share.medical=0.30±0.005, dup.exact=0, dup.near=0, leak.validation=0, contamination=0 (repeatable); exit 6 if not',
      })
      .option('html', {
        type: 'string',
        describe: 'write a self-contained HTML report to this file (must not exist unless --force)',
      })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing --html report file' })
      .option('by', {
        type: 'string',
        describe: 'group records by this field (or @file, @dir) instead of their provenance',
      })
      .option('schema', {
        type: 'string',
        choices: SCHEMAS,
        default: 'auto',
        describe: 'how to read records; auto detects a preset and falls back to every string field',
      })
      .option('encoding', {
        type: 'string',
        choices: ['auto', ...ENCODINGS],
        default: 'auto',
        describe: 'text encoding of JSONL/CSV/TSV files (auto: utf-8 or gb18030 by content, per file)',
      })
      .option('tokenizer', {
        type: 'string',
        default: 'chars',
        describe: `${TOKENIZERS.join(', ')} or a tokenizer.json; chars is a labelled estimate (chars / 4), the others count (slower)`,
      })
      .option('near', {
        type: 'boolean',
        default: true,
        describe:
          'look for near duplicates inside each split and across train/validation (--no-near skips it: the costliest check)',
      })
      .option('near-threshold', {
        type: 'number',
        default: DEFAULT_NEAR_DUP_CHECK.threshold,
        describe:
          "Jaccard similarity of shingle sets at which two records are near duplicates (compose's dedup.near.threshold)",
      })
      .option('near-fields', {
        type: 'string',
        choices: ['all', 'user', 'assistant'] as const,
        default: DEFAULT_NEAR_DUP_CHECK.fields,
        describe: "which turns near duplicates are judged on (compose's dedup.near.fields)",
      })
      .option('examples', { type: 'number', default: 5, describe: 'examples kept per table' })
      .option('workers', {
        type: 'number',
        describe:
          'worker threads for the per-record checks (0: none; default: one per core, at most 4); the report is the same for any count',
      }),
  async run(args, io) {
    const workers = workerCountOption(args.workers);
    const html = typeof args.html === 'string' ? args.html : undefined;
    // Refused before the audit runs: the report must not land on what is being audited.
    if (html !== undefined) await refuseGuardedTarget(html, auditReadPaths(args), '--html');
    const result = await audit(args.paths as string[], {
      workers,
      cwd: process.cwd(),
      evals: args.eval as string[],
      evalSchemas: args.evalSchema as string[],
      expect: args.expect as string[],
      by: typeof args.by === 'string' ? args.by : undefined,
      schema: args.schema as AuditSchema,
      encoding: String(args.encoding),
      tokenizer: String(args.tokenizer),
      examples: Number(args.examples),
      near:
        args.near === false ? false : { threshold: Number(args.nearThreshold), fields: args.nearFields as TextFields },
      signal: io.signal,
    });
    if (html !== undefined) await writeReportFile(html, auditHtml(result), { force: args.force === true });
    const violations = auditViolations(result);
    if (args.json) printJson(io, { ...result, violations });
    else if (isHuman(args)) io.stderr.write(`${auditText(result)}\n`);
    if (violations.length > 0) io.stderr.write(`${violations.map(formatDiagnostic).join('\n')}\n`);
    return result.ok ? 0 : 6;
  },
};
