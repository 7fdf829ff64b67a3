import { inspectEachSource, isFailure } from '../../inspect/inspect-sources.js';
import { renderInspection } from '../../inspect/render-inspection.js';
import { parseSchemaOption } from '../../inspect/schema-option.js';
import { ENCODINGS } from '../../records/read/text-encoding.js';
import { INPUT_FORMATS, type InputFormat } from '../../recipe/names.js';
import { type Command, isHuman, printJson } from '../command.js';
import { formatError } from '../format-error.js';

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
    const outcomes = await inspectEachSource(args.sources as string[], process.cwd(), {
      format: args.format as InputFormat,
      encoding: String(args.encoding),
      schema,
      signal: io.signal,
      maxExamples: Math.max(0, Math.floor(Number(args.examples))),
    });
    const failures = outcomes.filter(isFailure);
    // Every file is reported; the exit status is the worst file's (0 when all were read).
    const status = failures.reduce((worst, f) => Math.max(worst, f.error.exitCode), 0);
    if (args.json) {
      const files = outcomes.map((o) =>
        isFailure(o) ? { file: o.file, error: { code: o.error.code, exitCode: o.error.exitCode, message: o.error.message, diagnostics: o.error.diagnostics } } : o.inspection,
      );
      printJson(io, { ok: failures.length === 0, files });
    }
    if (isHuman(args)) {
      const blocks = outcomes.map((o) => (isFailure(o) ? `${o.file}  not read\n${formatError(o.error)}` : renderInspection(o.inspection)));
      if (failures.length > 0) blocks.push(`${outcomes.length - failures.length} of ${outcomes.length} files inspected; not read: ${failures.map((f) => `${f.file} (${f.error.code})`).join(', ')}`);
      io.stderr.write(`${blocks.join('\n\n')}\n`);
    } else if (!args.json && failures.length > 0) {
      // --quiet still names what could not be read.
      io.stderr.write(`${failures.map((f) => formatError(f.error)).join('\n')}\n`);
    }
    return status;
  },
};
