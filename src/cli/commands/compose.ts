import { compose } from '../../compose/compose.js';
import { workerCountOption } from '../../records/facts/scan-workers.js';
import { type Command, isHuman, loadRecipeArg, printJson, recipeOptions } from '../command.js';
import { progressMode, progressReporter } from '../progress.js';
import { composeSummary, decontaminationLines, sweepSummary } from '../summaries.js';

export const composeCommand: Command = {
  usage: 'compose <recipe>',
  describe: 'compose the mixture into --out',
  stdin: ['recipe'],
  builder: (y) =>
    recipeOptions(y)
      .option('out', { type: 'string', demandOption: true, describe: 'output folder (must not exist unless --force)' })
      .option('seed', { type: 'number', describe: 'override the recipe seed' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing output folder' })
      .option('progress', {
        type: 'boolean',
        default: false,
        describe: 'progress lines on stderr even when it is not a terminal',
      })
      .option('workers', {
        type: 'number',
        describe:
          'worker threads for parsing, hashing and rendering (0: none; default: one per core, at most 4); the output is the same for any count',
      }),
  async run(args, io) {
    const workers = workerCountOption(args.workers);
    const loaded = await loadRecipeArg(args, io);
    const mode = progressMode(io.stderr, {
      quiet: args.quiet === true,
      json: args.json === true,
      progress: args.progress === true,
    });
    const result = await compose(loaded, {
      out: String(args.out),
      force: args.force === true,
      signal: io.signal,
      onEvent: progressReporter(io.stderr, mode),
      workers,
      ...(io.peakRss ? { peakRss: io.peakRss } : {}),
    });
    // Decontamination runs once for all sweep points: every point's manifest holds the same report.
    const decontamination = result.manifest.evidence.decontamination;
    if (args.json)
      printJson(
        io,
        result.sweep
          ? { ok: true, out: result.out, warnings: result.sweep.warnings, sweep: result.sweep, decontamination }
          : { ok: true, out: result.out, manifest: result.manifest },
      );
    else if (isHuman(args)) {
      const summary = result.sweep
        ? [
            sweepSummary(String(args.out), result.sweep, result.manifest.run),
            ...decontaminationLines(decontamination),
          ].join('\n')
        : composeSummary(String(args.out), result.manifest);
      io.stderr.write(`${summary}\n`);
    }
    return 0;
  },
};
