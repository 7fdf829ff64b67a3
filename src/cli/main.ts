/**
 * The command line as a function: `main(argv, io)` parses, runs one command and returns the exit
 * status. This is the one place that prints errors; `bin.ts` only wires in the real process.
 */
import yargs from 'yargs';
import { ERROR_CODES, isMixsmithError, MixsmithError } from '../errors.js';
import type { CliIO, GlobalArgs } from './command.js';
import { COMMANDS } from './commands/index.js';
import { errorAsJson, formatError, wantsJsonOutput } from './format-error.js';
import { toolVersion } from '../package-info.js';
import { markStdin, misplacedStdin, stdinRefused } from './stdin.js';

export type { CliIO } from './command.js';

type ParseOutcome =
  | { kind: 'args'; args: Record<string, unknown> }
  | { kind: 'printed'; text: string }
  | { kind: 'error'; message: string };

async function parseArgs(argv: readonly string[]): Promise<ParseOutcome> {
  let failure: string | undefined;
  let printed = '';
  let parser = yargs([...argv])
    .scriptName('mixsmith')
    .usage('$0 <command> [options]\n\nTurn a recipe into a reproducible, audited fine-tuning data mixture.')
    .option('json', { type: 'boolean', default: false, describe: 'print machine-readable results on stdout' })
    .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' });
  for (const command of COMMANDS) parser = parser.command(command.usage, command.describe, command.builder);
  parser = parser
    .demandCommand(1, `name a command: ${COMMANDS.map((c) => c.usage.split(' ')[0]).join(', ')}`)
    .strict()
    .exitProcess(false)
    .version(toolVersion())
    .help()
    .wrap(100)
    .fail((message, error) => {
      failure = message ?? error?.message ?? 'invalid arguments';
    });
  const args = (await parser.parseAsync([...argv], {}, (_error, _argv, output) => {
    printed = output;
  })) as Record<string, unknown>;
  if (failure !== undefined) return { kind: 'error', message: failure };
  if (printed) return { kind: 'printed', text: printed };
  return { kind: 'args', args };
}

/** A bug (any error that is not a MixsmithError) as an INTERNAL error, for the --json envelope. */
export function internalError(error: unknown): MixsmithError {
  const message = error instanceof Error ? error.message : String(error);
  return new MixsmithError('INTERNAL', message, {
    cause: error,
    hint: 'this is a bug in mixsmith: please report it with the stack trace printed on stderr',
  });
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const wantsJson = wantsJsonOutput(argv);
  const report = (error: MixsmithError) => {
    io.stderr.write(`${formatError(error)}\n`);
    if (wantsJson) io.stdout.write(`${JSON.stringify(errorAsJson(error), null, 2)}\n`);
    return error.exitCode;
  };
  // With --json, stdout carries a JSON error on every failing path, bugs included.
  const reportBug = (error: unknown) => {
    io.stderr.write(
      `error[INTERNAL]: this is a bug in mixsmith; please report it with the text below\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
    if (wantsJson) io.stdout.write(`${JSON.stringify(errorAsJson(internalError(error)), null, 2)}\n`);
    return ERROR_CODES.INTERNAL.exit;
  };
  try {
    const parsed = await parseArgs(markStdin(argv));
    if (parsed.kind === 'printed') {
      io.stdout.write(`${parsed.text}\n`);
      return 0;
    }
    if (parsed.kind === 'error') {
      return report(
        new MixsmithError('USAGE', parsed.message, { hint: 'run mixsmith --help for the commands and options' }),
      );
    }
    // Ctrl-C before the command started (while modules loaded or arguments parsed): run nothing.
    if (io.signal?.aborted)
      return report(
        new MixsmithError('INTERRUPTED', 'interrupted before the command started', {
          hint: 'nothing was read or written',
        }),
      );
    const name = String((parsed.args._ as unknown[])[0]);
    const command = COMMANDS.find((c) => c.usage.split(' ')[0] === name)!;
    const misplaced = misplacedStdin(parsed.args, command.stdin ?? []);
    if (misplaced !== undefined)
      return report(stdinRefused(name, misplaced, new RegExp(`[<\\[]${misplaced}(\\.\\.)?[>\\]]`).test(command.usage)));
    return await command.run(parsed.args as GlobalArgs & Record<string, unknown>, io);
  } catch (error) {
    if (isMixsmithError(error)) return report(error);
    return reportBug(error);
  }
}
