/**
 * The audit report as terminal text (pure): per subject, per split a group table with the share
 * achieved against the plan, lengths, duplicates, near duplicates, leaks and contamination; then
 * eval overlap, files, rules and notes. Sources are listed only where something is wrong with them, so a
 * 150-file dataset does not print 150 lines of zeros.
 */
import type { AuditResult, NearDupPair, SliceStats, SplitAudit, SubjectAudit, SweepAudit } from '../audit/report.js';
import { figure, int, pct, points } from './numbers.js';
import { textTable } from './text-table.js';

const MAX_SOURCE_LINES = 20;
/** Near-duplicate pairs printed per split; the rest are in --json and --html. */
const MAX_PAIR_LINES = 3;

function basisText(subject: SubjectAudit): string {
  const c = subject.composition;
  return typeof c === 'string'
    ? c === 'provenance'
      ? 'groups from provenance fields'
      : 'one group per file'
    : `groups by ${c.by}`;
}

function header(subject: SubjectAudit): string {
  const m = subject.manifest;
  const what =
    subject.kind === 'mixture'
      ? m.recipe
        ? `mixture "${m.recipe.name}" (seed ${m.seed})`
        : 'output folder'
      : 'dataset';
  const checked = subject.files.filter((f) => f.status === 'ok').length;
  const manifest =
    m.status === 'ok'
      ? `manifest ok, ${checked} of ${subject.files.length} files verified`
      : m.status === 'none'
        ? 'no manifest (plain files)'
        : `manifest ${m.status}`;
  return `audit of ${subject.name}: ${what}; ${manifest}; ${basisText(subject)}`;
}

function sliceRow(name: string, s: SliceStats, withPlan: boolean, near: NearColumns): string[] {
  const plan = s.plannedShare === null ? ['', ''] : [pct(s.plannedShare), points(s.share - s.plannedShare)];
  return [
    name,
    int(s.rows),
    pct(s.share),
    ...(withPlan ? plan : []),
    `${int(s.chars.p50)} / ${int(s.chars.p95)}`,
    `${int(s.tokens.p50)} / ${int(s.tokens.p95)}`,
    `${s.turns.min}–${s.turns.max}`,
    int(s.duplicates),
    ...(near.inside ? [int(s.nearDuplicates)] : []),
    int(s.leaked),
    ...(near.leak ? [int(s.nearLeaked)] : []),
    int(s.contaminated),
  ];
}

/** Which near-duplicate columns a split's table has: none when the check was off, no leak column in train. */
interface NearColumns {
  readonly inside: boolean;
  readonly leak: boolean;
}

function pairLine(p: NearDupPair): string {
  return `    ${p.jaccard.toFixed(3)}  ${p.earlier.file}:${p.earlier.line} "${clip(p.earlier.text)}"  ~  ${p.later.file}:${p.later.line} "${clip(p.later.text)}"`;
}

const CLIP_CHARS = 60;

function clip(text: string): string {
  return text.length <= CLIP_CHARS ? text : `${text.slice(0, CLIP_CHARS - 1)}…`;
}

function splitText(split: SplitAudit, tokenWord: string): string {
  const withPlan = Object.values(split.groups).some((g) => g.plannedShare !== null);
  const near: NearColumns = { inside: split.nearDuplicates !== null, leak: split.nearLeak !== null };
  const head = [
    'group',
    'rows',
    'share',
    ...(withPlan ? ['planned', 'Δ'] : []),
    'chars p50/p95',
    `${tokenWord} p50/p95`,
    'turns',
    'dup',
    ...(near.inside ? ['near dup'] : []),
    'leak',
    ...(near.leak ? ['near leak'] : []),
    'eval',
  ];
  const rows = [
    head,
    ...Object.entries(split.groups).map(([name, g]) => sliceRow(name, g, withPlan, near)),
    sliceRow('(all)', split.total, withPlan, near),
  ];
  const lines = [
    `split ${split.name}: ${int(split.rows)} rows${split.invalid ? `, ${int(split.invalid)} unreadable` : ''}`,
    indent(textTable(rows)),
  ];
  const r = split.repeated;
  lines.push(
    `  duplicates: ${int(split.total.duplicates)} exact (normalised), ${int(split.total.verbatimDuplicates)} verbatim; ${int(r.keys)} contents repeated, at most ${r.maxCopies}×`,
  );
  if (split.leak) lines.push(`  leak from train: ${int(split.leak.records)} records`);
  if (split.nearDuplicates) {
    lines.push(
      `  near duplicates (not exact copies): ${int(split.nearDuplicates.records)} in the split${split.nearLeak ? `, ${int(split.nearLeak.records)} near a train record` : ''}`,
    );
    for (const pair of [...split.nearDuplicates.examples, ...(split.nearLeak?.examples ?? [])].slice(0, MAX_PAIR_LINES))
      lines.push(pairLine(pair));
  }
  const flagged = Object.entries(split.sources).filter(
    ([, s]) => s.duplicates + s.sourceDuplicates + s.leaked + s.contaminated + s.empty > 0,
  );
  if (flagged.length > 0) {
    const head2 = ['source', 'rows', 'dup in source', 'dup in split', 'verbatim', 'empty', 'leak', 'eval'];
    const body = flagged
      .slice(0, MAX_SOURCE_LINES)
      .map(([name, s]) => [
        name,
        int(s.rows),
        int(s.sourceDuplicates),
        int(s.duplicates),
        int(s.verbatimDuplicates),
        int(s.empty),
        int(s.leaked),
        int(s.contaminated),
      ]);
    lines.push(indent(textTable([head2, ...body])));
    if (flagged.length > MAX_SOURCE_LINES)
      lines.push(`  … and ${flagged.length - MAX_SOURCE_LINES} more sources (see --json or --html)`);
  }
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

export function subjectText(subject: SubjectAudit): string {
  const tokenWord = subject.tokenizer.estimate ? '≈tokens' : 'tokens';
  const lines = [header(subject), ''];
  for (const split of subject.splits) lines.push(splitText(split, tokenWord), '');
  for (const e of subject.evals) {
    const parts = Object.entries(e.splits).map(
      ([split, c]) => `${split} ${int(c.records)} (exact: ${int(c.content)} content, ${int(c.prompt)} prompt)`,
    );
    lines.push(
      `eval ${e.name} (${int(e.records)} items, ${int(e.indexed)} indexed, ${int(e.tooShort)} too short; ${int(e.itemsHit)} hit: ${int(e.itemsHitExact)} question whole, ${int(e.itemsHitOverlap)} n-gram overlap): records contaminating an item: ${parts.join('; ')}`,
    );
  }
  if (subject.nearDuplicates.status === 'off') lines.push('near duplicates: not checked (--no-near)');
  const bad = subject.files.filter((f) => f.status !== 'ok' && f.status !== 'unverified');
  lines.push(
    `files: ${subject.files.length} read${bad.length ? `, ${bad.length} with problems` : ''}${subject.skipped.length ? `, ${subject.skipped.length} skipped` : ''}`,
  );
  if (subject.tokenizer.estimate) lines.push(`tokens: ${subject.tokenizer.label}`);
  for (const rule of subject.rules)
    lines.push(`${rule.ok ? 'ok  ' : 'FAIL'} ${rule.rule}  (${rule.figure} = ${figure(rule.actual)})`);
  for (const note of subject.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/** The grid as a table (measured rows, realized shares, shortfalls, twins), the flagged points and the sweep rules. */
function sweepText(sweep: SweepAudit): string {
  const rows = [
    [
      'point',
      'volume',
      ...sweep.groups,
      'train',
      'validation',
      'tokens',
      ...sweep.groups.map((g) => `${g} realized`),
      'short',
      'same as',
      'flags',
      'status',
    ],
  ];
  for (const p of sweep.points) {
    const a = p.audited;
    const short = a
      ? sweep.groups.filter((g) => (a.groups[g]?.shortfall ?? 0) > 0).map((g) => `${g} ${int(a.groups[g]!.shortfall!)}`)
      : [];
    rows.push([
      p.path,
      p.volume === null ? '' : int(p.volume),
      ...sweep.groups.map((g) => (p.shares[g] === undefined ? '' : figure(p.shares[g]))),
      a ? int(a.trainRows) : 'missing',
      a ? int(a.validationRows) : '',
      a ? int(a.trainTokens) : '',
      ...sweep.groups.map((g) => (a?.groups[g] ? pct(a.groups[g].share) : '')),
      short.join(', ') || (a ? '-' : ''),
      a?.sameAs ?? (a ? '-' : ''),
      p.flags.join(', ') || (a ? 'ok' : ''),
      a ? (a.ok ? 'ok' : 'problems') : 'missing',
    ]);
  }
  const lines = [`sweep ${sweep.dir}: ${sweep.points.length} points`, indent(textTable(rows))];
  const flagged = sweep.points.filter((p) => p.flags.length > 0);
  if (flagged.length > 0) {
    lines.push(
      `  ${flagged.length} of ${sweep.points.length} points do not hold what their names say (tolerance ${figure(sweep.tolerance)}):`,
    );
    for (const p of flagged) {
      const a = p.audited!;
      const off = sweep.groups
        .filter((g) => Math.abs(a.groups[g]!.share - a.groups[g]!.nominal) > sweep.tolerance + 1e-9)
        .map((g) => `${g} ${pct(a.groups[g]!.share)} (nominal ${pct(a.groups[g]!.nominal)})`);
      lines.push(
        `    ${p.path}: ${[off.length > 0 ? off.join(', ') : '', a.sameAs === null ? '' : `same training records as ${a.sameAs}`].filter(Boolean).join('; ')}`,
      );
    }
  }
  for (const rule of sweep.rules)
    lines.push(`${rule.ok ? 'ok  ' : 'FAIL'} ${rule.rule}  (${rule.figure} = ${figure(rule.actual)})`);
  return lines.join('\n');
}

export function auditText(result: AuditResult): string {
  const parts = result.subjects.map(subjectText);
  if (result.sweep) parts.push(sweepText(result.sweep));
  parts.push(result.ok ? 'audit: ok' : 'audit: problems found (see above and below)');
  return parts.join('\n\n');
}
