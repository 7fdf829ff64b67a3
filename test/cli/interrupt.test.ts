/** Ctrl-C in a real process: exit 130, no output folder, no staged folder left beside it. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('interrupt', () => {
  it('SIGINT during the scan exits 130 and leaves nothing that looks complete', async () => {
    const dir = tempDir();
    writeJsonl(path.join(dir, 'med.jsonl'), alpacaRecords('med', 150_000));
    writeJsonl(path.join(dir, 'gen.jsonl'), alpacaRecords('gen', 150_000));
    writeFileSync(
      path.join(dir, 'r.yaml'),
      twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 1000 }),
    );
    const out = path.join(dir, 'out');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'src/cli/bin.ts'),
        'compose',
        path.join(dir, 'r.yaml'),
        '--out',
        out,
        '--progress',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // Interrupt once the scan has started (its first progress line), well before it ends.
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (stderr.includes('scan') || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGINT');
          resolve();
        }
      }, 20);
    });
    const code = await closed;
    expect(code).toBe(130);
    expect(stderr).toContain('error[INTERRUPTED]');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('.out'))).toEqual([]);
  }, 120_000);
});
