/**
 * A failed write of the output is OUTPUT_IO (exit 5) at the file, with a hint that says what the
 * system's code means (issue #24). /dev/full fails every write with ENOSPC, as a full disk does,
 * without needing one; test/compose/disk-full.test.ts fills a real tmpfs.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MixsmithError } from '../../src/errors.js';
import { outputIoError } from '../../src/io/output-error.js';
import { RecordSpill } from '../../src/io/record-spill.js';
import { RemovalLog } from '../../src/io/removal-log.js';

const hasDevFull = existsSync('/dev/full');

async function failure(work: () => Promise<unknown> | unknown): Promise<MixsmithError> {
  let error: unknown;
  try {
    await work();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MixsmithError);
  return error as MixsmithError;
}

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe('outputIoError', () => {
  it.each([
    ['ENOSPC', /full/],
    ['EDQUOT', /quota/],
    ['EIO', /input\/output error/],
    ['EROFS', /read-only/],
    ['EACCES', /permission/],
  ])('%s: OUTPUT_IO at the file, exit 5, a hint for that code', (code, hint) => {
    const error = outputIoError('/out/.train-0.part', errno(code));
    expect(error.code).toBe('OUTPUT_IO');
    expect(error.exitCode).toBe(5);
    expect(error.where).toEqual({ file: '/out/.train-0.part' });
    expect(error.message).toContain(code);
    expect(error.hint).toMatch(hint);
  });

  it('passes a MixsmithError through unchanged', () => {
    const inner = new MixsmithError('INTERRUPTED', 'interrupted');
    expect(outputIoError('/out/x', inner)).toBe(inner);
  });
});

describe.skipIf(!hasDevFull)('writers on a full device (/dev/full)', () => {
  it('removed.jsonl: ENOSPC is OUTPUT_IO at close, not an unhandled stream error', async () => {
    const log = new RemovalLog('/dev/full', 'removed.jsonl');
    await log.begin();
    log.write({ reason: 'duplicate', line: 1 });
    const error = await failure(() => log.close());
    expect(error.code).toBe('OUTPUT_IO');
    expect(error.where).toEqual({ file: '/dev/full' });
    expect(error.hint).toMatch(/full/);
  });

  it('removed.jsonl: a write after the stream failed stops at once with OUTPUT_IO', async () => {
    const log = new RemovalLog('/dev/full', 'removed.jsonl');
    await log.begin();
    const line = { reason: 'x'.repeat(70_000) }; // over the flush size: goes to the stream at once
    log.write(line);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await failure(() => log.write(line));
    expect(error.code).toBe('OUTPUT_IO');
  });

  it('the scan spill: ENOSPC is OUTPUT_IO at the file', async () => {
    const spill = new RecordSpill('/dev/full');
    const error = await failure(() => spill.append(Buffer.alloc(2 << 20)));
    expect(error.code).toBe('OUTPUT_IO');
    expect(error.where).toEqual({ file: '/dev/full' });
  });
});
