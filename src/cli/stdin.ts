/**
 * `-` on the command line: standard input where a stream makes sense (a recipe to validate, plan
 * or compose; records to inspect), standard output for `init`, and a USAGE error everywhere else
 * (output folders, `--out`, eval sets…), which mixsmith reads or writes by path, more than once
 * or by offset.
 *
 * yargs drops a bare `-` from positionals (an empty string, or nothing in a list), so `main`
 * swaps it for a marker no path can equal before parsing; each command lists the arguments that
 * take it (`Command.stdin`) and `main` refuses it in any other.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import type { CliIO } from './command.js';

/** What a bare `-` argument becomes: a NUL cannot be part of a path. */
export const STDIN_ARG = '\u0000-';

/** argv with every bare `-` before a `--` marked. */
export function markStdin(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((arg, i) => (arg === '-' && (end === -1 || i < end) ? STDIN_ARG : arg));
}

export const isStdin = (value: unknown): boolean =>
  value === STDIN_ARG || (Array.isArray(value) && value.includes(STDIN_ARG));

/** The first argument that holds `-` but does not take it, as the command line spells it; undefined when none. */
export function misplacedStdin(
  args: Readonly<Record<string, unknown>>,
  accepted: readonly string[],
): string | undefined {
  for (const [key, value] of Object.entries(args)) {
    // yargs also files every dashed option under its camelCase name: look at one of the two.
    if (key === '_' || key === '$0' || /[A-Z]/.test(key)) continue;
    if (isStdin(value) && !accepted.includes(key)) return key;
  }
  return undefined;
}

export function stdinRefused(command: string, key: string, positional: boolean): MixsmithError {
  const what = positional ? `the ${key} argument of ${command}` : `--${key}`;
  return new MixsmithError(
    'USAGE',
    `${what} does not take - (standard input or output): mixsmith reads and writes it by path`,
    {
      hint: 'save the stream to a file and name the file; - reads a recipe (validate, plan, compose) or records (inspect) from standard input, and init - writes to standard output',
    },
  );
}

/** Everything on standard input. */
export async function readStdin(io: CliIO): Promise<Buffer> {
  if (!io.stdin)
    throw new MixsmithError('USAGE', 'standard input is not available here', { hint: 'name a file instead of -' });
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Standard input copied to a temporary file (readers detect, sniff and re-read by offset), removed by `dispose`. */
export async function stdinFile(io: CliIO): Promise<{ readonly path: string; readonly dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mixsmith-stdin-'));
  const file = path.join(dir, 'stdin');
  await writeFile(file, await readStdin(io));
  return { path: file, dispose: () => rm(dir, { recursive: true, force: true }) };
}
