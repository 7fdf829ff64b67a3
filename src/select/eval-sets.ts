/**
 * Read the recipe's eval sets (any format and schema the readers support) into the index that
 * decontamination matches training samples against. Eval sets are small; they are read whole into
 * the index, never into the mixture. An eval record no preset fits is taken as all its string
 * values joined (question, options, answer), which is what overlap should be measured against.
 */
import { MixsmithError } from '../errors.js';
import { detectFormat } from '../records/read/detect-format.js';
import { expandPaths } from '../records/read/expand-paths.js';
import { originOf } from '../records/read/raw-record.js';
import { readRecords } from '../records/read/read-records.js';
import type { LoadedRecipe, SourceSpec } from '../recipe/types.js';
import { sampleText } from '../sample.js';
import { RecordError } from '../records/map/record-error.js';
import { detectPreset, mapperFor } from '../records/map/schema-for.js';
import { parseRecord } from '../records/facts/analyze-record.js';
import { buildEvalMatcher } from './eval-matcher.js';
import type { EvalMatcher } from './filter-candidates.js';

export interface EvalItem {
  /** The eval set's name. */
  readonly set: string;
  /** `<eval set name>:<origin>`, the id removed.jsonl cites. */
  readonly id: string;
  readonly text: string;
}

function stringLeaves(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) stringLeaves(v, out);
  return out;
}

function itemText(spec: SourceSpec, value: unknown): string {
  if (spec.schema === 'auto' && !detectPreset(value)) return stringLeaves(value, []).join('\n');
  return sampleText(mapperFor(spec.schema, value).toBody(value));
}

export async function readEvalItems(loaded: LoadedRecipe, spec: SourceSpec, signal?: AbortSignal): Promise<EvalItem[]> {
  const items: EvalItem[] = [];
  for (const file of await expandPaths(spec.path, loaded.baseDir, spec.name)) {
    const format = await detectFormat(file.absolutePath, file.displayPath, spec.format);
    for await (const batch of readRecords(file.absolutePath, { format, encoding: spec.encoding, displayPath: file.displayPath, signal })) {
      for (const raw of batch) {
        try {
          items.push({ set: spec.name, id: `${spec.name}:${originOf(file.displayPath, raw)}`, text: itemText(spec, parseRecord(raw)) });
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          if (spec.on_error === 'fail') {
            throw new MixsmithError(error.code, `eval set "${spec.name}": ${error.message}`, { where: { file: file.displayPath, line: raw.line }, hint: error.hint ?? 'fix the record, or set on_error: skip on the eval set' });
          }
        }
      }
    }
  }
  if (items.length === 0) throw new MixsmithError('INPUT_EMPTY', `eval set "${spec.name}" holds no records`, { where: { file: spec.path[0] ?? spec.name } });
  return items;
}

export async function loadEvalSets(loaded: LoadedRecipe, options: { signal?: AbortSignal | undefined } = {}): Promise<EvalMatcher | undefined> {
  const spec = loaded.recipe.decontaminate;
  if (!spec) return undefined;
  const items: EvalItem[] = [];
  for (const evalSet of spec.eval) for (const item of await readEvalItems(loaded, evalSet, options.signal)) items.push(item);
  return buildEvalMatcher(items, spec);
}
