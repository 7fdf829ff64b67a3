import { planReport } from '../../compose/plan-report.js';
import { planMixture } from '../../plan/plan.js';
import { workerCountOption } from '../../records/facts/scan-workers.js';
import { type Command, isHuman, loadRecipeArg, printJson, recipeOptions } from '../command.js';
import { availabilitySummary, planSummary } from '../summaries.js';

export const planCommand: Command = {
  usage: 'plan <recipe>',
  describe:
    'the quotas of every point as plain data, without reading the inputs; --availability checks them against the inputs; writes nothing',
  stdin: ['recipe'],
  builder: (y) =>
    recipeOptions(y)
      .option('availability', {
        type: 'boolean',
        default: false,
        describe: 'read every input once (the scan compose runs) and set each quota against what is available',
      })
      .option('workers', {
        type: 'number',
        describe:
          'worker threads for parsing and hashing with --availability (0: none; default: one per core, at most 4)',
      }),
  async run(args, io) {
    const workers = workerCountOption(args.workers);
    const loaded = await loadRecipeArg(args, io);
    const plan = planMixture(loaded.recipe);
    const availability =
      args.availability === true ? await planReport(loaded, { signal: io.signal, workers }) : undefined;
    if (args.json) printJson(io, { ok: true, plan, ...(availability ? { availability } : {}) });
    else if (isHuman(args))
      io.stderr.write(
        `${availability ? availabilitySummary(availability) : planSummary(loaded.recipe.name, loaded.recipe.seed, plan)}\n`,
      );
    return 0;
  },
};
