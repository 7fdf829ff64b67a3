import { type FileInspection, inspectFile } from '../../inspect/inspect-file.js';
import { inspectSources } from '../../inspect/inspect-sources.js';
import { MixsmithError } from '../../errors.js';
import { renderInspection } from '../../inspect/render-inspection.js';
import { parseSchemaOption } from '../../inspect/schema-option.js';
import { ENCODINGS } from '../../records/read/text-encoding.js';
import type { InputFormat } from '../../recipe/types.js';
import { type CliIO, type Command, isHuman, printJson } from '../command.js';
import { STDIN_ARG, stdinFile } from '../stdin.js';

const FORMATS: readonly InputFormat[] = ['auto', 'jsonl', 'json', 'parquet', 'csv', 'tsv'];

export const inspectCommand: Command = {
  usage: 'inspect <sources..>',
  stdin: ['sources'],
  describe: 'detected format, encoding and schema, record count, invalid rows, duplicates, lengths and examples of input files',
  builder: (y) =>
    y
      .positional('sources', { type: 'string', array: true, describe: 'files, folders or globs; - reads standard input', demandOption: true })
      .option('format', { type: 'string', choices: FORMATS, default: 'auto', describe: 'read as this format instead of detecting it' })
      .option('encoding', { type: 'string', choices: ['auto', ...ENCODINGS], default: 'auto', describe: 'text encoding of JSONL/CSV/TSV (auto: utf-8 or gb18030 by content)' })
      .option('schema', { type: 'string', default: 'auto', describe: 'a preset, auto, or a field mapping as JSON' })
      .option('examples', { type: 'number', default: 3, describe: 'how many records to show after mapping' }),
  async run(args, io) {
    const schema = parseSchemaOption(String(args.schema));
    const sources = args.sources as string[];
    if (sources.filter((s) => s === STDIN_ARG).length > 1) throw new MixsmithError('USAGE', 'inspect reads standard input once: name - only once', { hint: 'save each stream to a file' });
    const options = {
      format: args.format as InputFormat,
      encoding: String(args.encoding),
      schema,
      signal: io.signal,
      maxExamples: Math.max(0, Math.floor(Number(args.examples))),
    };
    const inspections: FileInspection[] = [];
    for (const source of sources) {
      if (source === STDIN_ARG) inspections.push(await inspectStdin(io, options));
      else inspections.push(...(await inspectSources([source], process.cwd(), options)));
    }
    if (args.json) printJson(io, { ok: true, files: inspections });
    else if (isHuman(args)) io.stderr.write(`${inspections.map(renderInspection).join('\n\n')}\n`);
    return 0;
  },
};

/** Standard input, copied to a temporary file (detection, sniffing and examples read it more than once), shown as `-`. */
async function inspectStdin(io: CliIO, options: Parameters<typeof inspectFile>[1]): Promise<FileInspection> {
  const file = await stdinFile(io);
  try {
    return await inspectFile({ absolutePath: file.path, displayPath: '-' }, options);
  } finally {
    await file.dispose();
  }
}
