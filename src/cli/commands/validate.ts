import { type Command, isHuman, loadRecipeArg, printJson, recipeOptions } from '../command.js';

export const validateCommand: Command = {
  usage: 'validate <recipe>',
  describe: 'check a recipe and report every problem at file:line:col',
  stdin: ['recipe'],
  builder: recipeOptions,
  async run(args, io) {
    const loaded = await loadRecipeArg(args, io);
    if (args.json) printJson(io, { ok: true, recipe: loaded.recipe });
    else if (isHuman(args)) io.stderr.write(`${loaded.file}: ok — recipe "${loaded.recipe.name}" is valid\n`);
    return 0;
  },
};
