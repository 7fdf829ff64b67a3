import { loadRecipe } from '../../recipe/load.js';
import { type Command, isHuman, printJson, overridesOf, recipeOptions } from '../command.js';

export const validateCommand: Command = {
  usage: 'validate <recipe>',
  describe: 'check a recipe and report every problem at file:line:col',
  builder: recipeOptions,
  async run(args, io) {
    const loaded = await loadRecipe(String(args.recipe), { set: overridesOf(args) });
    if (args.json) printJson(io, { ok: true, recipe: loaded.recipe });
    else if (isHuman(args)) io.stderr.write(`${String(args.recipe)}: ok — recipe "${loaded.recipe.name}" is valid\n`);
    return 0;
  },
};
