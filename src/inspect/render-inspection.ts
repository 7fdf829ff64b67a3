/** An inspection as plain text for a terminal: one block per file, no colours. */
import type { Percentiles } from './count-histogram.js';
import type { ExampleSample, FileInspection } from './inspect-file.js';

const EXCERPT_CHARS = 160;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

function stats(label: string, p: Percentiles | null): string {
  if (!p) return `  ${label}: –`;
  return `  ${label}: min ${p.min}  p10 ${p.p10}  p50 ${p.p50}  p90 ${p.p90}  p99 ${p.p99}  max ${p.max}  (mean ${p.mean})`;
}

function exampleLines(example: ExampleSample, index: number): string[] {
  const lines = [`  [${index + 1}] ${example.origin}`];
  if (example.body?.kind === 'chat') {
    for (const message of example.body.messages) lines.push(`      ${message.role}: ${excerpt(message.content)}`);
  } else if (example.body?.kind === 'text') {
    lines.push(`      text: ${excerpt(example.body.text)}`);
  } else {
    lines.push(`      raw: ${excerpt(JSON.stringify(example.raw) ?? '')}`);
  }
  if (example.meta && Object.keys(example.meta).length > 0)
    lines.push(`      meta: ${excerpt(JSON.stringify(example.meta))}`);
  return lines;
}

/** One file's inspection as a block of text lines. */
export function renderInspection(inspection: FileInspection): string {
  const { schema, invalid } = inspection;
  const compression = inspection.compression === 'none' ? '' : ` (${inspection.compression})`;
  const schemaText = schema.name
    ? `${schema.name} (${schema.how})`
    : `not detected: ${schema.problem ?? 'no valid record'}`;
  const lines = [
    `${inspection.file}  ${inspection.bytes} bytes`,
    `  format: ${inspection.format}${compression}   encoding: ${inspection.encoding.name} (${inspection.encoding.how})   schema: ${schemaText}`,
    `  records: ${inspection.records}   valid: ${inspection.valid}   invalid: ${invalid.count}   empty: ${inspection.empty}`,
    `  duplicates: ${inspection.duplicates.exact} exact, ${inspection.duplicates.normalized === null ? '– after normalising (no record could be mapped)' : `${inspection.duplicates.normalized} after normalising the mapped text`}`,
  ];
  if (invalid.count > 0) {
    const codes = Object.entries(invalid.byCode)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    lines.push(`  invalid by code: ${codes}; first:`);
    for (const first of invalid.first) lines.push(`    ${first.where}: ${first.code}: ${first.message}`);
  }
  lines.push(stats('characters', inspection.lengths.chars), stats('turns', inspection.lengths.turns));
  if (inspection.examples.length > 0) lines.push('  examples:', ...inspection.examples.flatMap(exampleLines));
  return lines.join('\n');
}
