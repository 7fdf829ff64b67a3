import { MixsmithError } from '../../errors.js';
import { type FileInspection, inspectFile } from '../../inspect/inspect-file.js';
import { type InspectOutcome, inspectEachSource, isFailure } from '../../inspect/inspect-sources.js';
import { renderInspection } from '../../inspect/render-inspection.js';
import { parseSchemaOption } from '../../inspect/schema-option.js';
import { ENCODINGS } from '../../records/read/text-encoding.js';
import { INPUT_FORMATS, type InputFormat } from '../../recipe/names.js';
import { type CliIO, type Command, isHuman, printJson } from '../command.js';
import { formatError } from '../format-error.js';
import { STDIN_ARG, stdinFile } from '../stdin.js';

const FORMATS = ['auto', ...INPUT_FORMATS] as const;

export const inspectCommand: Command = {
  usage: 'inspect <sources..>',
  stdin: ['sources'],
  describe:
    'detected format, encoding and schema, record count, invalid rows, duplicates, lengths and examples of input files',
  builder: (y) =>
    y
      .positional('sources', {
        type: 'string',
        array: true,
        describe: 'files, folders or globs; - reads standard input',
        demandOption: true,
      })
      .option('format', {
        type: 'string',
        choices: FORMATS,
        default: 'auto',
        describe: 'read as this format instead of detecting it',
      })
      .option('encoding', {
        type: 'string',
        choices: ['auto', ...ENCODINGS],
        default: 'auto',
        describe: 'text encoding of JSONL/CSV/TSV (auto: utf-8 or gb18030 by content)',
      })
      .option('schema', { type: 'string', default: 'auto', describe: 'a preset, auto, or a field mapping as JSON' })
      .option('examples', { type: 'number', default: 3, describe: 'how many records to show after mapping' }),
  async run(args, io) {
    const schema = parseSchemaOption(String(args.schema));
    const sources = args.sources as string[];
    if (sources.filter((s) => s === STDIN_ARG).length > 1)
      throw new MixsmithError('USAGE', 'inspect reads standard input once: name - only once', {
        hint: 'save each stream to a file',
      });
    const options = {
      format: args.format as InputFormat,
      encoding: String(args.encoding),
      schema,
      signal: io.signal,
      maxExamples: Math.max(0, Math.floor(Number(args.examples))),
    };
    const outcomes: InspectOutcome[] = [];
    for (const source of sources) {
      if (source === STDIN_ARG) outcomes.push({ file: '-', inspection: await inspectStdin(io, options) });
      else outcomes.push(...(await inspectEachSource([source], process.cwd(), options)));
    }
    const failures = outcomes.filter(isFailure);
    // Every file is reported; the exit status is the worst file's (0 when all were read).
    const status = failures.reduce((worst, f) => Math.max(worst, f.error.exitCode), 0);
    if (args.json) {
      const files = outcomes.map((o) =>
        isFailure(o)
          ? {
              file: o.file,
              error: {
                code: o.error.code,
                exitCode: o.error.exitCode,
                message: o.error.message,
                diagnostics: o.error.diagnostics,
              },
            }
          : o.inspection,
      );
      printJson(io, { ok: failures.length === 0, files });
    }
    if (isHuman(args)) {
      const blocks = outcomes.map((o) =>
        isFailure(o) ? `${o.file}  not read\n${formatError(o.error)}` : renderInspection(o.inspection),
      );
      if (failures.length > 0)
        blocks.push(
          `${outcomes.length - failures.length} of ${outcomes.length} files inspected; not read: ${failures.map((f) => `${f.file} (${f.error.code})`).join(', ')}`,
        );
      io.stderr.write(`${blocks.join('\n\n')}\n`);
    } else if (!args.json && failures.length > 0) {
      // --quiet still names what could not be read.
      io.stderr.write(`${failures.map((f) => formatError(f.error)).join('\n')}\n`);
    }
    return status;
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
