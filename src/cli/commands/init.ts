import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MixsmithError } from '../../errors.js';
import { packageFile } from '../../package-info.js';
import { type Command, isHuman } from '../command.js';
import { isStdin } from '../stdin.js';

/**
 * The `$schema` line's path from the recipe's folder to the schema that ships with mixsmith:
 * relative, so the recipe works on another machine or checkout that installs mixsmith the same way.
 */
function schemaPathFrom(folder: string): string {
  const relative = path
    .relative(folder, fileURLToPath(packageFile('schemas/recipe.schema.json')))
    .split(path.sep)
    .join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** `mixsmith init [FILE]`: a commented starter recipe to edit, never over an existing file unless --force; `-` prints it. */
export const initCommand: Command = {
  usage: 'init [file]',
  describe: 'write a commented starter recipe (default recipe.yaml; - prints it)',
  stdin: ['file'],
  builder: (y) =>
    y
      .positional('file', {
        type: 'string',
        default: 'recipe.yaml',
        describe: 'where to write it (- for standard output)',
      })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing file' }),
  async run(args, io) {
    const toStdout = isStdin(args.file);
    const file = toStdout ? '-' : String(args.file);
    const template = await readFile(packageFile('recipes/starter.yaml'), 'utf8');
    const text = template.replace(
      '../schemas/recipe.schema.json',
      schemaPathFrom(toStdout ? process.cwd() : path.dirname(path.resolve(file))),
    );
    if (toStdout) {
      io.stdout.write(text);
      return 0;
    }
    try {
      await writeFile(file, text, { flag: args.force ? 'w' : 'wx' });
    } catch (cause) {
      const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST';
      throw new MixsmithError(
        exists ? 'OUTPUT_EXISTS' : 'OUTPUT_IO',
        exists ? `${file} already exists` : `cannot write ${file}`,
        {
          where: { file },
          cause,
          hint: exists
            ? 'choose another name, or pass --force to replace it'
            : 'check that the folder exists and is writable',
        },
      );
    }
    if (isHuman(args)) io.stderr.write(`wrote ${file}: edit the sources and shares, then run mixsmith plan ${file}\n`);
    return 0;
  },
};
