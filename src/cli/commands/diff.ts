import type { AuditSchema } from '../../audit/record-body.js';
import { PRESET_NAMES } from '../../recipe/names.js';
import { diffMixtures } from '../../diff/diff.js';
import { diffText } from '../../report/diff-text.js';
import { type Command, isHuman, printJson } from '../command.js';

export const diffCommand: Command = {
  usage: 'diff <a> <b>',
  describe:
    'compare two mixtures or sweep points: counts per group and source, contents added and removed, Jaccard, recipe changes',
  builder: (y) =>
    y
      .positional('a', { type: 'string', describe: 'an output folder, sweep point or data file', demandOption: true })
      .positional('b', { type: 'string', describe: 'the one to compare it with', demandOption: true })
      .option('by', {
        type: 'string',
        describe: 'group records by this field (or @file, @dir) instead of their provenance',
      })
      .option('schema', {
        type: 'string',
        choices: ['auto', ...PRESET_NAMES],
        default: 'auto',
        describe: 'how to read records',
      })
      .option('examples', { type: 'number', default: 5, describe: 'examples of added and removed records' }),
  async run(args, io) {
    const report = await diffMixtures(String(args.a), String(args.b), {
      cwd: process.cwd(),
      by: typeof args.by === 'string' ? args.by : undefined,
      schema: args.schema as AuditSchema,
      examples: Number(args.examples),
      signal: io.signal,
    });
    if (args.json) printJson(io, { ok: true, diff: report });
    else if (isHuman(args)) io.stderr.write(`${diffText(report)}\n`);
    return 0;
  },
};
