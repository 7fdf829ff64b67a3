/**
 * The materialize stage (map) and the final step. A materialize part writes whole points of the
 * selection — point p (0-based, in plan order) belongs to part (p mod M) + 1, fixed by the plan,
 * never by which task finishes first — with compose's own write phase (materialize/write-points:
 * re-read by position, render, order, shard), into its own folder under a temporary name, renamed
 * when complete. The final step (assembleOutput) moves every point's files into a staged output
 * folder, builds each manifest with compose's manifest code (manifest/manifest, layouts, sweep
 * index), writes them last and commits the folder: the same bytes compose writes.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { refuseOverOpenAiLimits } from '../compose/compose.js';
import { writePointManifest, writeSweepFiles } from '../compose/output-files.js';
import { composeReadPaths } from '../compose/read-paths.js';
import { recipeWriteOptions } from '../compose/write-options.js';
import { MixsmithError } from '../errors.js';
import { stageDir } from '../io/atomic-dir.js';
import { outputIoError } from '../io/output-error.js';
import { refuseGuardedTarget } from '../io/output-guard.js';
import { buildManifest, type Manifest } from '../manifest/manifest.js';
import type { SweepIndex } from '../manifest/sweep-index.js';
import type { WrittenFile } from '../materialize/shard-writer.js';
import { writePoints } from '../materialize/write-points.js';
import type { MixturePlan } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import type { Candidate } from '../records/facts/candidate.js';
import { ranksOfDigest } from '../records/facts/candidate.js';
import { expandSources } from '../records/read/source-files.js';
import type { PointSelection } from '../select/select.js';
import type { StagedSelection } from './select-stage.js';
import { scanOf } from './staged-scan.js';
import {
  materializeDir,
  type PartSpec,
  removedFile,
  selectionFile,
  stageDigest,
  temporaryOf,
  WRITTEN_FILE,
} from './stage-dir.js';

/** selection.json, checked to belong to this recipe. */
export async function readSelection(dir: string, loaded: LoadedRecipe, plan: MixturePlan): Promise<StagedSelection> {
  const file = selectionFile(dir);
  if (!existsSync(file)) {
    throw new MixsmithError('STAGE_INCOMPLETE', 'the select stage has not run in this folder', {
      where: { file },
      hint: 'run mixsmith select RECIPE --dir DIR first',
    });
  }
  const selection = JSON.parse(await readFile(file, 'utf8')) as StagedSelection;
  const expected = stageDigest(loaded.recipe, plan);
  if (selection.recipeSha256 !== expected.recipeSha256 || selection.planSha256 !== expected.planSha256) {
    throw new MixsmithError('STAGE_MISMATCH', 'selection.json was made from another recipe or plan', {
      where: { file },
      hint: 'use a new --dir for a changed recipe (or --set), or remove the old stage files',
    });
  }
  return selection;
}

/** Every point's selection with candidate objects (one per chosen record, shared by the points). */
export function pointSelections(plan: MixturePlan, selection: StagedSelection): PointSelection[] {
  const candidates: Candidate[] = selection.candidates.map(
    ([fileIndex, line, key, ranks, offset, length, chars, tokens, crc32]) => ({
      key,
      ...ranksOfDigest(ranks),
      fileIndex,
      offset,
      length,
      line,
      chars,
      tokens,
      spill: -1,
      crc32,
    }),
  );
  return selection.points.map((p, i) => ({
    point: plan.points[i]!,
    groups: p.groups,
    rows: p.rows,
    records: p.records.map(([c, split, position, copy, group]) => ({
      candidate: candidates[c]!,
      group,
      split: split === 0 ? 'train' : 'validation',
      copy,
      position,
    })),
  }));
}

/** The points (0-based) that materialize part `part` writes. */
export const pointsOfPart = (pointCount: number, part: PartSpec): number[] =>
  Array.from({ length: pointCount }, (_, p) => p).filter((p) => p % part.count === part.index - 1);

const pointFolder = (index: number) => `point-${String(index).padStart(5, '0')}`;

export interface MaterializeOptions {
  readonly dir: string;
  readonly part: PartSpec;
  readonly plan: MixturePlan;
  readonly workers?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Write materialize part `options.part`; skipped when its folder exists (it is renamed into place complete). */
export async function runMaterializePart(
  loaded: LoadedRecipe,
  options: MaterializeOptions,
): Promise<{ written: boolean; points: number[] }> {
  const { recipe } = loaded;
  const { dir, part, plan } = options;
  const selection = await readSelection(dir, loaded, plan);
  const mine = pointsOfPart(selection.points.length, part);
  const final = materializeDir(dir, part);
  if (existsSync(final)) return { written: false, points: mine };
  const temp = temporaryOf(final);
  await mkdir(temp, { recursive: true });
  try {
    const all = pointSelections(plan, selection);
    const chosen = mine.map((p) => all[p]!);
    const folderOf = new Map(mine.map((p) => [all[p]!, path.join(temp, pointFolder(p))]));
    const written = chosen.length
      ? await writePoints(scanOf(loaded, selection), chosen, {
          ...recipeWriteOptions(recipe),
          signal: options.signal,
          workers: options.workers,
          dirOf: (s) => folderOf.get(s)!,
        })
      : [];
    await writeFile(
      path.join(temp, WRITTEN_FILE),
      JSON.stringify(Object.fromEntries(mine.map((p, i) => [pointFolder(p), written[i]]))),
    );
    await mkdir(path.dirname(final), { recursive: true });
    await rename(temp, final);
    return { written: true, points: mine };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

export interface AssembleOptions {
  readonly dir: string;
  readonly out: string;
  readonly force?: boolean | undefined;
  readonly plan: MixturePlan;
  /** The token counter's method name, as the manifest records it. */
  readonly tokenMethod: string;
  readonly clock?: (() => Date) | undefined;
}

/** The final step: every materialize part's points into `out`, with manifests, written last. */
export async function assembleOutput(
  loaded: LoadedRecipe,
  options: AssembleOptions,
): Promise<{ out: string; manifests: Manifest[]; sweep: SweepIndex | null }> {
  const { recipe } = loaded;
  const { dir, plan } = options;
  const clock = options.clock ?? (() => new Date());
  const startedAt = clock();
  const selection = await readSelection(dir, loaded, plan);
  const count = Number(
    /of-(\d{5})$/.exec(
      (await readdir(path.join(dir, 'materialize')).catch(() => [] as string[]))
        .filter((n) => /^part-\d{5}-of-\d{5}$/.test(n))
        .sort()[0] ?? '',
    )?.[1] ?? 0,
  );
  const missing =
    count === 0
      ? [1]
      : Array.from({ length: count }, (_, i) => i + 1).filter(
          (i) => !existsSync(materializeDir(dir, { index: i, count })),
        );
  if (missing.length > 0) {
    throw new MixsmithError(
      'STAGE_INCOMPLETE',
      `materialize parts ${count === 0 ? 'are all' : `${missing.map((i) => `${i}/${count}`).join(', ')} are`} missing`,
      {
        where: { file: path.join(dir, 'materialize') },
        hint: 'run mixsmith materialize RECIPE --dir DIR --part j/M for every part first',
      },
    );
  }
  await refuseGuardedTarget(options.out, await composeReadPaths(loaded, await expandSources(loaded)), '--out');
  const staged = await stageDir(options.out, options.force ?? false);
  try {
    const scan = scanOf(loaded, selection);
    const selections = pointSelections(plan, selection);
    const files: WrittenFile[][] = [];
    const dirOf = (i: number) => (plan.isSweep ? path.join(staged.path, selections[i]!.point.name) : staged.path);
    for (let index = 1; index <= count; index++) {
      const partDir = materializeDir(dir, { index, count });
      const written = JSON.parse(await readFile(path.join(partDir, WRITTEN_FILE), 'utf8')) as Record<
        string,
        WrittenFile[]
      >;
      for (const p of pointsOfPart(selections.length, { index, count })) {
        files[p] = written[pointFolder(p)]!;
        const from = path.join(partDir, pointFolder(p));
        await mkdir(dirOf(p), { recursive: true });
        await copyTree(from, dirOf(p));
      }
    }
    if (recipe.output.target === 'openai')
      refuseOverOpenAiLimits(
        files,
        selections.map((s) => s.point.name),
        plan.isSweep,
      );
    await copyFile(removedFile(dir), path.join(staged.path, 'removed.jsonl'));
    const run = {
      startedAt: startedAt.toISOString(),
      finishedAt: clock().toISOString(),
      durationMs: {},
      inputBytes: scan.files.reduce((s, f) => s + f.bytes, 0),
      scanMBPerSecond: 0,
      staged: { mapParts: selection.mapParts, materializeParts: count, unicode: selection.unicode },
    };
    const manifests: Manifest[] = [];
    for (const [i, point] of selections.entries()) {
      const removed = {
        ...selection.removed,
        path: plan.isSweep ? `../${selection.removed.path}` : selection.removed.path,
      };
      const draft = buildManifest({
        recipe,
        scan,
        selection: point,
        isSweep: plan.isSweep,
        tokenMethod: options.tokenMethod,
        files: files[i]!,
        removed,
        filtered: { dropped: new Set(), ...selection.filtered },
        run,
        unicode: selection.unicode,
      });
      manifests.push(await writePointManifest(dirOf(i), draft, recipe.output.layouts));
    }
    const sweep: SweepIndex | null = plan.isSweep
      ? await writeSweepFiles(staged.path, manifests, recipe.output.layouts)
      : null;
    await staged.commit();
    return { out: path.resolve(options.out), manifests, sweep };
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

const _writeText = (file: string, text: string) =>
  writeFile(file, text).catch((cause: unknown) => {
    throw outputIoError(file, cause);
  });

/** Copy every file under `from` into `to` (parts stay as they are, so the final step can run again). */
async function copyTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(target, { recursive: true });
      await copyTree(source, target);
    } else await copyFile(source, target);
  }
}
