/**
 * The staged pipeline's commands (docs/scale-out.md): `facts`, `select`, `materialize` and
 * `assemble`, each over one working folder (`--dir`). Map stages take `--part i/N`; every stage
 * skips what is already done, so an executor may run any of them again.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import { MixsmithError } from '../../errors.js';
import { runLocal } from '../../executors/run-local.js';
import { runRay } from '../../executors/run-ray.js';
import type { TaskOutcome } from '../../executors/task-outcome.js';
import { planMixture } from '../../plan/plan.js';
import { workerCountOption } from '../../records/facts/scan-workers.js';
import { writeFactsPart } from '../../stages/facts-stage.js';
import { assembleOutput, runMaterializePart } from '../../stages/materialize-stage.js';
import { runSelectStage } from '../../stages/select-stage.js';
import { slurmScripts } from '../../stages/slurm.js';
import { parsePart } from '../../stages/stage-dir.js';
import { stagedRunPlan } from '../../stages/stage-tasks.js';
import { createTokenCounter } from '../../tokens/token-counter.js';
import { type CliIO, type Command, isHuman, loadRecipeArg, overridesOf, printJson, recipeOptions } from '../command.js';
import { warningLine } from '../progress.js';
import { isStdin } from '../stdin.js';

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
    // Warnings go out even under --quiet, as compose's do: a group emptied by the filters, a large near-dup cluster.
    if (!args.json) for (const warning of result.warnings) io.stderr.write(`${warningLine(warning)}\n`);
    report(
      args,
      io,
      { stage: 'select', written: result.written, warnings: result.warnings },
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

export const slurmCommand: Command = {
  usage: 'slurm <recipe>',
  describe:
    'staged pipeline on Slurm: write sbatch scripts (job arrays for the map stages, afterok between stages) and submit.sh under --dir/slurm',
  stdin: [],
  builder: (y) =>
    workersOption(dirOption(recipeOptions(y)))
      .option('out', { type: 'string', demandOption: true, describe: 'output folder the assemble job writes' })
      .option('map-parts', { type: 'number', default: 1, describe: 'facts parts (tasks of the facts array)' })
      .option('materialize-parts', {
        type: 'number',
        default: 1,
        describe: 'materialize parts (tasks of the materialize array)',
      })
      .option('sbatch', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'an extra #SBATCH option for every job, e.g. --sbatch=--partition=cpu (repeatable)',
      }),
  async run(args, io) {
    if (isStdin(args.recipe)) {
      throw new MixsmithError('USAGE', 'the Slurm jobs read the recipe from a file: give its path, not -', {
        where: { file: 'slurm -' },
        hint: 'save the recipe to a file every node can read',
      });
    }
    const mapParts = parsePart(`1/${String(args['map-parts'])}`, '--map-parts').count;
    const materializeParts = parsePart(`1/${String(args['materialize-parts'])}`, '--materialize-parts').count;
    const workers = workerCountOption(args.workers);
    // Validate the recipe (and overrides) now rather than in the first job.
    await loadRecipeArg(args, io);
    const dir = path.resolve(String(args.dir));
    const folder = path.join(dir, 'slurm');
    await mkdir(path.join(folder, 'logs'), { recursive: true });
    const scripts = slurmScripts({
      command: [process.execPath, ...process.execArgv, path.resolve(process.argv[1]!)],
      recipe: path.resolve(String(args.recipe)),
      overrides: overridesOf(args),
      dir,
      out: path.resolve(String(args.out)),
      mapParts,
      materializeParts,
      sbatch: (args.sbatch as string[] | undefined) ?? [],
      workers,
    });
    for (const s of scripts) await writeFile(path.join(folder, s.name), s.text, { mode: 0o755 });
    report(
      args,
      io,
      { stage: 'slurm', scripts: scripts.map((s) => path.join(folder, s.name)) },
      `slurm: ${scripts.length} scripts in ${folder}; submit with: bash ${path.join(folder, 'submit.sh')}`,
    );
    return 0;
  },
};

export const stagedCommand: Command = {
  usage: 'staged <recipe>',
  describe:
    'the whole staged pipeline (facts parts, select, materialize parts, assemble) run by an executor: child processes here (--executor local) or tasks on a Ray cluster (--executor ray --ray-address HOST:PORT); a rerun skips finished parts',
  stdin: [],
  builder: (y) =>
    workersOption(dirOption(recipeOptions(y)))
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing output folder' })
      .option('map-parts', { type: 'number', default: 1, describe: 'facts parts (tasks of the facts stage)' })
      .option('materialize-parts', { type: 'number', default: 1, describe: 'materialize parts' })
      .option('executor', {
        type: 'string',
        choices: ['local', 'ray'],
        default: 'local',
        describe: 'where the tasks run (Slurm: mixsmith slurm writes job scripts instead)',
      })
      .option('parallel', { type: 'number', default: 1, describe: 'local executor: tasks of a stage at once' })
      .option('ray-address', { type: 'string', describe: "Ray executor: the cluster's HOST:PORT (ray start --head)" })
      .option('ray-python', {
        type: 'string',
        describe: 'Ray executor: a Python with ray installed (default: $MIXSMITH_RAY_PYTHON, else python3)',
      }),
  async run(args, io) {
    if (isStdin(args.recipe)) {
      throw new MixsmithError('USAGE', 'the stage tasks read the recipe from a file: give its path, not -', {
        where: { file: 'staged -' },
        hint: 'save the recipe to a file every task can read',
      });
    }
    const mapParts = parsePart(`1/${String(args['map-parts'])}`, '--map-parts').count;
    const materializeParts = parsePart(`1/${String(args['materialize-parts'])}`, '--materialize-parts').count;
    const workers = workerCountOption(args.workers);
    await loadRecipeArg(args, io);
    const executor = String(args.executor);
    const address = args['ray-address'] === undefined ? undefined : String(args['ray-address']);
    if (executor === 'ray' && !address) {
      throw new MixsmithError('USAGE', '--executor ray needs --ray-address HOST:PORT', {
        where: { file: 'staged --executor ray' },
        hint: 'give the head node address that ray start --head printed, e.g. --ray-address 10.0.0.1:6379',
      });
    }
    const plan = stagedRunPlan({
      command: [process.execPath, ...process.execArgv, path.resolve(process.argv[1]!)],
      recipe: path.resolve(String(args.recipe)),
      overrides: overridesOf(args),
      dir: path.resolve(String(args.dir)),
      out: path.resolve(String(args.out)),
      mapParts,
      materializeParts,
      workers,
      force: Boolean(args.force),
    });
    const onTask = (outcome: TaskOutcome) => {
      if (!args.quiet && !args.json) io.stderr.write(`${outcome.id}: ${outcome.status} (${outcome.node})\n`);
    };
    const outcomes =
      executor === 'ray'
        ? await runRay(plan, {
            address: address!,
            python:
              args['ray-python'] === undefined
                ? (process.env.MIXSMITH_RAY_PYTHON ?? 'python3')
                : String(args['ray-python']),
            env: process.env,
            signal: io.signal,
            onTask,
          })
        : await runLocal(plan, { parallel: Number(args.parallel), signal: io.signal, onTask });
    const out = path.resolve(String(args.out));
    report(
      args,
      io,
      { stage: 'staged', executor, out, tasks: outcomes },
      `staged (${executor}): ${outcomes.filter((o) => o.status === 'ok').length} tasks run, ${outcomes.filter((o) => o.status === 'skipped').length} skipped; output ${out}`,
    );
    return 0;
  },
};
