/**
 * Evaluation results joined to the points of a sweep (`mixsmith results`). Which run belongs to
 * which point is said, never guessed: the plain format names the point, `--map` names a results
 * file (or model) per point, `--match` is a pattern whose `point` group (or first group) takes the
 * point's name out of the run's model name, else out of its file path. Every run must land on a
 * point the sweep has, no point may get two values for one task and metric, and each task's metric
 * must be one the results hold; each of these stops with the names involved. A point without a
 * result is a warning: the curves are drawn without it.
 *
 * Each point keeps its realized composition from `sweep.json` (domain rows, shares, shortfall,
 * `sameAs`), so the figure is drawn against what the point holds, not what its name says.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import type { SweepFlag, SweepIndex } from '../manifest/sweep-index.js';
import { didYouMean } from '../recipe/did-you-mean.js';
import { parseCsv, type ResultRun } from './read-results.js';

export type ResultsAxis = 'log' | 'linear';

export interface PointMetric {
  readonly value: number;
  readonly stderr: number | null;
  readonly source: string;
}

export interface ResultsPoint {
  readonly name: string;
  readonly volume: number;
  /** The domain group's nominal share (the point's name). */
  readonly share: number;
  /** Training rows of the domain group (copies included): the x of the figure. */
  readonly domainRows: number;
  /** Training tokens of the domain group (the point's manifest.json), or null when its manifest cannot be read. */
  readonly domainTokens: number | null;
  /** The domain group's realized share of the training rows (of tokens when the sweep's unit is tokens). */
  readonly domainShare: number;
  readonly trainRows: number;
  readonly trainTokens: number;
  readonly tokenMethod: string;
  /** The domain group's shortfall against its nominal quota (0 when it got it). */
  readonly shortfall: number;
  readonly sameAs: string | null;
  readonly flags: readonly SweepFlag[];
  /** task → its metric at this point, or null without a result. */
  readonly metrics: Readonly<Record<string, PointMetric | null>>;
}

export interface ResultsTask {
  readonly task: string;
  readonly metric: string;
  readonly higherIsBetter: boolean;
}

/** The saturation read-out of one curve: a reading of the data, not a fitted law. */
export interface SaturationReadout {
  readonly task: string;
  readonly share: number;
  readonly best: { readonly point: string; readonly value: number; readonly stderr: number | null };
  /** How far below the best (above, for lower-is-better) still counts as reaching it. */
  readonly tolerance: number;
  readonly toleranceFrom: 'stderr of the best point' | '--tolerance';
  /** The smallest volume whose metric is within the tolerance of the best, or null when no tolerance is known. */
  readonly point: string | null;
  readonly volume: number | null;
  readonly domainRows: number | null;
  readonly value: number | null;
  readonly note: string;
}

export interface ResultsCurve {
  readonly task: string;
  readonly share: number;
  /** Point names by volume. */
  readonly points: readonly string[];
  readonly saturation: SaturationReadout;
}

export interface ResultsReport {
  readonly resultsVersion: 1;
  readonly sweep: string;
  readonly recipe: string;
  /** The group whose share the grid varies: the figure's x is its training rows. */
  readonly group: string;
  readonly unit: 'samples' | 'tokens';
  readonly axis: ResultsAxis;
  readonly tasks: readonly ResultsTask[];
  readonly points: readonly ResultsPoint[];
  readonly curves: readonly ResultsCurve[];
  readonly warnings: readonly string[];
}

export interface ResultsOptions {
  readonly cwd: string;
  /** A mapping file: JSON `{ point: run | [runs] }` or CSV `point,run`; a run is a results path or a model name. */
  readonly map?: string | undefined;
  /** A regular expression; its `point` group (or first group, or whole match) is the point's name. */
  readonly match?: string | undefined;
  /** `METRIC` for every task or `TASK=METRIC` (repeatable). */
  readonly metric?: readonly string[];
  /** Only these tasks (default: every task in the results). */
  readonly task?: readonly string[];
  /** The domain group (default: the one group whose nominal share varies across the points). */
  readonly group?: string | undefined;
  readonly axis?: ResultsAxis;
  /** Saturation read-out tolerance; default: the best point's stderr. */
  readonly tolerance?: number | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const suggestion = (word: string, allowed: readonly string[]) => {
  const near = didYouMean(word, allowed);
  return near === undefined ? '' : ` (did you mean ${near}?)`;
};

/** `sweep.json` of a sweep folder, in the form that carries what each point really holds. */
export async function loadSweep(dir: string): Promise<SweepIndex> {
  const file = path.join(dir, 'sweep.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new MixsmithError(
      'INPUT_NOT_FOUND',
      `${dir} is not a sweep: it has no readable sweep.json (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      {
        where: { file },
        cause,
        hint: 'give the folder `mixsmith compose` wrote for a recipe with sweep:',
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new MixsmithError('INPUT_FORMAT', `${file} is not valid JSON`, { where: { file }, cause });
  }
  const points = isObject(data) ? data.points : undefined;
  if (
    !Array.isArray(points) ||
    points.length === 0 ||
    !points.every((p) => isObject(p) && isObject(p.realized) && typeof p.name === 'string')
  ) {
    throw new MixsmithError(
      'INPUT_FORMAT',
      `${file} has no points with their realized composition (written by an older mixsmith?)`,
      {
        where: { file },
        hint: 'compose the sweep again with this version: `results` draws points by what they really hold (sweep.json points[].realized)',
      },
    );
  }
  return data as unknown as SweepIndex;
}

/** The group named, else the one whose nominal share varies across points, else the one the point names carry (`v<volume>-<group><share>`). */
function domainGroup(index: SweepIndex, named: string | undefined): string {
  const groups = Object.keys(index.points[0]!.shares);
  if (named !== undefined) {
    if (!groups.includes(named)) {
      throw new MixsmithError('USAGE', `--group ${named} is not a group of this sweep${suggestion(named, groups)}`, {
        hint: `its groups: ${groups.join(', ')}`,
      });
    }
    return named;
  }
  const varying = groups.filter((g) => new Set(index.points.map((p) => p.shares[g] ?? 0)).size > 1);
  if (varying.length === 1) return varying[0]!;
  // A grid over one group's share names its points v<volume>-<group><share>: that group.
  const inNames = varying.filter((g) => index.points.every((p) => p.name.includes(`-${g}`)));
  if (inNames.length === 1) return inNames[0]!;
  throw new MixsmithError(
    'USAGE',
    varying.length === 0
      ? 'no group share varies across this sweep: which group is the domain data?'
      : `several group shares vary across this sweep (${varying.join(', ')}): which one is the domain data?`,
    {
      hint: `name it with --group (one of ${groups.join(', ')})`,
    },
  );
}

interface MapEntry {
  readonly point: string;
  readonly run: string;
  readonly where: string;
}

async function readMap(file: string): Promise<MapEntry[]> {
  const text = await readFile(file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new MixsmithError('INPUT_NOT_FOUND', `cannot read the --map file ${file}: ${cause.code ?? String(cause)}`, {
      where: { file },
      cause,
    });
  });
  const bad = (message: string) =>
    new MixsmithError('RESULTS_FORMAT', `--map ${file}: ${message}`, {
      where: { file },
      hint: 'a JSON object {"<point>": "<results file or model name>" | [ … ]} or a CSV with the columns point,run',
    });
  if (path.extname(file).toLowerCase() === '.csv') {
    const rows = parseCsv(text);
    const header = rows[0]?.cells.map((c) => c.trim().toLowerCase()) ?? [];
    if (!header.includes('point') || !header.includes('run')) throw bad('the CSV needs the columns point and run');
    return rows.slice(1).map((r) => ({
      point: r.cells[header.indexOf('point')]!.trim(),
      run: (r.cells[header.indexOf('run')] ?? '').trim(),
      where: `${file}:${r.line}`,
    }));
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw bad('is neither valid JSON nor a .csv');
  }
  if (!isObject(data)) throw bad('is not a JSON object');
  return Object.entries(data).flatMap(([point, runs]) => {
    const list = Array.isArray(runs) ? runs : [runs];
    if (!list.every((r) => typeof r === 'string'))
      throw bad(`the entry for ${point} is not a string or a list of strings`);
    return (list as string[]).map((run) => ({ point, run, where: `${file} ("${point}")` }));
  });
}

function compileMatch(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (cause) {
    throw new MixsmithError(
      'USAGE',
      `--match ${pattern} is not a valid regular expression: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, hint: 'e.g. --match "ckpt/(?<point>[^/]+)"' },
    );
  }
}

function pointFromMatch(re: RegExp, text: string): string | null {
  const m = re.exec(text);
  if (!m) return null;
  return m.groups?.point ?? m[1] ?? m[0];
}

/** Every run with the point it belongs to; throws RESULTS_MATCH naming each run that has none, and each --map entry that names nothing. */
async function assignPoints(
  runs: readonly ResultRun[],
  options: ResultsOptions,
): Promise<{ run: ResultRun; point: string; how: string }[]> {
  const entries = options.map === undefined ? [] : await readMap(path.resolve(options.cwd, options.map));
  const mapDir = options.map === undefined ? options.cwd : path.dirname(path.resolve(options.cwd, options.map));
  const re = options.match === undefined ? undefined : compileMatch(options.match);
  const used = new Set<MapEntry>();
  const out: { run: ResultRun; point: string; how: string }[] = [];
  const unplaced: string[] = [];
  for (const run of runs) {
    if (run.point !== null) {
      out.push({ run, point: run.point, how: 'named in the file' });
      continue;
    }
    const file = path.resolve(options.cwd, run.file);
    const mapped = entries.filter((e) => {
      const target = path.resolve(mapDir, e.run);
      const byPath = target === file || (file.startsWith(`${target}${path.sep}`) && run.format === 'lm-eval');
      return byPath || (run.model !== null && e.run === run.model);
    });
    if (new Set(mapped.map((e) => e.point)).size > 1) {
      throw new MixsmithError(
        'RESULTS_MATCH',
        `--map sends one run to several points: ${run.source} to ${mapped.map((e) => `${e.point} (${e.where})`).join(', ')}`,
        {
          hint: 'one evaluated model belongs to one point; fix the mapping',
        },
      );
    }
    if (mapped.length > 0) {
      for (const e of mapped) used.add(e);
      out.push({ run, point: mapped[0]!.point, how: `--map ${mapped[0]!.where}` });
      continue;
    }
    const fromModel = re && run.model !== null ? pointFromMatch(re, run.model) : null;
    const fromPath = re && fromModel === null ? pointFromMatch(re, run.file) : null;
    if (fromModel !== null) out.push({ run, point: fromModel, how: `--match on the model name "${run.model}"` });
    else if (fromPath !== null) out.push({ run, point: fromPath, how: `--match on the path ${run.file}` });
    else unplaced.push(`${run.source}${run.model !== null ? ` (model "${run.model}")` : ''}`);
  }
  const unused = entries.filter((e) => !used.has(e));
  if (unused.length > 0) {
    throw new MixsmithError(
      'RESULTS_MATCH',
      `--map names results that are not among the inputs: ${unused.map((e) => `${e.run} for ${e.point} (${e.where})`).join('; ')}`,
      {
        hint: 'a --map run is a results file or folder (relative to the --map file) or a model name as the results give it; give that file among RESULTS, or fix the entry',
      },
    );
  }
  if (unplaced.length > 0) {
    const how =
      options.map === undefined && options.match === undefined
        ? 'no --map or --match was given'
        : options.match !== undefined
          ? `--match ${options.match} matches neither its model name nor its path, and --map has no entry for it`
          : '--map has no entry for it';
    throw new MixsmithError(
      'RESULTS_MATCH',
      `cannot tell which sweep point ${unplaced.length === 1 ? 'this run belongs' : `these ${unplaced.length} runs belong`} to (${how}): ${unplaced.join('; ')}`,
      {
        hint: 'say it: --map FILE (point → results path or model name) or --match PATTERN with a (?<point>…) group; results are never assigned by guess',
      },
    );
  }
  return out;
}

/** Per task the metric to draw: the one asked for, or the only one there is. */
function chooseTasks(assigned: readonly { run: ResultRun; point: string }[], options: ResultsOptions): ResultsTask[] {
  const metricsOf = new Map<string, Map<string, Set<string>>>(); // task → metric → points
  const higher = new Map<string, boolean>();
  for (const { run, point } of assigned) {
    for (const v of run.values) {
      const metrics = metricsOf.get(v.task) ?? new Map<string, Set<string>>();
      metricsOf.set(v.task, metrics);
      metrics.set(v.metric, (metrics.get(v.metric) ?? new Set()).add(point));
      const better = run.higherIsBetter[v.task]?.[v.metric.split(',')[0]!];
      if (better !== undefined) higher.set(`${v.task}\u0000${v.metric}`, better);
    }
  }
  const allTasks = [...metricsOf.keys()];
  if (allTasks.length === 0)
    throw new MixsmithError('RESULTS_METRIC', 'the results hold no numeric value at all', {
      hint: 'check that the files are the evaluation outputs',
    });
  const wanted = options.task && options.task.length > 0 ? options.task : allTasks;
  for (const t of wanted) {
    if (!metricsOf.has(t))
      throw new MixsmithError('RESULTS_METRIC', `--task ${t} is not in the results${suggestion(t, allTasks)}`, {
        hint: `tasks in the results: ${allTasks.join(', ')}`,
      });
  }
  const perTask = new Map<string, string>();
  let everyTask: string | undefined;
  for (const spec of options.metric ?? []) {
    const eq = spec.indexOf('=');
    if (eq < 0) everyTask = spec.trim();
    else {
      const task = spec.slice(0, eq).trim();
      if (!metricsOf.has(task))
        throw new MixsmithError(
          'RESULTS_METRIC',
          `--metric ${spec} names the task ${task}, which is not in the results${suggestion(task, allTasks)}`,
          { hint: `tasks in the results: ${allTasks.join(', ')}` },
        );
      perTask.set(task, spec.slice(eq + 1).trim());
    }
  }
  return wanted.map((task) => {
    const metrics = metricsOf.get(task)!;
    const names = [...metrics.keys()];
    const asked = perTask.get(task) ?? everyTask;
    const counted = names
      .map((m) => `${m} (${metrics.get(m)!.size} point${metrics.get(m)!.size === 1 ? '' : 's'})`)
      .join(', ');
    if (asked !== undefined) {
      if (!metrics.has(asked)) {
        throw new MixsmithError('RESULTS_METRIC', `task ${task} has no metric ${asked}${suggestion(asked, names)}`, {
          hint: `its metrics: ${counted}`,
        });
      }
      return { task, metric: asked, higherIsBetter: higher.get(`${task}\u0000${asked}`) ?? true };
    }
    if (names.length === 1)
      return { task, metric: names[0]!, higherIsBetter: higher.get(`${task}\u0000${names[0]}`) ?? true };
    // Two names of which one is a near spelling of the other, at different points: a typo in the results.
    const byCount = [...names].sort((a, b) => metrics.get(b)!.size - metrics.get(a)!.size);
    const typo = byCount.slice(1).find((m) => didYouMean(m, [byCount[0]!]) !== undefined);
    if (typo !== undefined) {
      throw new MixsmithError(
        'RESULTS_METRIC',
        `task ${task} names its metric differently at different points: "${typo}" (at ${[...metrics.get(typo)!].join(', ')}) looks like a typo of "${byCount[0]}" (${metrics.get(byCount[0]!)!.size} points)`,
        {
          hint: `fix the name in the results, or choose one with --metric ${task}=${byCount[0]}`,
        },
      );
    }
    throw new MixsmithError('RESULTS_METRIC', `task ${task} reports several metrics: ${counted}; which one to draw?`, {
      hint: `choose one with --metric ${task}=${byCount[0]}`,
    });
  });
}

/** The smallest volume on a curve whose metric is within the tolerance of the curve's best. */
function readout(
  task: ResultsTask,
  share: number,
  points: readonly ResultsPoint[],
  tolerance: number | undefined,
): SaturationReadout {
  const withValue = points.filter((p) => p.metrics[task.task]);
  const sign = task.higherIsBetter ? 1 : -1;
  const best = withValue.reduce((a, b) =>
    sign * b.metrics[task.task]!.value > sign * a.metrics[task.task]!.value ? b : a,
  );
  const bestMetric = best.metrics[task.task]!;
  const tol = tolerance ?? bestMetric.stderr;
  const base = {
    task: task.task,
    share,
    best: { point: best.name, value: bestMetric.value, stderr: bestMetric.stderr },
  };
  if (tol === null) {
    return {
      ...base,
      tolerance: 0,
      toleranceFrom: 'stderr of the best point',
      point: null,
      volume: null,
      domainRows: null,
      value: null,
      note: 'no read-out: the best point has no stderr; give --tolerance',
    };
  }
  const reached = withValue.find((p) => sign * (bestMetric.value - p.metrics[task.task]!.value) <= tol + 1e-12)!;
  const from = tolerance === undefined ? 'stderr of the best point' : '--tolerance';
  return {
    ...base,
    tolerance: tol,
    toleranceFrom: from,
    point: reached.name,
    volume: reached.volume,
    domainRows: reached.domainRows,
    value: reached.metrics[task.task]!.value,
    note:
      reached === withValue[withValue.length - 1] && withValue.length > 1
        ? `read from the data (no fitted law): only the largest volume is within ${tol} (${from}) of the best ${task.metric}; no flat stretch inside this sweep`
        : `read from the data (no fitted law): the smallest volume within ${tol} (${from}) of the best ${task.metric}`,
  };
}

/** The domain group's training tokens from a point's manifest.json (counted as its `tokenMethod` says). */
async function domainTokensOf(sweepDir: string, pointPath: string, group: string): Promise<number | null> {
  try {
    const manifest = JSON.parse(await readFile(path.join(sweepDir, pointPath, 'manifest.json'), 'utf8')) as {
      groups?: Record<string, { tokens?: unknown }>;
    };
    const tokens = manifest.groups?.[group]?.tokens;
    return typeof tokens === 'number' ? tokens : null;
  } catch {
    return null;
  }
}

export async function joinResults(
  sweepDir: string,
  runs: readonly ResultRun[],
  options: ResultsOptions,
): Promise<ResultsReport> {
  const index = await loadSweep(sweepDir);
  const group = domainGroup(index, options.group);
  const assigned = await assignPoints(runs, options);
  const names = index.points.map((p) => p.name);
  const unknown = assigned.filter((a) => !names.includes(a.point));
  if (unknown.length > 0) {
    throw new MixsmithError(
      'RESULTS_MATCH',
      `results for ${unknown.length === 1 ? 'a point' : 'points'} this sweep does not have: ${unknown.map((a) => `${a.point}${suggestion(a.point, names)} from ${a.run.source}, ${a.how}`).join('; ')}`,
      {
        hint: `the sweep's points are named like ${names.slice(0, 3).join(', ')} (sweep.json); fix the mapping or --match pattern`,
      },
    );
  }
  const tasks = chooseTasks(assigned, options);
  const cells = new Map<string, PointMetric & { how: string }>();
  const duplicates: string[] = [];
  for (const { run, point, how } of assigned) {
    for (const t of tasks) {
      for (const v of run.values.filter((x) => x.task === t.task && x.metric === t.metric)) {
        const key = `${point}\u0000${t.task}`;
        const earlier = cells.get(key);
        if (earlier)
          duplicates.push(
            `${point} ${t.task} ${t.metric}: ${earlier.value} from ${earlier.source} (${earlier.how}) and ${v.value} from ${run.source} (${how})`,
          );
        else cells.set(key, { value: v.value, stderr: v.stderr, source: run.source, how });
      }
    }
  }
  if (duplicates.length > 0) {
    const shown = duplicates.length > 5 ? [...duplicates.slice(0, 5), `and ${duplicates.length - 5} more`] : duplicates;
    throw new MixsmithError(
      'RESULTS_DUPLICATE',
      `two results for one point${duplicates.length > 1 ? ` (${duplicates.length} times)` : ''}: ${shown.join('; ')}`,
      {
        hint: 'give one run per point and task (drop the stale file, or fix the mapping that sends two runs to one point)',
      },
    );
  }
  const domainTokens = await Promise.all(index.points.map((p) => domainTokensOf(sweepDir, p.path, group)));
  const points: ResultsPoint[] = index.points.map((p, i) => ({
    name: p.name,
    volume: p.volume,
    share: p.shares[group] ?? 0,
    domainRows: p.realized.rows[group] ?? 0,
    domainTokens: domainTokens[i]!,
    domainShare: p.realized.shares[group] ?? 0,
    trainRows: p.rows.train,
    trainTokens: p.trainTokens,
    tokenMethod: p.tokenMethod,
    shortfall: p.shortfall[group] ?? 0,
    sameAs: p.sameAs,
    flags: p.flags,
    metrics: Object.fromEntries(
      tasks.map((t) => {
        const cell = cells.get(`${p.name}\u0000${t.task}`);
        return [t.task, cell ? { value: cell.value, stderr: cell.stderr, source: cell.source } : null];
      }),
    ),
  }));
  const warnings: string[] = [];
  for (const t of tasks) {
    const missing = points.filter((p) => p.metrics[t.task] === null);
    if (missing.length === 0) continue;
    const named = missing.map((p) =>
      p.sameAs === null ? p.name : `${p.name} (the same training rows as ${p.sameAs})`,
    );
    warnings.push(
      `task ${t.task}: no ${t.metric} for ${missing.length} of ${points.length} points: ${named.join(', ')}; the curves are drawn without them`,
    );
  }
  const shares = [...new Set(points.map((p) => p.share))].sort((a, b) => a - b);
  const curves: ResultsCurve[] = tasks.flatMap((t) =>
    shares.flatMap((share) => {
      const on = points
        .filter((p) => p.share === share && p.metrics[t.task] !== null)
        .sort((a, b) => a.volume - b.volume);
      return on.length === 0
        ? []
        : [
            {
              task: t.task,
              share,
              points: on.map((p) => p.name),
              saturation: readout(t, share, on, options.tolerance),
            },
          ];
    }),
  );
  return {
    resultsVersion: 1,
    sweep: sweepDir,
    recipe: index.recipe.name,
    group,
    unit: index.unit,
    axis: options.axis ?? 'log',
    tasks,
    points,
    curves,
    warnings,
  };
}
