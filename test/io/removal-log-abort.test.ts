/**
 * A failed compose aborts its removal log before the staged folder is removed: abort() resolves
 * once the stream is closed, so the log's file (opened asynchronously by begin) cannot appear in
 * the folder after its removal, and the folder stays removed.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RemovalLog } from '../../src/io/removal-log.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('mixsmith-removal-abort-');

describe('RemovalLog.abort', () => {
  it('closes a stream still being opened; the folder removed after it stays removed', async () => {
    for (let round = 0; round < 20; round++) {
      const folder = path.join(dir, `staged-${round}`);
      mkdirSync(folder);
      const log = new RemovalLog(path.join(folder, 'removed.jsonl'), 'removed.jsonl');
      await log.begin();
      log.write({ reason: 'x' });
      await log.abort();
      rmSync(folder, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(existsSync(folder)).toBe(false);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is a no-op before begin and after close', async () => {
    const folder = path.join(dir, 'closed');
    mkdirSync(folder);
    const log = new RemovalLog(path.join(folder, 'removed.jsonl'), 'removed.jsonl');
    await log.abort();
    await log.begin();
    await log.close();
    await log.abort();
    expect(readdirSync(folder)).toEqual(['removed.jsonl']);
  });
});
