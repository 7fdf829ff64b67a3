/**
 * Mapping `meta:` fields reach every output schema (#20 item 8): one `meta` field holding a JSON
 * object as text, with every key the recipe's mappings name on every record (null where absent),
 * in JSONL and Parquet alike, declared in the card's features; for the OpenAI target it goes to
 * the provenance sidecar. Without a `meta:` mapping nothing changes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
const medical = Array.from(
  { length: 20 },
  (_, i) =>
    `{"q":"medical question ${i}","a":"medical answer ${i}","department":"${i % 2 ? 'cardiology' : 'oncology'}","id":${i === 0 ? '9007199254740993' : i}}`,
);
const general = Array.from({ length: 20 }, (_, i) =>
  JSON.stringify({ q: `general question ${i}`, a: `general answer ${i}`, subject: { name: `s${i % 3}` } }),
);
writeFileSync(path.join(dir, 'med.jsonl'), medical.join('\n'));
writeFileSync(path.join(dir, 'gen.jsonl'), general.join('\n'));

function recipe(name: string, output: string, meta = true): string {
  const file = path.join(dir, `${name}.yaml`);
  const turns = '[{ role: user, from: q }, { role: assistant, from: a }]';
  writeFileSync(
    file,
    `name: ${name}
seed: 5
sources:
  - { name: med, group: medical, path: med.jsonl, schema: { turns: ${turns}${meta ? ', meta: [department, id]' : ''} } }
  - { name: gen, group: general, path: gen.jsonl, schema: { turns: ${turns}${meta ? ', meta: [subject.name]' : ''} } }
mixture:
  volume: 30
  shares: { medical: 0.5, general: 0.5 }
split:
  validation: 4
output:
${output}
`,
  );
  return file;
}

async function compose(name: string, output: string, meta = true, workers = '0'): Promise<string> {
  const out = path.join(dir, `${name}-out`);
  const result = await runCli(['compose', recipe(name, output, meta), '--out', out, '--workers', workers]);
  expect(result.stderr).not.toContain('error');
  expect(result.code).toBe(0);
  return out;
}

function jsonl(out: string, suffix = '.jsonl'): Record<string, unknown>[] {
  return readdirSync(out)
    .filter((f) => /^(train|validation)-\d{5}-of-\d{5}$/.test(f.slice(0, -suffix.length)) && f.endsWith(suffix))
    .flatMap((f) =>
      readFileSync(path.join(out, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
}

const KEYS = ['department', 'id', 'subject.name'];

function expectMeta(records: readonly Record<string, unknown>[], text?: (r: Record<string, unknown>) => string) {
  expect(records.length).toBe(34);
  for (const record of records) {
    expect(typeof record.meta).toBe('string');
    const meta = JSON.parse(record.meta as string) as Record<string, unknown>;
    expect(Object.keys(meta)).toEqual(KEYS);
    if (meta.subject !== undefined) throw new Error('keys are paths, not nested objects');
    if (meta.department === null) expect(meta['subject.name']).toMatch(/^s\d$/);
    else expect(meta['subject.name']).toBeNull();
  }
  const raw = records.map((r) => r.meta as string);
  // The big id keeps its digits in the text.
  expect(raw.some((m) => m.includes('"id":9007199254740993'))).toBe(true);
  if (text) for (const r of records) expect(text(r)).toBeTruthy();
}

describe('meta in every output schema', () => {
  for (const schema of ['messages', 'sharegpt', 'alpaca'] as const) {
    it(`${schema} JSONL carries meta, and the audit passes`, async () => {
      const out = await compose(`${schema}-jsonl`, `  schema: ${schema}\n  format: jsonl`);
      const records = jsonl(out);
      expectMeta(records);
      const keys = Object.keys(records[0]!);
      expect(keys.slice(keys.indexOf('meta'))).toEqual(['meta', 'source', 'group', 'origin']);
      expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/- name: meta\n\s+dtype: string/);
      expect((await runCli(['audit', out])).code).toBe(0);
    });
  }

  it('text (chat through a template) and Parquet carry it too', async () => {
    const text = await compose('text-jsonl', '  schema: text\n  template: chatml\n  format: jsonl');
    expectMeta(jsonl(text));
    const parquet = await compose('messages-parquet', '  schema: messages\n  format: parquet');
    const shards = readdirSync(parquet).filter((f) => f.endsWith('.parquet'));
    const rows: Record<string, unknown>[] = [];
    for (const f of shards) {
      const bytes = readFileSync(path.join(parquet, f));
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      rows.push(...((await parquetReadObjects({ file, compressors })) as Record<string, unknown>[]));
    }
    expectMeta(rows);
    expect((await runCli(['audit', parquet])).code).toBe(0);
  });

  it('the OpenAI target keeps it out of the records, in the sidecar', async () => {
    const out = await compose('openai', '  schema: messages\n  target: openai\n  format: jsonl\n  provenance: false');
    const records = jsonl(out);
    expect(records.every((r) => Object.keys(r).join() === 'messages')).toBe(true);
    const sidecar = jsonl(out, '.provenance.jsonl');
    expect(sidecar.every((r) => Object.keys(r).join() === 'line,meta')).toBe(true);
    expectMeta(sidecar);
    expect((await runCli(['audit', out])).code).toBe(0);
  });

  it('worker threads render the same bytes', async () => {
    const inline = await compose('inline', '  schema: sharegpt\n  format: jsonl');
    const workers = await compose('workers', '  schema: sharegpt\n  format: jsonl', true, '2');
    const shard = 'train-00000-of-00001.jsonl';
    expect(readFileSync(path.join(workers, shard), 'utf8')).toBe(readFileSync(path.join(inline, shard), 'utf8'));
    expect(readFileSync(path.join(workers, shard), 'utf8')).toContain('"meta":"{');
  });

  it('without meta mappings there is no meta field', async () => {
    const out = await compose('no-meta', '  schema: messages\n  format: jsonl', false);
    expect(jsonl(out).every((r) => !('meta' in r))).toBe(true);
  });
});
