import { readFile, writeFile } from 'node:fs/promises';
import { MixsmithError } from '../../errors.js';
import { packageFile } from '../../package-info.js';
import { type Command, isHuman } from '../command.js';

/** `mixsmith init [FILE]`: a commented starter recipe to edit, never over an existing file unless --force. */
export const initCommand: Command = {
  usage: 'init [file]',
  describe: 'write a commented starter recipe (default recipe.yaml)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', default: 'recipe.yaml', describe: 'where to write it' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing file' }),
  async run(args, io) {
    const file = String(args.file);
    const template = await readFile(packageFile('recipes/starter.yaml'), 'utf8');
    try {
      await writeFile(file, template.replace('../schemas/recipe.schema.json', packageFile('schemas/recipe.schema.json').pathname), { flag: args.force ? 'w' : 'wx' });
    } catch (cause) {
      const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST';
      throw new MixsmithError(exists ? 'OUTPUT_EXISTS' : 'OUTPUT_IO', exists ? `${file} already exists` : `cannot write ${file}`, { where: { file }, cause, hint: exists ? 'choose another name, or pass --force to replace it' : 'check that the folder exists and is writable' });
    }
    if (isHuman(args)) io.stderr.write(`wrote ${file}: edit the sources and shares, then run mixsmith plan ${file}\n`);
    return 0;
  },
};
