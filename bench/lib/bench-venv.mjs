/**
 * The bench's own Python environment for the `datasets` peers (bench/peers/datasets_w*.py):
 * SCRATCH/venv, built or checked by scripts/python-env.sh --bench from bench/python/requirements.lock.txt
 * (local wheels only; a no-op when its stamp matches the lock). When it cannot be built (no
 * CPython 3.11, no local wheel index, pip failing) the peers are skipped with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Returns { python, missing, seconds }: the interpreter to run, or why there is none. */
export function ensureBenchVenv({ repoDir, scratchDir, log }) {
  const venv = path.join(scratchDir, 'venv');
  const started = Date.now();
  log(`[bench] Python peers: checking ${venv} (scripts/python-env.sh --bench)`);
  const result = spawnSync('bash', [path.join(repoDir, 'scripts', 'python-env.sh'), '--bench'], {
    cwd: repoDir,
    encoding: 'utf8',
    env: { ...process.env, MIXSMITH_BENCH_VENV: venv },
    timeout: 900_000,
  });
  const seconds = (Date.now() - started) / 1000;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n');
  for (const line of output) log(`[bench]   ${line}`);
  const python = path.join(venv, 'bin', 'python');
  if (result.status !== 0 || !existsSync(python)) {
    const reason = output.filter((l) => /error/i.test(l)).pop() ?? result.error?.message ?? `exit ${result.status}`;
    return {
      python: null,
      missing: `no bench Python environment (${reason.replace(/^python-env: /, '')})`,
      seconds,
    };
  }
  return { python, missing: null, seconds };
}
