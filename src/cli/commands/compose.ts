import { compose } from '../../compose/compose.js';
import type { ComposeEvent } from '../../compose/events.js';
import { workerCountOption } from '../../compose/scan-workers.js';
import { loadRecipe } from '../../recipe/load.js';
import { type CliIO, type Command, isHuman, printJson, overridesOf, recipeOptions } from '../command.js';
import { composeSummary, sweepSummary } from '../summaries.js';

function progressPrinter(io: CliIO): (event: ComposeEvent) => void {
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

export const composeCommand: Command = {
  usage: 'compose <recipe>',
  describe: 'compose the mixture into --out',
  builder: (y) =>
    recipeOptions(y)
      .option('out', { type: 'string', demandOption: true, describe: 'output folder (must not exist unless --force)' })
      .option('seed', { type: 'number', describe: 'override the recipe seed' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing output folder' })
      .option('progress', { type: 'boolean', default: false, describe: 'progress lines on stderr even when it is not a terminal' })
      .option('workers', { type: 'number', describe: 'worker threads for parsing and hashing (0: none; default: one per core, at most 4); the output is the same for any count' }),
  async run(args, io) {
    const workers = workerCountOption(args.workers);
    const loaded = await loadRecipe(String(args.recipe), { set: overridesOf(args) });
    const showProgress = isHuman(args) && (io.stderr.isTTY === true || args.progress === true);
    const result = await compose(loaded, {
      out: String(args.out),
      force: args.force === true,
      signal: io.signal,
      onEvent: showProgress ? progressPrinter(io) : undefined,
      workers,
    });
    if (args.json) printJson(io, result.sweep ? { ok: true, out: result.out, sweep: result.sweep } : { ok: true, out: result.out, manifest: result.manifest });
    else if (isHuman(args)) io.stderr.write(`${result.sweep ? sweepSummary(String(args.out), result.sweep) : composeSummary(String(args.out), result.manifest)}\n`);
    return 0;
  },
};
