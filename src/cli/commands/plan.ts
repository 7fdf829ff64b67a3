import { planReport } from '../../compose/plan-report.js';
import { workerCountOption } from '../../records/facts/scan-workers.js';
import { loadRecipe } from '../../recipe/load.js';
import { type Command, isHuman, printJson, overridesOf, recipeOptions } from '../command.js';
import { planSummary } from '../summaries.js';

export const planCommand: Command = {
  usage: 'plan <recipe>',
  describe: 'quotas per group and source, availability and shortfalls; writes nothing',
  builder: (y) => recipeOptions(y).option('workers', { type: 'number', describe: 'worker threads for parsing and hashing (0: none; default: one per core, at most 4)' }),
  async run(args, io) {
    const workers = workerCountOption(args.workers);
    const loaded = await loadRecipe(String(args.recipe), { set: overridesOf(args) });
    const report = await planReport(loaded, { signal: io.signal, workers });
    if (args.json) printJson(io, { ok: true, plan: report });
    else if (isHuman(args)) io.stderr.write(`${planSummary(report)}\n`);
    return 0;
  },
};
