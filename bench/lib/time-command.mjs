/**
 * Runs one command under GNU time (`/usr/bin/time -v`): wall clock, user and system CPU and peak
 * RSS as the kernel accounts them, for the command and all its children (a shell pipeline, a
 * DuckDB thread pool). stdout and stderr go to a log file beside the timing file.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export function gnuTimeAvailable() {
  return existsSync(GNU_TIME);
}

function field(text, label) {
  const line = text.split('\n').find((l) => l.trim().startsWith(label));
  return line ? line.slice(line.lastIndexOf(': ') + 2).trim() : '';
}

/** "1:02:03.45" or "2:03.45" → seconds. */
function clockSeconds(text) {
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

export function parseGnuTime(text) {
  return {
    wallSeconds: clockSeconds(field(text, 'Elapsed (wall clock) time')),
    userSeconds: Number(field(text, 'User time (seconds)')),
    systemSeconds: Number(field(text, 'System time (seconds)')),
    maxRssKb: Number(field(text, 'Maximum resident set size (kbytes)')),
  };
}

/**
 * Times `argv` (no shell unless argv asks for one). Returns the figures plus the exit status,
 * the 1-minute load average before the run and the log path.
 */
export function timeCommand({ argv, dir, cwd, env, timeoutSeconds }) {
  const timeFile = path.join(dir, 'time.txt');
  const logFile = path.join(dir, 'log.txt');
  const log = openSync(logFile, 'w');
  const load1 = loadavg()[0];
  const result = spawnSync(GNU_TIME, ['-v', '-o', timeFile, ...argv], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
    timeout: timeoutSeconds * 1000,
    killSignal: 'SIGKILL',
  });
  closeSync(log);
  const timedOut = result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGKILL';
  const figures = existsSync(timeFile)
    ? parseGnuTime(readFileSync(timeFile, 'utf8'))
    : { wallSeconds: Number.NaN, userSeconds: Number.NaN, systemSeconds: Number.NaN, maxRssKb: Number.NaN };
  return {
    ...figures,
    cpuSeconds: figures.userSeconds + figures.systemSeconds,
    exit: timedOut ? 'timeout' : (result.status ?? result.signal ?? 'error'),
    load1,
    logFile,
  };
}

/** The last non-empty lines of a log, for error messages. */
export function logTail(logFile, lines = 3) {
  if (!existsSync(logFile)) return '';
  return readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join(' | ');
}
