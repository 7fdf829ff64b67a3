/**
 * `--eval SOURCE…` → the eval indexes. Each argument is one eval set: a file, a folder (every data
 * file under it) or `name=path` to name it; the name is what `contamination.<name>` rules use.
 *
 * Items are read as compose reads `decontaminate:` eval sets: with the presets, and records no
 * preset fits as every string value joined by newlines (question, options, answer); each item's
 * text goes into the n-gram index of `decontam/` with its default settings, under the id compose
 * would cite (`<set>:<file>:<line>`). Eval sets are small and held whole; the mixture is streamed.
 */
import path from 'node:path';
import { isMixsmithError, MixsmithError } from '../errors.js';
import { displayPathOf } from '../records/read/expand-paths.js';
import { DEFAULT_DECONTAM_SETTINGS } from '../decontam/defaults.js';
import { EvalIndex, type EvalItem } from '../decontam/eval-index.js';
import { originOf } from '../records/read/raw-record.js';
import { sampleText } from '../sample.js';
import { ExactEvalIndex } from './exact-eval-index.js';
import { type RecordPosition, readFileRecords } from './file-records.js';
import { isDataFileName, withoutDataExtension } from '../records/read/input-formats.js';
import { listFiles } from './list-files.js';
import { statTarget } from './locate.js';
import type { AuditSchema } from './record-body.js';
import type { SampleBody } from '../sample.js';
import { recordKeys, snippet } from './record-keys.js';

/** `name=path` → both; a bare path is named after its file or folder, without extensions. */
export function evalSpec(arg: string): { name: string; target: string } {
  const eq = arg.indexOf('=');
  if (eq > 0 && !arg.slice(0, eq).includes('/')) return { name: arg.slice(0, eq), target: arg.slice(eq + 1) };
  const base = path.basename(arg.replace(/[/\\]+$/, ''));
  return { name: withoutDataExtension(base) || base, target: arg };
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}-${i}`;
  taken.add(candidate);
  return candidate;
}

/** Where `--eval` paths are taken from and how their records are read. */
export interface LoadEvalsOptions {
  readonly cwd: string;
  readonly schema: AuditSchema;
  readonly signal?: AbortSignal | undefined;
}

/** How the n-gram index took a set's items: items shorter than its minimum cannot match. */
export interface EvalSetIndexing {
  readonly indexed: number;
  readonly tooShort: number;
}

/** The `--eval` sets as indexes the audit matches records against. */
export interface LoadedEvals {
  /** Exact content and prompt keys, a bit per set. */
  readonly exact: ExactEvalIndex;
  /** The n-gram index contamination is judged by (compose's rule and defaults). */
  readonly ngram: EvalIndex;
  /** The items `ngram` holds, in the order they were added: worker threads build their own copy. */
  readonly items: readonly EvalItem[];
  /** Per set, in `exact.sets` order. */
  readonly indexing: readonly EvalSetIndexing[];
  /** Eval item id → the start of its text, for example pairs. */
  readonly texts: ReadonlyMap<string, string>;
  readonly notes: readonly string[];
}

/** Read every `--eval` argument into the exact and n-gram indexes; notes say what was left out. */
export async function loadEvals(args: readonly string[], options: LoadEvalsOptions): Promise<LoadedEvals> {
  const index = new ExactEvalIndex();
  const ngram = new EvalIndex(DEFAULT_DECONTAM_SETTINGS);
  const items: EvalItem[] = [];
  const indexing: EvalSetIndexing[] = [];
  const texts = new Map<string, string>();
  const notes: string[] = [];
  const taken = new Set<string>();
  for (const arg of args) {
    const spec = evalSpec(arg);
    const target = await statTarget(spec.target, options.cwd);
    const files = target.isDirectory
      ? (await listFiles(target.absolute)).filter(isDataFileName).map((f) => ({ absolutePath: path.join(target.absolute, ...f.split('/')), walked: true }))
      : [{ absolutePath: target.absolute, walked: false }];
    const name = uniqueName(spec.name, taken);
    const set = index.addSet(name, files.map((f) => displayPathOf(f.absolutePath, options.cwd)));
    let invalid = 0;
    const counts = { indexed: 0, tooShort: 0 };
    const onRecord = (displayPath: string) => (_line: number, _value: unknown, body: SampleBody, _ordinal: number, position: RecordPosition) => {
      index.addItem(set, recordKeys(body, true));
      const id = `${name}:${originOf(displayPath, position)}`;
      const text = sampleText(body);
      const item = { set: name, id, text };
      items.push(item);
      if (ngram.add(item).indexed) counts.indexed++;
      else counts.tooShort++;
      texts.set(id, snippet(text));
    };
    for (const file of files) {
      if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
      const displayPath = displayPathOf(file.absolutePath, options.cwd);
      try {
        await readFileRecords(
          { absolutePath: file.absolutePath, displayPath },
          { schema: options.schema, signal: options.signal },
          { onRecord: onRecord(displayPath), onInvalid: () => invalid++ },
        );
      } catch (error) {
        if (!(file.walked && isMixsmithError(error) && error.code === 'INPUT_FORMAT')) throw error;
        notes.push(`eval set ${name}: skipped ${displayPath} (${error.message})`);
      }
    }
    if (invalid > 0) notes.push(`eval set ${name}: ${invalid} unreadable records were left out`);
    if (counts.tooShort > 0) notes.push(`eval set ${name}: ${counts.tooShort} items are shorter than ${DEFAULT_DECONTAM_SETTINGS.minWordTokens} words (${DEFAULT_DECONTAM_SETTINGS.minCharTokens} CJK characters) and count only in the exact columns`);
    indexing.push(counts);
  }
  return { exact: index, ngram, items, indexing, texts, notes };
}
