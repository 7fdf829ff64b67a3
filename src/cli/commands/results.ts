import path from 'node:path';
import { MixsmithError } from '../../errors.js';
import { refuseGuardedTarget } from '../../io/output-guard.js';
import { writeReportFile } from '../../io/report-file.js';
import { type ResultsAxis, joinResults } from '../../results/join.js';
import { readResults } from '../../results/read-results.js';
import { resultsHtml } from '../../report/results-html.js';
import { resultsText } from '../../report/results-text.js';
import { type Command, isHuman, printJson } from '../command.js';

export const resultsCommand: Command = {
  usage: 'results <sweep> <results..>',
  describe:
    "join evaluation results (lm-evaluation-harness, OpenCompass, point/task/metric/value CSV or JSONL) to a sweep's points and draw metric against the domain data each point really holds",
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', describe: 'the sweep folder (with sweep.json)', demandOption: true })
      .positional('results', {
        type: 'string',
        array: true,
        describe: 'results files, or folders of lm-evaluation-harness results*.json',
        demandOption: true,
      })
      .option('map', {
        type: 'string',
        describe: 'which run is which point: JSON {"<point>": "<results path or model name>"} or CSV point,run',
      })
      .option('match', {
        type: 'string',
        describe:
          'a regular expression whose (?<point>…) group (or first group) takes the point out of the model name, else the path',
      })
      .option('metric', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe:
          'the metric to draw: METRIC for every task or TASK=METRIC (repeatable); needed when a task reports several',
      })
      .option('task', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'draw only these tasks (repeatable; default: every task in the results)',
      })
      .option('group', {
        type: 'string',
        describe: 'the domain group (default: the one group whose share the sweep varies)',
      })
      .option('axis', {
        type: 'string',
        choices: ['log', 'linear'] as const,
        default: 'log',
        describe: 'the x axis (domain training rows)',
      })
      .option('tolerance', {
        type: 'number',
        describe: "saturation read-out: how far below the best still counts (default: the best point's stderr)",
      })
      .option('html', {
        type: 'string',
        describe: 'write the figure as a self-contained HTML page to this file (must not exist unless --force)',
      })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing --html file' }),
  async run(args, io) {
    const cwd = process.cwd();
    const sweep = String(args.sweep);
    const inputs = (args.results as string[]).map(String);
    if (inputs.length === 0)
      throw new MixsmithError('USAGE', 'name at least one results file or folder after the sweep', {
        hint: 'mixsmith results SWEEP_DIR RESULTS… (lm-evaluation-harness results*.json or its folder, an OpenCompass summary CSV, or point,task,metric,value CSV/JSONL)',
      });
    const html = typeof args.html === 'string' ? args.html : undefined;
    if (html !== undefined) {
      const guarded = [
        { path: path.resolve(cwd, sweep), role: 'the sweep' },
        ...inputs.map((p) => ({ path: path.resolve(cwd, p), role: 'a results input' })),
        ...(typeof args.map === 'string' ? [{ path: path.resolve(cwd, args.map), role: 'the --map file' }] : []),
      ];
      await refuseGuardedTarget(html, guarded, '--html');
    }
    const runs = await readResults(inputs);
    const report = await joinResults(sweep, runs, {
      cwd,
      map: typeof args.map === 'string' ? args.map : undefined,
      match: typeof args.match === 'string' ? args.match : undefined,
      metric: args.metric as string[],
      task: args.task as string[],
      group: typeof args.group === 'string' ? args.group : undefined,
      axis: args.axis as ResultsAxis,
      tolerance: typeof args.tolerance === 'number' ? args.tolerance : undefined,
    });
    if (html !== undefined) await writeReportFile(html, resultsHtml(report), { force: args.force === true });
    if (args.json) printJson(io, { ok: true, warnings: report.warnings, results: report });
    else if (isHuman(args)) io.stderr.write(`${resultsText(report)}\n`);
    else if (report.warnings.length > 0) io.stderr.write(`${report.warnings.map((w) => `WARNING: ${w}`).join('\n')}\n`);
    return 0;
  },
};
