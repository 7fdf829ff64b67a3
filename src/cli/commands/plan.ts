import { planReport } from '../../compose/plan-report.js';
import { workerCountOption } from '../../records/facts/scan-workers.js';
import { type Command, isHuman, loadRecipeArg, printJson, recipeOptions } from '../command.js';
import { planSummary } from '../summaries.js';

export const planCommand: Command = {
  usage: 'plan <recipe>',
  describe: 'quotas per group and source, availability and shortfalls; writes nothing',
  stdin: ['recipe'],
  builder: (y) => recipeOptions(y).option('workers', { type: 'number', describe: 'worker threads for parsing and hashing (0: none; default: one per core, at most 4)' }),
  async run(args, io) {
    const workers = workerCountOption(args.workers);
    const loaded = await loadRecipeArg(args, io);
    const report = await planReport(loaded, { signal: io.signal, workers });
    if (args.json) printJson(io, { ok: true, plan: report });
    else if (isHuman(args)) io.stderr.write(`${planSummary(report)}\n`);
    return 0;
  },
};
