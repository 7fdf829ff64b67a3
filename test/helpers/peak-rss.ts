/**
 * Run a child process and measure its peak resident memory from /proc/PID/status (VmHWM, the
 * kernel's high-water mark, with VmRSS as a floor), sampled until it exits. An address-space limit
 * (ulimit -v) would stop V8 reserving its WebAssembly memory before mixsmith starts, so memory is
 * measured, not capped. Linux only: elsewhere `peakRssBytes` is undefined.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface MeasuredRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The largest VmHWM/VmRSS seen, in bytes; undefined when /proc is not there. */
  readonly peakRssBytes: number | undefined;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `node --import tsx SCRIPT ARGS…` (the CLI by default) and samples its memory every 10 ms. */
export function runMeasured(
  args: readonly string[],
  options: { script?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<MeasuredRun> {
  const script = options.script ?? path.join(repoRoot, 'src/cli/bin.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: options.cwd ?? repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  let peakKiB: number | undefined;
  const sample = () => {
    if (child.pid === undefined) return;
    for (const field of ['VmHWM', 'VmRSS'] as const) {
      const kib = statusKiB(child.pid, field);
      if (kib !== undefined) peakKiB = Math.max(peakKiB ?? 0, kib);
    }
  };
  const timer = setInterval(sample, 10);
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    // 'exit' comes before the streams close; /proc still holds the zombie's status until it is reaped.
    child.on('exit', () => sample());
    child.on('close', (code, signal) => {
      clearInterval(timer);
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, peakRssBytes: peakKiB === undefined ? undefined : peakKiB * 1024 });
    });
  });
}
