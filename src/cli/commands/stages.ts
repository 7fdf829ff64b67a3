/**
 * The staged pipeline's commands (docs/scale-out.md): `facts`, `select`, `materialize` and
 * `assemble`, each over one working folder (`--dir`). Map stages take `--part i/N`; every stage
 * skips what is already done, so an executor may run any of them again.
 */
import type { Argv } from 'yargs';
import { planMixture } from '../../plan/plan.js';
import { workerCountOption } from '../../records/facts/scan-workers.js';
import { writeFactsPart } from '../../stages/facts-stage.js';
import { assembleOutput, runMaterializePart } from '../../stages/materialize-stage.js';
import { runSelectStage } from '../../stages/select-stage.js';
import { parsePart } from '../../stages/stage-dir.js';
import { createTokenCounter } from '../../tokens/token-counter.js';
import { type CliIO, type Command, isHuman, loadRecipeArg, printJson, recipeOptions } from '../command.js';

const dirOption = (y: Argv) =>
  y.option('dir', {
    type: 'string',
    demandOption: true,
    describe: 'working folder of the stages (facts parts, selection, materialized parts), shared by every part',
  });
const partOption = (y: Argv, what: string) =>
  y.option('part', {
    type: 'string',
    default: '1/1',
    describe: `which part of the ${what} this run does, i/N (1-based); every part of a run must use the same N`,
  });
const workersOption = (y: Argv) =>
  y.option('workers', {
    type: 'number',
    describe: 'worker threads (0: none; default: one per core, at most 4); the output is the same for any count',
  });

function report(args: Record<string, unknown>, io: CliIO, value: Record<string, unknown>, line: string): void {
  if (args.json) printJson(io, { ok: true, ...value });
  else if (isHuman(args as { json: boolean; quiet: boolean })) io.stderr.write(`${line}\n`);
}

export const factsCommand: Command = {
  usage: 'facts <recipe>',
  describe: 'staged pipeline, map: read one part of the inputs into a facts Parquet file under --dir',
  stdin: [],
  builder: (y) => workersOption(partOption(dirOption(recipeOptions(y)), 'input files')),
  async run(args, io) {
    const part = parsePart(args.part, '--part');
    const workers = workerCountOption(args.workers);
    const loaded = await loadRecipeArg(args, io);
    const plan = planMixture(loaded.recipe);
    const tokens = await createTokenCounter(loaded.recipe.mixture.tokenizer, loaded.baseDir);
    try {
      const result = await writeFactsPart(loaded, {
        dir: String(args.dir),
        part,
        plan,
        tokens,
        workers,
        signal: io.signal,
      });
      report(
        args,
        io,
        { stage: 'facts', part: `${part.index}/${part.count}`, file: result.file, written: result.written },
        result.written
          ? `facts ${part.index}/${part.count}: ${result.rows} rows → ${result.file}`
          : `facts ${part.index}/${part.count}: already done (${result.file})`,
      );
      return 0;
    } finally {
      tokens.free();
    }
  },
};

export const selectCommand: Command = {
  usage: 'select <recipe>',
  describe: 'staged pipeline: select every point from all facts parts in --dir (SQL on DuckDB)',
  stdin: [],
  builder: (y) => dirOption(recipeOptions(y)),
  async run(args, io) {
    const loaded = await loadRecipeArg(args, io);
    const result = await runSelectStage(loaded, { dir: String(args.dir), plan: planMixture(loaded.recipe) });
    report(
      args,
      io,
      { stage: 'select', written: result.written },
      result.written ? 'select: selection.json written' : 'select: already done',
    );
    return 0;
  },
};

export const materializeCommand: Command = {
  usage: 'materialize <recipe>',
  describe: "staged pipeline, map: write one part of the selection's points as shards under --dir",
  stdin: [],
  builder: (y) => workersOption(partOption(dirOption(recipeOptions(y)), 'points')),
  async run(args, io) {
    const part = parsePart(args.part, '--part');
    const workers = workerCountOption(args.workers);
    const loaded = await loadRecipeArg(args, io);
    const result = await runMaterializePart(loaded, {
      dir: String(args.dir),
      part,
      plan: planMixture(loaded.recipe),
      workers,
      signal: io.signal,
    });
    report(
      args,
      io,
      { stage: 'materialize', part: `${part.index}/${part.count}`, points: result.points, written: result.written },
      `materialize ${part.index}/${part.count}: ${result.written ? 'wrote' : 'already done,'} ${result.points.length} point(s)`,
    );
    return 0;
  },
};

export const assembleCommand: Command = {
  usage: 'assemble <recipe>',
  describe: 'staged pipeline, last step: every materialized part into --out, manifests written last',
  stdin: [],
  builder: (y) =>
    dirOption(recipeOptions(y))
      .option('out', { type: 'string', demandOption: true, describe: 'output folder (must not exist unless --force)' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing output folder' }),
  async run(args, io) {
    const loaded = await loadRecipeArg(args, io);
    const tokens = await createTokenCounter(loaded.recipe.mixture.tokenizer, loaded.baseDir);
    try {
      const result = await assembleOutput(loaded, {
        dir: String(args.dir),
        out: String(args.out),
        force: args.force === true,
        plan: planMixture(loaded.recipe),
        tokenMethod: tokens.method,
      });
      report(args, io, { stage: 'assemble', out: result.out }, `assemble: ${result.out}`);
      return 0;
    } finally {
      tokens.free();
    }
  },
};
