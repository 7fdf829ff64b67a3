/**
 * Limits while reading (issue #24): bombs, endless lines, huge tokenizer files and records nested
 * 100,000 deep end with exit 4 (INPUT_LIMIT at file:line, naming the limit and how to raise it)
 * while the process's resident memory stays under 1 GB. Each run is a real child process whose
 * peak RSS is sampled from /proc (test/helpers/peak-rss.ts). Bombs are made here from streams,
 * as gzip members or zstd frames of zeros repeated: a 5 GiB bomb is a few MB on disk and seconds
 * to write.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress } from 'zstd-napi';
import { describe, expect, it } from 'vitest';
import { alpacaRecords, writeJsonl } from '../../helpers/corpus.js';
import { runMeasured } from '../../helpers/peak-rss.js';
import { tempDir } from '../../helpers/temp.js';

const dir = tempDir('mixsmith-read-limits-');
const GIB = 1024 * 1024 * 1024;
const MEMBER_BYTES = 8 * 1024 * 1024;
const RSS_LIMIT = 1024 * 1024 * 1024;
const linux = process.platform === 'linux';

/** `totalBytes` of zeros as repeated compressed members (gzip) or frames (zstd), then `padBytes` of a zstd skippable frame. */
function writeBomb(file: string, codec: 'gzip' | 'zstd', totalBytes: number, padBytes = 0): void {
  const zeros = Buffer.alloc(MEMBER_BYTES);
  const member = codec === 'gzip' ? gzipSync(zeros, { level: 9 }) : compress(zeros);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < totalBytes; written += MEMBER_BYTES) writeSync(fd, member);
    if (padBytes > 0) {
      // A skippable frame (magic 0x184D2A50): makes the file large enough for the worker decoder.
      const header = Buffer.alloc(8);
      header.writeUInt32LE(0x184d2a50, 0);
      header.writeUInt32LE(padBytes, 4);
      writeSync(fd, header);
      writeSync(fd, Buffer.alloc(padBytes, 1));
    }
  } finally {
    closeSync(fd);
  }
}

/** A recipe with a good general source and `medical` as the source under test. */
function recipe(name: string, medical: string, extra = { source: '', mixture: '', output: '' }): string {
  const general = path.join(dir, 'general.jsonl');
  writeJsonl(general, alpacaRecords('gen', 50));
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
seed: 1
sources:
  - name: med
    group: medical
    path: ${JSON.stringify(medical)}
${extra.source}  - name: gen
    group: general
    path: ${JSON.stringify(general)}
mixture:
  volume: 20
  shares: { medical: 0.5, general: 0.5 }
${extra.mixture}${extra.output}`,
  );
  return file;
}

async function compose(recipeFile: string, name: string) {
  return runMeasured(['compose', recipeFile, '--out', path.join(dir, `out-${name}`)], { timeoutMs: 120_000 });
}

function expectLimit(run: Awaited<ReturnType<typeof compose>>, where: RegExp, limit: string): void {
  const said = `exit ${run.code} (${run.signal}), peak ${run.peakRssBytes}, stderr: ${run.stderr.slice(-1500)}`;
  expect(run.code, said).toBe(4);
  expect(run.stderr, said).toMatch(/error\[INPUT_LIMIT\]/);
  expect(run.stderr, said).toMatch(where);
  expect(run.stderr, said).toContain(limit);
  expect(run.stderr, said).not.toMatch(/\n\s+at /); // no stack trace
  if (linux) expect(run.peakRssBytes, said).toBeLessThan(RSS_LIMIT);
}

describe('limits while reading', { timeout: 180_000 }, () => {
  it('a 5 GiB gzip bomb (worker decoder) ends at max_record_bytes under 1 GB', async () => {
    const bomb = path.join(dir, 'bomb.jsonl.gz');
    writeBomb(bomb, 'gzip', 5 * GIB);
    expectLimit(
      await compose(recipe('gzip-bomb', bomb), 'gzip'),
      /bomb\.jsonl\.gz:1: error\[INPUT_LIMIT\]/,
      'max_record_bytes',
    );
  });

  it('a 2 GiB gzip bomb under 4 MB (decompressed on the main thread) ends the same way', async () => {
    const bomb = path.join(dir, 'small-bomb.jsonl.gz');
    writeBomb(bomb, 'gzip', 2 * GIB);
    expectLimit(
      await compose(recipe('gzip-small', bomb), 'gzip-small'),
      /small-bomb\.jsonl\.gz:1:/,
      'max_record_bytes',
    );
  });

  it('a 5 GiB zstd bomb (zstd-napi on the main thread) ends at max_record_bytes under 1 GB', async () => {
    const bomb = path.join(dir, 'bomb.jsonl.zst');
    writeBomb(bomb, 'zstd', 5 * GIB);
    expectLimit(await compose(recipe('zstd-bomb', bomb), 'zstd'), /bomb\.jsonl\.zst:1:/, 'max_record_bytes');
  });

  it('a 5 GiB zstd bomb of 4 MB and more (worker decoder) ends the same way', async () => {
    const bomb = path.join(dir, 'big-bomb.jsonl.zst');
    writeBomb(bomb, 'zstd', 5 * GIB, 5 * 1024 * 1024);
    expectLimit(
      await compose(recipe('zstd-worker', bomb), 'zstd-worker'),
      /big-bomb\.jsonl\.zst:1:/,
      'max_record_bytes',
    );
  });

  // Every decoder the CLI cannot choose on its own: the zstd command, and each gzip path.
  for (const [codec, zstd, gzip] of [
    ['zstd', 'cli', 'auto'],
    ['zstd', 'napi', 'auto'],
    ['gzip', 'auto', 'inline'],
    ['gzip', 'auto', 'worker'],
  ] as const) {
    it(`a 5 GiB ${codec} bomb read with ${codec === 'zstd' ? `zstd: ${zstd}` : `gzip: ${gzip}`} ends at max_record_bytes under 1 GB`, async () => {
      const bomb = path.join(dir, `decoder-${zstd}-${gzip}.jsonl.${codec === 'gzip' ? 'gz' : 'zst'}`);
      writeBomb(bomb, codec, 5 * GIB);
      const run = await runMeasured([bomb, zstd, gzip], {
        script: path.join(import.meta.dirname, 'read-limits-child.ts'),
      });
      const said = `exit ${run.code}, peak ${run.peakRssBytes}, stdout ${run.stdout}, stderr ${run.stderr.slice(-1000)}`;
      expect(run.code, said).toBe(0);
      const ended = JSON.parse(run.stdout) as { code?: string; where?: object; message?: string };
      expect(ended.code, said).toBe('INPUT_LIMIT');
      expect(ended.where, said).toEqual({ file: bomb, line: 1 });
      expect(ended.message, said).toContain('max_record_bytes');
      if (linux) expect(run.peakRssBytes, said).toBeLessThan(RSS_LIMIT);
    });
  }

  it('an endless line (a 64 GiB sparse file after one good record) ends at its line', async () => {
    const endless = path.join(dir, 'endless.jsonl');
    writeFileSync(endless, `${JSON.stringify(alpacaRecords('med', 1)[0])}\n{"instruction": "`);
    const fd = openSync(endless, 'r+');
    writeSync(fd, Buffer.from('x'), 0, 1, 64 * GIB); // a hole of zeros up to here: no disk used
    closeSync(fd);
    expectLimit(await compose(recipe('endless', endless), 'endless'), /endless\.jsonl:2:/, 'max_record_bytes');
  });

  it('a huge tokenizer.json is refused by its size before it is read', async () => {
    const tokenizer = path.join(dir, 'tokenizer.json');
    const fd = openSync(tokenizer, 'w');
    writeSync(fd, Buffer.from('{'), 0, 1, 8 * GIB);
    closeSync(fd);
    const med = path.join(dir, 'med.jsonl');
    writeJsonl(med, alpacaRecords('med', 50));
    const run = await compose(
      recipe('tokenizer', med, {
        source: '',
        mixture: `  tokenizer: { path: ${JSON.stringify(tokenizer)} }\n`,
        output: '',
      }),
      'tokenizer',
    );
    expectLimit(run, /tokenizer\.json: error\[INPUT_LIMIT\]/, 'max_bytes');
  });

  it('JSON nested 100,000 deep with schema: passthrough is INPUT_LIMIT at its line, not a stack overflow', async () => {
    const deep = path.join(dir, 'deep.jsonl');
    const good = alpacaRecords('med', 30).map((r) => JSON.stringify(r));
    const nested = `{"instruction": "deep", "output": "x", "extra": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    writeFileSync(deep, `${good.slice(0, 3).join('\n')}\n${nested}\n${good.slice(3).join('\n')}\n`);
    const run = await compose(
      recipe('deep', deep, { source: '', mixture: '', output: 'output:\n  schema: passthrough\n' }),
      'deep',
    );
    expectLimit(run, /deep\.jsonl:4: error\[INPUT_LIMIT\]/, 'max_depth');
  });
});
