/**
 * The scan as the later stages read it, rebuilt from the facts parts' file list and the select
 * stage's per-source counters: what re-reading a record needs (each file's path, format, limits
 * and mapper) and what the manifest reports. Its candidate pools are empty; the select stage
 * fills them from fact rows when post-scan filters run (stages/stage-filters.ts).
 */
import path from 'node:path';
import { readLimitsOf } from '../io/read-limits.js';
import type { FieldMapping, LoadedRecipe, PresetName } from '../recipe/types.js';
import type { InputFileInfo, SourceStats } from '../records/facts/source-stats.js';
import { mapperFor, type RecordMapper } from '../records/map/schema-for.js';
import type { ScanResult } from '../select/scan.js';
import type { FactsFileInfo } from './facts-stage.js';

export interface StagedInputs {
  readonly files: readonly FactsFileInfo[];
  readonly sources: readonly Omit<SourceStats, 'files'>[];
}

export function scanOf(loaded: LoadedRecipe, inputs: StagedInputs): ScanResult {
  const files: InputFileInfo[] = inputs.files.map((f) => ({
    index: f.index,
    source: f.source,
    absolutePath: path.resolve(loaded.baseDir, f.displayPath),
    displayPath: f.displayPath,
    format: f.format,
    encoding: f.encoding,
    schema: f.schema,
    bytes: f.bytes,
    sha256: f.sha256,
    records: f.records,
    limits: readLimitsOf(loaded.recipe.sources.find((source) => source.name === f.source) ?? {}),
  }));
  const mappers = new Map<number, RecordMapper>();
  const mapperSchemas = new Map<number, PresetName | FieldMapping>();
  for (const f of inputs.files) {
    if (f.mapper === null) continue;
    mappers.set(f.index, mapperFor(f.mapper, undefined));
    mapperSchemas.set(f.index, f.mapper);
  }
  const sources: SourceStats[] = inputs.sources.map((s) => ({
    ...s,
    files: files.filter((f) => f.source === s.name),
  }));
  return { files, sources, groups: new Map(), mappers, mapperSchemas };
}
