/**
 * Staged folders of killed runs (#24): a compose killed with SIGKILL leaves its `.partial` folder;
 * the next run into the same parent removes it, because its owner marker proves a dead process of
 * this machine and boot. Folders it cannot prove dead are left alone and named in a warning.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectStalePartials, OWNER_MARKER } from '../../src/io/stale-partials.js';
import { runCli } from '../helpers/cli.js';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const root = path.resolve(import.meta.dirname, '../..');
const bootId = existsSync('/proc/sys/kernel/random/boot_id')
  ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  : null;

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

function stagedFolder(parent: string, name: string, owner?: object): string {
  const folder = path.join(parent, name);
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'train-00000-of-00001.jsonl'), '{}\n');
  if (owner) writeFileSync(path.join(folder, OWNER_MARKER), JSON.stringify(owner));
  return folder;
}

describe.skipIf(bootId === null)('stale .partial folders', () => {
  it('a SIGKILLed compose leaves its staged folder; the next compose into the same parent removes it', async () => {
    const dir = tempDir();
    writeJsonl(path.join(dir, 'med.jsonl'), alpacaRecords('med', 150_000));
    writeJsonl(path.join(dir, 'gen.jsonl'), alpacaRecords('gen', 150_000));
    const recipe = path.join(dir, 'r.yaml');
    writeFileSync(recipe, twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 1000 }));
    const out = path.join(dir, 'out');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), 'compose', recipe, '--out', out, '--progress'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const closed = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (stderr.includes('scan') || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
    });
    expect(await closed).toBe('SIGKILL');
    const left = readdirSync(dir).filter((n) => n.startsWith('.out.partial-'));
    expect(left).toHaveLength(1);
    const marker = JSON.parse(readFileSync(path.join(dir, left[0]!, OWNER_MARKER), 'utf8'));
    expect(marker).toMatchObject({ tool: 'mixsmith', pid: child.pid, host: os.hostname(), bootId });

    const next = await runCli(['compose', recipe, '--out', out, '--progress']);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(
      `warning: removed 1 unfinished output folder(s) of killed mixsmith runs: ${path.join(dir, left[0]!)}`,
    );
    expect(readdirSync(dir).filter((n) => n.includes('.partial-'))).toEqual([]);
    // The committed output carries no marker.
    expect(existsSync(path.join(out, OWNER_MARKER))).toBe(false);
    expect((await runCli(['audit', out])).code).toBe(0);
  }, 120_000);

  it('removes only folders provably of a dead run on this machine and boot', async () => {
    const parent = tempDir();
    const here = { tool: 'mixsmith', host: os.hostname(), bootId, startTicks: 1 };
    const dead = stagedFolder(parent, '.mix.partial-aaaaaa', { ...here, pid: deadPid() });
    const live = stagedFolder(parent, '.mix.partial-bbbbbb', { ...here, pid: process.pid, startTicks: null });
    const otherHost = stagedFolder(parent, '.mix.partial-cccccc', {
      ...here,
      pid: deadPid(),
      host: `${os.hostname()}-x`,
    });
    const otherBoot = stagedFolder(parent, '.mix.partial-dddddd', { ...here, pid: deadPid(), bootId: 'another-boot' });
    const unmarked = stagedFolder(parent, '.mix.partial-eeeeee');
    const replaced = stagedFolder(parent, '.mix.partial-ffffff.replaced');
    const notStaged = stagedFolder(parent, 'mix.partial-gggggg', { ...here, pid: deadPid() });
    const badMarker = stagedFolder(parent, '.mix.partial-hhhhhh');
    writeFileSync(path.join(badMarker, OWNER_MARKER), '{"tool": "mixsmith", "pid": "x"');
    // A link named like a staged folder, to a dead run's folder elsewhere: never followed.
    const elsewhere = tempDir();
    const target = stagedFolder(elsewhere, 'target', { ...here, pid: deadPid() });
    symlinkSync(target, path.join(parent, '.mix.partial-iiiiii'));

    const result = await collectStalePartials(parent);
    expect(result.collected).toEqual([dead]);
    expect(result.left).toEqual([live, otherHost, otherBoot, unmarked, replaced, badMarker]);
    expect(existsSync(dead)).toBe(false);
    for (const kept of [live, otherHost, otherBoot, unmarked, replaced, notStaged, badMarker, target])
      expect(existsSync(kept)).toBe(true);
  });

  it('a pid reused by a later process counts as dead: its start time differs', async () => {
    const parent = tempDir();
    const folder = stagedFolder(parent, '.mix.partial-jjjjjj', {
      tool: 'mixsmith',
      host: os.hostname(),
      bootId,
      pid: process.ppid,
      startTicks: -1,
    });
    expect((await collectStalePartials(parent)).collected).toEqual([folder]);
  });
});
