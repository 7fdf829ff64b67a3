/**
 * The command line as a function: `main(argv, io)` parses, runs one command and returns the exit
 * status. All printing happens here; `bin.ts` only wires in the real process.
 */
import yargs, { type Argv } from 'yargs';
import { compose } from '../compose/compose.js';
import type { ComposeEvent } from '../compose/events.js';
import { planReport } from '../compose/plan-report.js';
import { isMixsmithError, MixsmithError } from '../errors.js';
import { loadRecipe } from '../recipe/load.js';
import { errorAsJson, formatError } from './format-error.js';
import { composeSummary, planSummary } from './summaries.js';

export interface CliIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly signal?: AbortSignal;
}

interface CommonArgs {
  recipe: string;
  set: string[];
  json: boolean;
  quiet: boolean;
}

function withRecipe<T>(y: Argv<T>) {
  return y
    .positional('recipe', { type: 'string', describe: 'recipe file (YAML or JSON)', demandOption: true })
    .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a recipe value: path.to.key=value (repeatable)' });
}

function buildParser(argv: readonly string[]) {
  return yargs([...argv])
    .scriptName('mixsmith')
    .usage('$0 <command> [options]\n\nTurn a recipe into a reproducible, audited fine-tuning data mixture.')
    .option('json', { type: 'boolean', default: false, describe: 'print machine-readable results on stdout' })
    .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
    .command('compose <recipe>', 'compose the mixture into --out', (y) =>
      withRecipe(y)
        .option('out', { type: 'string', demandOption: true, describe: 'output folder (must not exist unless --force)' })
        .option('seed', { type: 'number', describe: 'override the recipe seed' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing output folder' })
        .option('progress', { type: 'boolean', default: false, describe: 'progress lines on stderr even when it is not a terminal' }),
    )
    .command('plan <recipe>', 'quotas, availability and shortfalls; writes nothing', withRecipe)
    .command('validate <recipe>', 'check a recipe and report every problem at file:line:col', withRecipe)
    .demandCommand(1, 'name a command: compose, plan or validate')
    .strict()
    .exitProcess(false)
    .version(false)
    .help()
    .wrap(100);
}

type ParseOutcome = { kind: 'args'; args: Record<string, unknown> } | { kind: 'printed'; text: string } | { kind: 'error'; message: string };

async function parseArgs(argv: readonly string[]): Promise<ParseOutcome> {
  let failure: string | undefined;
  let printed = '';
  const parser = buildParser(argv).fail((message, error) => {
    failure = message ?? error?.message ?? 'invalid arguments';
  });
  const args = (await parser.parseAsync([...argv], {}, (_error, _argv, output) => {
    printed = output;
  })) as Record<string, unknown>;
  if (failure !== undefined) return { kind: 'error', message: failure };
  if (printed) return { kind: 'printed', text: printed };
  return { kind: 'args', args };
}

function progressPrinter(io: CliIO, enabled: boolean): ((event: ComposeEvent) => void) | undefined {
  if (!enabled) return undefined;
  let lastPrint = 0;
  return (event) => {
    if (event.type === 'phase') io.stderr.write(`${event.phase}…\n`);
    if (event.type === 'scan-progress') {
      const now = Date.now();
      if (now - lastPrint < 2000) return;
      lastPrint = now;
      io.stderr.write(`  scan ${event.source}: ${event.file} ${event.records} records, ${(event.bytes / 1e6).toFixed(1)} MB\n`);
    }
  };
}

async function run(command: string, args: CommonArgs & Record<string, unknown>, io: CliIO): Promise<number> {
  const set = [...args.set];
  if (typeof args.seed === 'number') set.push(`seed=${args.seed}`);
  const loaded = await loadRecipe(args.recipe, { set });
  const human = !args.json && !args.quiet;
  if (command === 'validate') {
    if (args.json) io.stdout.write(`${JSON.stringify({ ok: true, recipe: loaded.recipe }, null, 2)}\n`);
    else if (human) io.stderr.write(`${args.recipe}: ok — recipe "${loaded.recipe.name}" is valid\n`);
    return 0;
  }
  if (command === 'plan') {
    const report = await planReport(loaded, { signal: io.signal });
    if (args.json) io.stdout.write(`${JSON.stringify({ ok: true, plan: report }, null, 2)}\n`);
    else if (human) io.stderr.write(`${planSummary(report)}\n`);
    return 0;
  }
  const showProgress = human && (io.stderr.isTTY === true || args.progress === true);
  const result = await compose(loaded, {
    out: String(args.out),
    force: args.force === true,
    signal: io.signal,
    onEvent: progressPrinter(io, showProgress),
  });
  if (args.json) io.stdout.write(`${JSON.stringify({ ok: true, out: result.out, manifest: result.manifest }, null, 2)}\n`);
  else if (human) io.stderr.write(`${composeSummary(String(args.out), result.manifest)}\n`);
  return 0;
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const wantsJson = argv.includes('--json');
  const report = (error: MixsmithError) => {
    io.stderr.write(`${formatError(error)}\n`);
    if (wantsJson) io.stdout.write(`${JSON.stringify(errorAsJson(error), null, 2)}\n`);
    return error.exitCode;
  };
  const parsed = await parseArgs(argv);
  if (parsed.kind === 'printed') {
    io.stdout.write(`${parsed.text}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    return report(new MixsmithError('USAGE', parsed.message, { hint: 'run mixsmith --help for the commands and options' }));
  }
  const command = String((parsed.args._ as unknown[])[0]);
  try {
    return await run(command, parsed.args as unknown as CommonArgs & Record<string, unknown>, io);
  } catch (error) {
    if (isMixsmithError(error)) return report(error);
    io.stderr.write(`error[INTERNAL]: this is a bug in mixsmith; please report it with the text below\n${error instanceof Error ? error.stack : String(error)}\n`);
    return 1;
  }
}
