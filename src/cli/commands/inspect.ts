import { inspectSources } from '../../inspect/inspect-sources.js';
import { renderInspection } from '../../inspect/render-inspection.js';
import { parseSchemaOption } from '../../inspect/schema-option.js';
import { ENCODINGS } from '../../records/read/text-encoding.js';
import { INPUT_FORMATS, type InputFormat } from '../../recipe/names.js';
import { type Command, isHuman, printJson } from '../command.js';

const FORMATS = ['auto', ...INPUT_FORMATS] as const;

export const inspectCommand: Command = {
  usage: 'inspect <sources..>',
  describe: 'detected format, encoding and schema, record count, invalid rows, duplicates, lengths and examples of input files',
  builder: (y) =>
    y
      .positional('sources', { type: 'string', array: true, describe: 'files, folders or globs', demandOption: true })
      .option('format', { type: 'string', choices: FORMATS, default: 'auto', describe: 'read as this format instead of detecting it' })
      .option('encoding', { type: 'string', choices: ['auto', ...ENCODINGS], default: 'auto', describe: 'text encoding of JSONL/CSV/TSV (auto: utf-8 or gb18030 by content)' })
      .option('schema', { type: 'string', default: 'auto', describe: 'a preset, auto, or a field mapping as JSON' })
      .option('examples', { type: 'number', default: 3, describe: 'how many records to show after mapping' }),
  async run(args, io) {
    const schema = parseSchemaOption(String(args.schema));
    const inspections = await inspectSources(args.sources as string[], process.cwd(), {
      format: args.format as InputFormat,
      encoding: String(args.encoding),
      schema,
      signal: io.signal,
      maxExamples: Math.max(0, Math.floor(Number(args.examples))),
    });
    if (args.json) printJson(io, { ok: true, files: inspections });
    else if (isHuman(args)) io.stderr.write(`${inspections.map(renderInspection).join('\n\n')}\n`);
    return 0;
  },
};
