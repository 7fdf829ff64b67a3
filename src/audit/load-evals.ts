/**
 * `--eval SOURCE…` → an `EvalIndex`. Each argument is one eval set: a file, a folder (every data
 * file under it) or `name=path` to name it; the name is what `contamination.<name>` rules use.
 */
import path from 'node:path';
import { isMixsmithError, MixsmithError } from '../errors.js';
import { displayPathOf } from '../io/expand-paths.js';
import { EvalIndex } from './eval-index.js';
import { readFileRecords } from './file-records.js';
import { listFiles, looksLikeData } from './list-files.js';
import { statTarget } from './locate.js';
import type { AuditSchema } from './record-body.js';
import { recordKeys } from './record-keys.js';

/** `name=path` → both; a bare path is named after its file or folder, without extensions. */
export function evalSpec(arg: string): { name: string; target: string } {
  const eq = arg.indexOf('=');
  if (eq > 0 && !arg.slice(0, eq).includes('/')) return { name: arg.slice(0, eq), target: arg.slice(eq + 1) };
  const base = path.basename(arg.replace(/[/\\]+$/, ''));
  return { name: base.replace(/(\.(jsonl|ndjson|json|parquet|csv|tsv|txt))?(\.(gz|zst))?$/i, '') || base, target: arg };
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}-${i}`;
  taken.add(candidate);
  return candidate;
}

export interface LoadEvalsOptions {
  readonly cwd: string;
  readonly schema: AuditSchema;
  readonly signal?: AbortSignal | undefined;
}

export async function loadEvals(args: readonly string[], options: LoadEvalsOptions): Promise<{ index: EvalIndex; notes: string[] }> {
  const index = new EvalIndex();
  const notes: string[] = [];
  const taken = new Set<string>();
  for (const arg of args) {
    const spec = evalSpec(arg);
    const target = await statTarget(spec.target, options.cwd);
    const files = target.isDirectory
      ? (await listFiles(target.absolute)).filter(looksLikeData).map((f) => ({ absolutePath: path.join(target.absolute, ...f.split('/')), walked: true }))
      : [{ absolutePath: target.absolute, walked: false }];
    const name = uniqueName(spec.name, taken);
    const set = index.addSet(name, files.map((f) => displayPathOf(f.absolutePath, options.cwd)));
    let invalid = 0;
    for (const file of files) {
      if (options.signal?.aborted) throw new MixsmithError('INTERRUPTED', 'interrupted');
      const displayPath = displayPathOf(file.absolutePath, options.cwd);
      try {
        await readFileRecords(
          { absolutePath: file.absolutePath, displayPath },
          { schema: options.schema, signal: options.signal },
          { onRecord: (_line, _value, body) => index.addItem(set, recordKeys(body, true)), onInvalid: () => invalid++ },
        );
      } catch (error) {
        if (!(file.walked && isMixsmithError(error) && error.code === 'INPUT_FORMAT')) throw error;
        notes.push(`eval set ${name}: skipped ${displayPath} (${error.message})`);
      }
    }
    if (invalid > 0) notes.push(`eval set ${name}: ${invalid} unreadable records were left out`);
  }
  return { index, notes };
}
