/**
 * The select stage: every facts part → the selection of every point, by SQL on DuckDB
 * (select/sql/: the statements that test/select/sql-select.test.ts holds equal to
 * selectFromFacts), plus what the scan counts for the manifest — per source read, invalid,
 * filtered, duplicates, cross-group duplicates, available — and removed.jsonl (invalid, filtered
 * and exact-duplicate records, in scan order, as compose logs them).
 *
 * The parts are checked before anything is read: all of 1..N present, one recipe and plan, one
 * Unicode version (keys of different versions must never meet in one selection). Scan order over
 * all parts is (part, row): parts hold contiguous runs of the scan-ordered files. The database
 * is a file in a temporary folder under the working folder, so DuckDB spills past memory.
 *
 * Output: removed.jsonl, then selection.json (written last, through a temporary: the stage is
 * done when it exists, and a rerun skips it).
 */

import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError, type Where } from '../errors.js';
import { type LoggedFile, RemovalLog } from '../io/removal-log.js';
import type { MixturePlan } from '../plan/plan.js';
import type { LoadedRecipe } from '../recipe/types.js';
import { sourcesInScanOrder } from '../records/facts/fact-rows.js';
import { MAX_ERROR_EXAMPLES, newSourceStats, type SourceStats } from '../records/facts/source-stats.js';
import { originOf, placeOf } from '../records/read/raw-record.js';
import { refuseEmptyTraining } from '../select/empty-training.js';
import type { GroupSelection, SplitName } from '../select/select.js';
import { DuckDbEngine } from '../select/sql/duckdb-engine.js';
import { type SqlPointSelection, selectWithSql } from '../select/sql/select-sql.js';
import { literal, REMOVED_DDL } from '../select/sql/selection-sql.js';
import { FACT_KIND, type FactsFileInfo, type FactsPartMeta } from './facts-stage.js';
import { filterStagedCandidates, hasPostScanFilters, NO_FILTERS, type StagedFilterResult } from './stage-filters.js';
import { scanOf } from './staged-scan.js';
import {
  factsDir,
  factsFile,
  type PartSpec,
  partName,
  removedFile,
  STAGES_VERSION,
  selectionFile,
  stageDigest,
  temporaryOf,
  writeWhole,
} from './stage-dir.js';

/** A chosen record: [fileIndex, line, key, ranks, offset, length, chars, tokens, crc32]. */
export type StagedCandidate = [number, number, string, string, number, number, number, number, number];
/** A placed record: [candidate index, split (0 train, 1 validation), position, copy, group]. */
export type StagedPlacement = [number, 0 | 1, number, number, string];

export interface StagedPoint {
  readonly groups: readonly GroupSelection[];
  readonly rows: Readonly<Record<SplitName, number>>;
  readonly records: readonly StagedPlacement[];
}

/** selection.json: all the later stages need, as plain data. */
export interface StagedSelection {
  readonly stagesVersion: number;
  readonly recipeSha256: string;
  readonly planSha256: string;
  readonly unicode: string;
  readonly mapParts: number;
  readonly files: readonly FactsFileInfo[];
  readonly sources: readonly Omit<SourceStats, 'files'>[];
  readonly removed: LoggedFile;
  /** What near-duplicate removal and decontamination removed and reported (empty without them). */
  readonly filtered: StagedFilterResult;
  readonly candidates: readonly StagedCandidate[];
  readonly points: readonly StagedPoint[];
}

const stageError = (code: 'STAGE_MISMATCH' | 'STAGE_INCOMPLETE', message: string, where: Where, hint: string) =>
  new MixsmithError(code, message, { where, hint });

/** The facts parts in `dir`, checked to be one complete, consistent set for this recipe; in part order. */
export async function readFactsParts(
  dir: string,
  loaded: LoadedRecipe,
  plan: MixturePlan,
  engine: DuckDbEngine,
): Promise<{ files: string[]; metas: FactsPartMeta[] }> {
  const names = (await readdir(factsDir(dir)).catch(() => [] as string[])).filter((n) =>
    /^part-\d{5}-of-\d{5}\.parquet$/.test(n),
  );
  if (names.length === 0) {
    throw stageError(
      'STAGE_INCOMPLETE',
      'no facts part in this folder',
      { file: factsDir(dir) },
      'run mixsmith facts RECIPE --dir DIR --part i/N for every part first',
    );
  }
  const count = Number(/of-(\d{5})/.exec(names.sort()[0]!)![1]);
  const expected = stageDigest(loaded.recipe, plan);
  const files: string[] = [];
  const metas: FactsPartMeta[] = [];
  for (let index = 1; index <= count; index++) {
    const part: PartSpec = { index, count };
    const file = factsFile(dir, part);
    if (!existsSync(file)) {
      const missing = Array.from({ length: count }, (_, i) => i + 1).filter(
        (i) => !existsSync(factsFile(dir, { index: i, count })),
      );
      throw stageError(
        'STAGE_INCOMPLETE',
        `facts parts ${missing.map((i) => `${i}/${count}`).join(', ')} are missing (${names.length} of ${count} there)`,
        { file: factsDir(dir) },
        `run mixsmith facts RECIPE --dir DIR --part ${missing[0]}/${count} (and the others) first`,
      );
    }
    const text = (await engine.parquetMetadata(file)).mixsmith;
    const meta = text === undefined ? undefined : (JSON.parse(text) as FactsPartMeta);
    const where = { file };
    if (!meta || meta.stagesVersion !== STAGES_VERSION) {
      throw stageError(
        'STAGE_MISMATCH',
        `not a facts part of this mixsmith (stages version ${meta?.stagesVersion ?? 'none'}, expected ${STAGES_VERSION})`,
        where,
        'remove the folder and run the facts stage again with this version',
      );
    }
    if (meta.recipeSha256 !== expected.recipeSha256 || meta.planSha256 !== expected.planSha256) {
      throw stageError(
        'STAGE_MISMATCH',
        `facts part ${partName(part)} was made from another recipe or plan (recipe sha256 ${meta.recipeSha256.slice(0, 12)}…, this recipe ${expected.recipeSha256.slice(0, 12)}…)`,
        where,
        'use a new --dir for a changed recipe (or --set), or remove the old parts',
      );
    }
    if (meta.part.count !== count || meta.part.index !== index) {
      throw stageError(
        'STAGE_MISMATCH',
        `facts part ${partName(part)} says it is part ${meta.part.index}/${meta.part.count}`,
        where,
        'do not rename facts parts; remove the folder and run the facts stage again',
      );
    }
    if (metas.length > 0 && meta.unicode !== metas[0]!.unicode) {
      throw stageError(
        'STAGE_MISMATCH',
        `facts part ${partName(part)} holds keys of Unicode ${meta.unicode}, part ${partName({ index: 1, count })} of Unicode ${metas[0]!.unicode}: content keys depend on the Unicode tables of the Node that computed them, so parts of different versions cannot be mixed`,
        where,
        'run every facts part with the same Node build (the same process.versions.unicode), e.g. one container image on every node, then select again',
      );
    }
    files.push(file);
    metas.push(meta);
  }
  return { files, metas };
}

export interface SelectOptions {
  readonly dir: string;
  readonly plan: MixturePlan;
}

/** Run the select stage over the parts in `options.dir`; skipped when selection.json exists. */
export async function runSelectStage(
  loaded: LoadedRecipe,
  options: SelectOptions,
): Promise<{ written: boolean; warnings: readonly string[] }> {
  const { dir, plan } = options;
  const { recipe } = loaded;
  if (existsSync(selectionFile(dir))) return { written: false, warnings: [] };
  const work = temporaryOf(path.join(dir, 'select'));
  await mkdir(work, { recursive: true });
  const engine = await DuckDbEngine.open(path.join(work, 'select.duckdb'));
  const removedTemp = temporaryOf(removedFile(dir));
  const log = new RemovalLog(removedTemp, 'removed.jsonl');
  try {
    const { files: partFiles, metas } = await readFactsParts(dir, loaded, plan, engine);
    const files = joinPieces(metas.flatMap((m) => m.files));
    if (files.length !== metas[0]!.fileCount || files.some((f, i) => f.index !== i)) {
      throw stageError(
        'STAGE_MISMATCH',
        `the facts parts hold ${files.length} input files, the recipe's inputs were ${metas[0]!.fileCount} when the parts were made`,
        { file: factsDir(dir) },
        'the inputs changed between facts parts: remove the folder and run the facts stage again',
      );
    }
    await engine.run('CREATE TABLE files (file_index INTEGER, grp VARCHAR, source VARCHAR)');
    await engine.appendRows(
      'files',
      ['INTEGER', 'VARCHAR', 'VARCHAR'],
      files.map((f) => [f.index, f.group, f.source]),
    );
    // Scan order is (part, row): a part's rows follow every row of the parts before it, so `seq`
    // is the part's first place plus its row (no sort of all rows).
    let first = 0;
    const union: string[] = [];
    for (const file of partFiles) {
      union.push(`SELECT ${first} + "row" AS seq, * FROM read_parquet(${literal(file)})`);
      first += Number((await engine.query(`SELECT count(*) AS n FROM read_parquet(${literal(file)})`))[0]!.n);
    }
    await engine.run(
      `CREATE TABLE all_rows AS SELECT u.*, f.grp, f.source FROM (${union.join(' UNION ALL ')}) u JOIN files f USING (file_index)`,
    );
    const dedup = recipe.dedup.exact;
    await engine.run(
      dedup
        ? `CREATE TABLE owners AS SELECT key, min(seq) AS owner_seq FROM all_rows WHERE kind = ${FACT_KIND.keyed} GROUP BY key`
        : `CREATE TABLE owners AS SELECT key, seq AS owner_seq FROM all_rows WHERE kind = ${FACT_KIND.keyed}`,
    );

    const sources = sourceStats(loaded, files);
    await log.begin();
    await logRemovals(engine, files, sources, loaded, log, dedup);
    for (const row of await engine.query(
      `SELECT r.file_index, count(*) AS n FROM all_rows r JOIN owners w ON w.owner_seq = r.seq GROUP BY r.file_index`,
    )) {
      sources.get(files[Number(row.file_index)]!.source)!.available += Number(row.n);
    }
    for (const stats of sources.values()) {
      if (stats.read > 0) continue;
      const first = files.find((f) => f.source === stats.name);
      throw new MixsmithError('INPUT_EMPTY', `source "${stats.name}" holds no records`, {
        where: { file: first?.displayPath ?? stats.name },
        hint: 'check that the file is not empty and that the path points at the data you meant',
      });
    }

    // Near duplicates and contaminated samples: compose's filter over compose's candidates; the
    // records it removed follow the scan's in removed.jsonl, as compose writes them.
    const filters = hasPostScanFilters(loaded)
      ? await filterStagedCandidates(
          engine,
          loaded,
          plan,
          scanOf(loaded, { files, sources: [...sources.values()] }),
          files,
        )
      : null;
    for (const removal of filters?.filtered.removals ?? []) log.write(removal);
    const removed = await log.close();
    if (filters) {
      await engine.run(REMOVED_DDL);
      await engine.appendRows(
        'removed_keys',
        ['VARCHAR'],
        filters.removedKeys.map((key) => [key]),
      );
    }
    await engine.run(
      `CREATE TABLE facts AS SELECT seq, key, ranks, grp, file_index, line, chars, tokens, source FROM all_rows WHERE kind = ${FACT_KIND.keyed}`,
    );
    const selections = await selectWithSql(engine, plan, recipe, { removedKeys: filters !== null });
    refuseEmptyTraining(selections);
    const { candidates, points } = await placements(engine, selections);
    await rename(removedTemp, removedFile(dir));
    const selection: StagedSelection = {
      stagesVersion: STAGES_VERSION,
      ...stageDigest(recipe, plan),
      unicode: metas[0]!.unicode,
      mapParts: metas.length,
      files,
      sources: [...sources.values()].map(({ files: _files, ...rest }) => rest),
      removed,
      filtered: filters?.filtered ?? NO_FILTERS,
      candidates,
      points,
    };
    await writeWhole(selectionFile(dir), JSON.stringify(selection));
    return { written: true, warnings: selection.filtered.warnings };
  } finally {
    await log.abort();
    engine.close();
    await rm(work, { recursive: true, force: true });
    await rm(removedTemp, { force: true });
  }
}

/**
 * The parts' file lists with the pieces of a file read in pieces joined into one entry, as the
 * scan describes the whole file: records summed, size and sha256 from the first piece, the mapper
 * of the first piece that decided one. The pieces must cover the file, in order, from its start.
 */
export function joinPieces(infos: readonly FactsFileInfo[]): FactsFileInfo[] {
  const joined: FactsFileInfo[] = [];
  for (let i = 0; i < infos.length; ) {
    const first = infos[i]!;
    let end = i + 1;
    while (end < infos.length && infos[end]!.index === first.index) end++;
    const pieces = infos.slice(i, end);
    i = end;
    if (pieces.length === 1 && !first.piece) {
      joined.push(first);
      continue;
    }
    let covered = 0;
    for (const piece of pieces) {
      if (piece.piece?.from !== covered) {
        throw stageError(
          'STAGE_MISMATCH',
          `the facts parts do not cover ${first.displayPath} once, in order (a piece from byte ${piece.piece?.from ?? 0} after byte ${covered})`,
          { file: first.displayPath },
          'the inputs changed between facts parts, or parts of different part counts were mixed: remove the folder and run the facts stage again',
        );
      }
      covered = piece.piece.to;
    }
    const { total, unit } = first.piece!;
    if (covered !== total || pieces.some((p) => p.piece?.total !== total || p.piece.unit !== unit)) {
      throw stageError(
        'STAGE_MISMATCH',
        `the facts parts cover ${covered} of the ${total} ${unit} of ${first.displayPath}`,
        { file: first.displayPath },
        'the inputs changed between facts parts: remove the folder and run the facts stage again',
      );
    }
    const decided = pieces.find((p) => p.mapper !== null) ?? first;
    const { piece: _piece, ...whole } = first;
    joined.push({
      ...whole,
      schema: decided.schema,
      mapper: decided.mapper,
      records: pieces.reduce((sum, p) => sum + p.records, 0),
    });
  }
  return joined;
}

/** Per source, the scan's counters, from the parts' file lists (read) — the rest fills in from the rows. */
function sourceStats(loaded: LoadedRecipe, files: readonly FactsFileInfo[]): Map<string, SourceStats> {
  const stats = new Map<string, SourceStats>();
  for (const source of sourcesInScanOrder(loaded)) stats.set(source.name, newSourceStats(source.name, source.group));
  for (const file of files) stats.get(file.source)!.read += file.records;
  return stats;
}

/**
 * Every record without a place in the selection's input — invalid, filtered, a later copy of a
 * key — in scan order: counted per source as the scan counts them, and written to removed.jsonl.
 */
async function logRemovals(
  engine: DuckDbEngine,
  files: readonly FactsFileInfo[],
  sources: Map<string, SourceStats>,
  loaded: LoadedRecipe,
  log: RemovalLog,
  dedup: boolean,
): Promise<void> {
  const specs = new Map(loaded.recipe.sources.map((s) => [s.name, s]));
  // Plain equi-joins (hash joins): rows without a key have key '' and no owner.
  const rows = engine.stream(
    `SELECT r.kind, r.file_index, r.line, r.note, r.detail, o.file_index AS owner_file, o.line AS owner_line, o.grp AS owner_grp
     FROM all_rows r
     LEFT JOIN owners w ON w.key = r.key
     LEFT JOIN all_rows o ON o.seq = w.owner_seq
     WHERE r.kind <> ${FACT_KIND.keyed}${dedup ? ' OR w.owner_seq <> r.seq' : ''}
     ORDER BY r.seq`,
  );
  for await (const row of rows) {
    const file = files[Number(row.file_index)]!;
    const stats = sources.get(file.source)!;
    const place = placeOf(file.format, Number(row.line));
    const origin = originOf(file.displayPath, place);
    const base = { origin, source: file.source, group: file.group };
    const kind = Number(row.kind);
    if (kind === FACT_KIND.filtered) {
      const reason = String(row.note);
      stats.filtered[reason] = (stats.filtered[reason] ?? 0) + 1;
      log.write({ ...base, reason: 'filtered', matched: reason, similarity: 0 });
    } else if (kind === FACT_KIND.invalid) {
      const code = String(row.note);
      stats.invalid++;
      stats.invalidByCode[code] = (stats.invalidByCode[code] ?? 0) + 1;
      if (stats.invalidExamples.length < MAX_ERROR_EXAMPLES) stats.invalidExamples.push(String(row.detail));
      log.write({ ...base, reason: 'invalid', matched: code, similarity: 0 });
      const spec = specs.get(file.source)!;
      if (spec.max_errors !== null && stats.invalid > spec.max_errors) {
        throw new MixsmithError(
          'INPUT_TOO_MANY_ERRORS',
          `source "${file.source}" has more than max_errors = ${spec.max_errors} bad records`,
          { where: { file: file.displayPath, ...place }, hint: `first problems: ${stats.invalidExamples.join('; ')}` },
        );
      }
    } else {
      if (String(row.owner_grp) === file.group) stats.duplicates++;
      else stats.crossGroupDuplicates++;
      const first = files[Number(row.owner_file)]!;
      const matched = originOf(first.displayPath, placeOf(first.format, Number(row.owner_line)));
      log.write({ ...base, reason: 'dup-exact', matched, similarity: 1 });
    }
  }
}

/** The chosen records once each (with what re-reading them needs), and each point's placements of them. */
async function placements(
  engine: DuckDbEngine,
  selections: readonly SqlPointSelection[],
): Promise<{ candidates: StagedCandidate[]; points: StagedPoint[] }> {
  const index = new Map<string, number>();
  const chosen: [number, number][] = [];
  for (const selection of selections)
    for (const r of selection.records) {
      const id = `${r.fileIndex}:${r.line}`;
      if (index.has(id)) continue;
      index.set(id, chosen.length);
      chosen.push([r.fileIndex, r.line]);
    }
  await engine.run('CREATE TABLE chosen (n BIGINT, file_index INTEGER, line BIGINT)');
  await engine.appendRows(
    'chosen',
    ['BIGINT', 'INTEGER', 'BIGINT'],
    chosen.map(([f, l], n) => [n, f, l]),
  );
  const candidates: StagedCandidate[] = new Array(chosen.length);
  for (const row of await engine.query(
    `SELECT c.n, c.file_index, c.line, r.key, r.ranks, r."offset", r.length, r.chars, r.tokens, r.crc32
     FROM chosen c JOIN all_rows r ON r.kind = ${FACT_KIND.keyed} AND r.file_index = c.file_index AND r.line = c.line`,
  )) {
    candidates[Number(row.n)] = [
      Number(row.file_index),
      Number(row.line),
      String(row.key),
      String(row.ranks),
      Number(row.offset),
      Number(row.length),
      Number(row.chars),
      Number(row.tokens),
      Number(row.crc32),
    ];
  }
  const points = selections.map((s) => ({
    groups: s.groups,
    rows: s.rows,
    records: s.records.map(
      (r): StagedPlacement => [
        index.get(`${r.fileIndex}:${r.line}`)!,
        r.split === 'train' ? 0 : 1,
        r.position,
        r.copy,
        r.group,
      ],
    ),
  }));
  return { candidates, points };
}
