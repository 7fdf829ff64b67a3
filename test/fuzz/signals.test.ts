/**
 * SIGINT and SIGTERM at seeded random moments of a real `compose` (spawned, so the signal handlers
 * in cli/bin.ts are the ones under test): from process start-up through the scan, the selection and
 * the writing to just after the commit. Whatever the moment, the run ends one of the documented ways
 * (docs/errors.md) and never leaves anything that looks complete but is not:
 *
 * - exit 130, INTERRUPTED on stderr: no `--out` folder and no staged `.out.partial-*` folder;
 * - exit 0 (the signal came after the commit): `--out` holds a manifest and every shard it lists;
 * - killed by the signal itself, only while Node is still loading, before cli/bin.ts has run
 *   (possible under tsx, which takes a while to start): nothing printed, nothing written.
 *
 * Never exit 1 or a stack trace. `MIXSMITH_FUZZ_SEED` varies the moments (see fuzz-run.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alpacaRecords, twoGroupRecipe, writeJsonl } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { seededRandom } from './fuzz-run.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir('mixsmith-fuzz-signals-');
const seed = process.env.MIXSMITH_FUZZ_SEED === undefined ? 24_300 : Number(process.env.MIXSMITH_FUZZ_SEED);
const ROUNDS = 12;

interface Round {
  readonly signal: 'SIGINT' | 'SIGTERM';
  readonly delayMs: number;
  readonly out: string;
}

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

function composeThenSignal(recipe: string, round: Round): Promise<Ended> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), 'compose', recipe, '--out', round.out, '--progress'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill(round.signal), round.delayMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

/** How long one uninterrupted compose of the corpus takes here, start-up included. */
async function timeCompose(recipe: string): Promise<number> {
  const ended = await composeThenSignal(recipe, {
    signal: 'SIGINT',
    delayMs: 600_000,
    out: path.join(dir, 'timing'),
  });
  expect(ended.code, ended.stderr).toBe(0);
  return ended.elapsedMs;
}

describe('signals at random points of a spawned compose', () => {
  it(`${ROUNDS} rounds of SIGINT/SIGTERM: exit 130 and nothing left, or exit 0 and a complete output`, async () => {
    writeJsonl(path.join(dir, 'med.jsonl'), alpacaRecords('med', 20_000));
    writeJsonl(path.join(dir, 'gen.jsonl'), alpacaRecords('gen', 20_000));
    const recipe = path.join(dir, 'r.yaml');
    writeFileSync(recipe, twoGroupRecipe({ medical: 'med.jsonl', general: 'gen.jsonl', volume: 4000 }));
    const full = await timeCompose(recipe);

    // Moments spread over the whole run and a little past it (so some rounds finish first).
    const random = seededRandom(seed);
    const rounds: Round[] = Array.from({ length: ROUNDS }, (_, i) => ({
      signal: i % 2 === 0 ? 'SIGINT' : 'SIGTERM',
      delayMs: Math.round(random() * full * 1.1),
      out: path.join(dir, `out-${i}`),
    }));
    // Two at a time: the machine has two cores.
    const ended: Ended[] = [];
    for (let i = 0; i < rounds.length; i += 2)
      ended.push(...(await Promise.all(rounds.slice(i, i + 2).map((round) => composeThenSignal(recipe, round)))));

    const outcomes = { interrupted: 0, completed: 0, killedAtStartup: 0 };
    ended.forEach((result, i) => {
      const round = rounds[i]!;
      const name = path.basename(round.out);
      const label = `round ${i}: ${round.signal} after ${round.delayMs} ms of ${full} ms (seed ${seed}; replay: MIXSMITH_FUZZ_SEED=${seed} npx vitest run test/fuzz/signals.test.ts)\n${result.stderr}`;
      const staged = readdirSync(dir).filter((entry) => entry.startsWith(`.${name}.partial`));
      expect(staged, `${label}\na staged folder was left`).toEqual([]);
      expect(result.stderr, label).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      if (result.signal !== null && existsSync(round.out)) {
        // The signal came after the output was committed, while the process was exiting: it must be whole.
        expect(result.signal, label).toBe(round.signal);
        expectComplete(round.out, label);
        outcomes.completed++;
      } else if (result.signal !== null) {
        expect(result.signal, label).toBe(round.signal);
        expect(result.stdout + result.stderr, label).toBe('');
        outcomes.killedAtStartup++;
      } else if (result.code === 130) {
        expect(result.stderr, label).toContain('error[INTERRUPTED]');
        expect(existsSync(round.out), `${label}\nan interrupted compose left --out`).toBe(false);
        outcomes.interrupted++;
      } else {
        expect(result.code, label).toBe(0);
        expectComplete(round.out, label);
        outcomes.completed++;
      }
    });
    // Without interrupted rounds the test would prove nothing about clean-up.
    expect(outcomes.interrupted, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(ROUNDS / 2);
  }, 170_000);
});

/** A committed output: its manifest lists files, and every one of them is there. */
function expectComplete(out: string, label: string): void {
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
  expect(manifest.files.length, label).toBeGreaterThan(0);
  for (const file of manifest.files) expect(existsSync(path.join(out, file.path)), label).toBe(true);
}
