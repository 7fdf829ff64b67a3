/**
 * One CLI command: its yargs options and a `run` that returns an exit status. Commands live in
 * `cli/commands/`, one file each, and are listed in `cli/commands/index.ts`.
 */
import type { Argv } from 'yargs';
import { loadRecipe, parseRecipe } from '../recipe/load.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { isStdin, readStdin } from './stdin.js';

export interface CliIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly signal?: AbortSignal;
  /** The process's peak resident memory in bytes, for the run summary; bin.ts passes the real one. */
  readonly peakRss?: () => number;
  /** Standard input, read by commands given `-` (cli/stdin.ts). */
  readonly stdin?: AsyncIterable<Buffer | string>;
}

/** Options every command accepts. */
export interface GlobalArgs {
  readonly json: boolean;
  readonly quiet: boolean;
}

export interface Command {
  /** yargs command string, e.g. `compose <recipe>`. */
  readonly usage: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv;
  /** The arguments that take `-` (standard input, or output for init); `-` anywhere else is a USAGE error. */
  readonly stdin?: readonly string[];
  readonly run: (args: GlobalArgs & Record<string, unknown>, io: CliIO) => Promise<number>;
}

/** Human output goes to stderr unless --json or --quiet. */
export function isHuman(args: GlobalArgs): boolean {
  return !args.json && !args.quiet;
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The positional recipe plus repeatable --set, shared by recipe commands. */
export function recipeOptions(y: Argv): Argv {
  return y
    .positional('recipe', { type: 'string', describe: 'recipe file (YAML or JSON)', demandOption: true })
    .option('set', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'override a recipe value: path.to.key=value (repeatable)',
    })
    .option('sweep', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'sweep a value: volume=10k,20k or shares.GROUP=0,0.5,1 (repeatable)',
    });
}

/**
 * `--set` and `--sweep` as recipe overrides: `--sweep volume=10k,20k` is `--set sweep.volume=[10k,20k]`.
 * Sweeps are recipe values, so a recipe and the command line can describe the same grid.
 */
export function overridesOf(args: Record<string, unknown>): string[] {
  const set = [...((args.set as string[] | undefined) ?? [])];
  for (const sweep of (args.sweep as string[] | undefined) ?? []) {
    const eq = sweep.indexOf('=');
    set.push(eq > 0 ? `sweep.${sweep.slice(0, eq).trim()}=[${sweep.slice(eq + 1)}]` : `sweep.${sweep}`);
  }
  if (typeof args.seed === 'number') set.push(`seed=${args.seed}`);
  return set;
}

/** The recipe the command names: a file, or `-` for standard input (relative paths then resolve against the working directory). */
export async function loadRecipeArg(args: Record<string, unknown>, io: CliIO): Promise<LoadedRecipe> {
  const options = { set: overridesOf(args) };
  if (isStdin(args.recipe))
    return parseRecipe((await readStdin(io)).toString('utf8'), '<stdin>', process.cwd(), options);
  return loadRecipe(String(args.recipe), options);
}
