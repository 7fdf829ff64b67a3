/**
 * `--eval SOURCE…` → the eval indexes. Each argument is one eval set: a file, a folder (every data
 * file under it) or `name=path` to name it; the name is what `contamination.<name>` rules use, and
 * what `--eval-schema name=MAPPING` maps.
 *
 * Items are read by the eval reader compose uses (`records/eval-items.ts`: an item is its question
 * and options, found by field-name rules or the set's mapping) into the index of `decontam/` with
 * its default settings (exact layer and n-gram overlap), under the id compose would cite
 * (`<set>:<file>:<line>`). Eval sets are small and held whole; the mixture is streamed.
 */
import path from 'node:path';
import { MixsmithError } from '../errors.js';
import { displayPathOf } from '../records/read/expand-paths.js';
import { DEFAULT_DECONTAM_SETTINGS } from '../decontam/defaults.js';
import { EvalIndex, type EvalSetIndexStats, type SharedEvalIndex } from '../decontam/eval-index.js';
import { readEvalSet } from '../records/eval-items.js';
import type { SchemaSpec } from '../recipe/types.js';
import { parseSchemaOption } from '../inspect/schema-option.js';
import { ExactEvalIndex } from './exact-eval-index.js';
import { withoutDataExtension } from '../records/read/input-formats.js';
import { folderDataFiles } from '../records/read/save-to-disk.js';
import { listFiles } from './list-files.js';
import { statTarget } from './locate.js';
import { type AuditSchema, bodyReaderFor, type BodyReader } from './record-body.js';
import { recordKeys, snippet } from './record-keys.js';

/** `name=path` → both; a bare path is named after its file or folder, without extensions. */
export function evalSpec(arg: string): { name: string; target: string } {
  const eq = arg.indexOf('=');
  if (eq > 0 && !arg.slice(0, eq).includes('/')) return { name: arg.slice(0, eq), target: arg.slice(eq + 1) };
  const base = path.basename(arg.replace(/[/\\]+$/, ''));
  return { name: withoutDataExtension(base) || base, target: arg };
}

/** `--eval-schema name=SCHEMA` arguments → eval set name → a preset, `auto` or a JSON mapping. */
export function evalSchemas(args: readonly string[]): Map<string, SchemaSpec> {
  const out = new Map<string, SchemaSpec>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0)
      throw new MixsmithError('USAGE', `--eval-schema ${arg}: expected NAME=SCHEMA`, {
        hint: 'e.g. --eval-schema medqa=\'{"turns":[{"role":"user","from":"question"}]}\' or --eval-schema chats=openai',
      });
    out.set(arg.slice(0, eq), parseSchemaOption(arg.slice(eq + 1)));
  }
  return out;
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
  /** `--eval-schema`: how to read a named eval set (default: the question-field rules). */
  readonly evalSchemas?: ReadonlyMap<string, SchemaSpec> | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** How the index took a set's items: items shorter than its minimum cannot match. */
export type EvalSetIndexing = EvalSetIndexStats;

/** The `--eval` sets as indexes the audit matches records against. */
export interface LoadedEvals {
  /** Exact content and prompt keys, a bit per set. */
  readonly exact: ExactEvalIndex;
  /** The n-gram index contamination is judged by (compose's rule and defaults), read from `shared`. */
  readonly ngram: EvalIndex;
  /** That index in shared memory, for worker threads; null when no set has an item. */
  readonly shared: SharedEvalIndex | null;
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
  let itemCount = 0;
  const texts = new Map<string, string>();
  const notes: string[] = [];
  const taken = new Set<string>();
  const schemas = options.evalSchemas ?? new Map<string, SchemaSpec>();
  for (const arg of args) {
    const spec = evalSpec(arg);
    const target = await statTarget(spec.target, options.cwd);
    // A folder by the rule every command shares (a save_to_disk split: the .arrow files its state.json lists).
    const files = target.isDirectory
      ? (
          await folderDataFiles(
            (await listFiles(target.absolute)).map((f) => path.join(target.absolute, ...f.split('/'))),
            options.cwd,
          )
        ).map((absolutePath) => ({
          absolutePath,
          displayPath: displayPathOf(absolutePath, options.cwd),
          walked: true,
        }))
      : [{ absolutePath: target.absolute, displayPath: displayPathOf(target.absolute, options.cwd) }];
    const name = uniqueName(spec.name, taken);
    const set = index.addSet(
      name,
      files.map((f) => f.displayPath),
    );
    let reader: BodyReader | undefined;
    const read = await readEvalSet({
      name,
      files,
      schema: schemas.get(name) ?? schemas.get(spec.name) ?? 'auto',
      onError: 'skip',
      signal: options.signal,
      onRecord: (item, record) => {
        // The content and prompt columns key the whole record, as the audited records are keyed.
        reader ??= bodyReaderFor(options.schema, record);
        let keys: ReturnType<typeof recordKeys>;
        try {
          keys = recordKeys(reader.toBody(record), true);
        } catch {
          keys = recordKeys({ kind: 'text', text: item.text }, true);
        }
        index.addItem(set, keys);
        itemCount++;
        ngram.add(item);
        texts.set(item.id, snippet(item.text));
      },
    });
    notes.push(...read.notes);
    if (read.skipped > 0) notes.push(`eval set ${name}: ${read.skipped} unreadable records were left out`);
  }
  for (const names of schemas.keys()) {
    if (!taken.has(names))
      throw new MixsmithError('USAGE', `--eval-schema ${names}: no --eval set has that name`, {
        hint: `eval sets: ${[...taken].join(', ') || 'none'}`,
      });
  }
  const stats = new Map(ngram.setStats().map((s) => [s.set, s]));
  const indexing = index.sets.map(
    (s) => stats.get(s.name) ?? { set: s.name, items: 0, indexed: 0, exact: 0, tooShort: 0, tooShortIds: [] },
  );
  for (const s of indexing) {
    if (s.tooShort > 0)
      notes.push(
        `eval set ${s.set}: ${s.tooShort} items are shorter than ${DEFAULT_DECONTAM_SETTINGS.minWordTokens} words (${DEFAULT_DECONTAM_SETTINGS.minCharTokens} CJK characters) and count only in the exact columns: ${s.tooShortIds.join(', ')}${s.tooShort > s.tooShortIds.length ? ', …' : ''}`,
      );
  }
  // Every thread, this one included, matches from one copy in shared memory.
  const shared = itemCount > 0 ? ngram.toShared() : null;
  return { exact: index, ngram: shared ? EvalIndex.fromShared(shared) : ngram, shared, indexing, texts, notes };
}
