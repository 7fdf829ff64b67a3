/**
 * Evaluation results as runs: one run is what one evaluated model reported, task by task. Three
 * formats are read, told apart by their content, never by a guess at what a number means:
 *
 * - lm-evaluation-harness JSON (`results_<date>.json`, or `results.json` from older versions):
 *   `results.<task>.<metric>,<filter>` with `<metric>_stderr,<filter>` beside it (a number, or
 *   "N/A" when none was computed), the model in `model_name` or `config.model_args`
 *   (`pretrained=…`), and `higher_is_better.<task>.<metric>`. A metric under the filter `none` is
 *   named by its plain name (`acc`); under any other filter as the harness writes it
 *   (`exact_match,strict-match`).
 * - OpenCompass summary CSV: `dataset, version, metric, mode, <one column per model>`; `-` is no
 *   value. Each model column is one run.
 * - plain CSV or JSONL: `point, task, metric, value[, stderr]`, rows for any number of points; the
 *   point is named by the file itself.
 *
 * A folder is searched for lm-evaluation-harness files (`results*.json`, at any depth), which is
 * how the harness lays out `--output_path`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MixsmithError } from '../errors.js';

export type ResultsFormat = 'lm-eval' | 'opencompass' | 'plain';

export interface ResultValue {
  readonly task: string;
  readonly metric: string;
  readonly value: number;
  readonly stderr: number | null;
}

export interface ResultRun {
  /** How to name the run in a message: the file, and the model column or point inside it. */
  readonly source: string;
  /** The file, as given (or found inside a folder given). */
  readonly file: string;
  readonly format: ResultsFormat;
  /** The model name the file gives (lm-eval `model_name` / `pretrained=`, an OpenCompass column), or null. */
  readonly model: string | null;
  /** The point the file itself names (plain format), or null. */
  readonly point: string | null;
  readonly values: readonly ResultValue[];
  /** task → metric → whether higher is better, where the file says (lm-eval). */
  readonly higherIsBetter: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function formatError(file: string, message: string, line?: number): MixsmithError {
  return new MixsmithError('RESULTS_FORMAT', `${file}: ${message}`, {
    where: line === undefined ? { file } : { file, line },
    hint: 'give lm-evaluation-harness results*.json (or its --output_path folder), an OpenCompass summary CSV (dataset,version,metric,mode,<models>) or a CSV/JSONL with point,task,metric,value[,stderr]',
  });
}

/** A number from a JSON or CSV cell; null for "N/A", "-", "" and anything else that is not finite. */
function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : null;
}

/** The model an lm-eval results file describes: `model_name`, else `pretrained=` of `config.model_args`. */
function lmEvalModel(data: Record<string, unknown>): string | null {
  if (typeof data.model_name === 'string' && data.model_name !== '') return data.model_name;
  const config = isObject(data.config) ? data.config : {};
  const args = config.model_args;
  if (isObject(args) && typeof args.pretrained === 'string') return args.pretrained;
  if (typeof args === 'string') {
    const pretrained = /(?:^|,)\s*pretrained=([^,]+)/.exec(args);
    if (pretrained) return pretrained[1]!.trim();
    if (args.trim() !== '') return args.trim();
  }
  return null;
}

export function parseLmEval(file: string, data: unknown): ResultRun {
  if (!isObject(data) || !isObject(data.results))
    throw formatError(
      file,
      'is JSON but has no "results" object (lm-evaluation-harness writes results.<task>.<metric>,<filter>)',
    );
  const values: ResultValue[] = [];
  for (const [task, entry] of Object.entries(data.results)) {
    if (!isObject(entry)) continue;
    for (const [key, raw] of Object.entries(entry)) {
      const comma = key.indexOf(',');
      if (comma < 0) continue; // alias, name, sample_len, …
      const name = key.slice(0, comma);
      const filter = key.slice(comma + 1);
      if (name.endsWith('_stderr')) continue;
      const value = numberOf(raw);
      if (value === null) continue;
      const stderr = numberOf(entry[`${name}_stderr,${filter}`]);
      values.push({ task, metric: filter === 'none' ? name : key, value, stderr });
    }
  }
  const higherIsBetter: Record<string, Record<string, boolean>> = {};
  if (isObject(data.higher_is_better)) {
    for (const [task, metrics] of Object.entries(data.higher_is_better)) {
      if (!isObject(metrics)) continue;
      higherIsBetter[task] = Object.fromEntries(
        Object.entries(metrics).filter(([, v]) => typeof v === 'boolean'),
      ) as Record<string, boolean>;
    }
  }
  return { source: file, file, format: 'lm-eval', model: lmEvalModel(data), point: null, values, higherIsBetter };
}

/** RFC 4180 CSV: quoted cells may hold commas, quotes ("") and newlines. Rows with their first line number. */
export function parseCsv(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((x) => x.trim() !== '')) rows.push({ cells, line: rowLine });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  cells.push(cell);
  if (cells.some((x) => x.trim() !== '')) rows.push({ cells, line: rowLine });
  return rows;
}

const OPENCOMPASS_HEAD = ['dataset', 'version', 'metric', 'mode'];
const PLAIN_COLUMNS = ['point', 'task', 'metric', 'value'];

function parseOpenCompass(file: string, rows: { cells: string[]; line: number }[]): ResultRun[] {
  const header = rows[0]!.cells.map((c) => c.trim());
  const models = header.slice(4);
  if (models.length === 0) throw formatError(file, 'is an OpenCompass summary without a model column', rows[0]!.line);
  return models.map((model, m) => {
    const values: ResultValue[] = [];
    for (const row of rows.slice(1)) {
      const value = numberOf(row.cells[4 + m]);
      if (value === null) continue; // "-": not evaluated
      values.push({ task: row.cells[0]!.trim(), metric: (row.cells[2] ?? '').trim(), value, stderr: null });
    }
    return {
      source: `${file} (model column "${model}")`,
      file,
      format: 'opencompass',
      model,
      point: null,
      values,
      higherIsBetter: {},
    };
  });
}

interface PlainRow {
  readonly point: string;
  readonly task: string;
  readonly metric: string;
  readonly value: number;
  readonly stderr: number | null;
}

/** Plain rows grouped into one run per point, in the order points first appear. */
function plainRuns(file: string, rows: readonly PlainRow[]): ResultRun[] {
  const byPoint = new Map<string, ResultValue[]>();
  for (const r of rows)
    byPoint.set(r.point, [
      ...(byPoint.get(r.point) ?? []),
      { task: r.task, metric: r.metric, value: r.value, stderr: r.stderr },
    ]);
  return [...byPoint].map(([point, values]) => ({
    source: `${file} (point "${point}")`,
    file,
    format: 'plain',
    model: null,
    point,
    values,
    higherIsBetter: {},
  }));
}

function plainRow(file: string, get: (key: string) => unknown, line: number): PlainRow {
  const text = (key: string) => {
    const v = get(key);
    return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
  };
  for (const key of ['point', 'task', 'metric'])
    if (text(key) === '') throw formatError(file, `has no "${key}" on this row`, line);
  const value = numberOf(get('value'));
  if (value === null)
    throw formatError(
      file,
      `has no number in "value" on this row (point ${text('point')}, task ${text('task')})`,
      line,
    );
  return { point: text('point'), task: text('task'), metric: text('metric'), value, stderr: numberOf(get('stderr')) };
}

function parseCsvResults(file: string, text: string): ResultRun[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw formatError(file, 'is empty');
  const header = rows[0]!.cells.map((c) => c.trim().toLowerCase());
  if (OPENCOMPASS_HEAD.every((h, i) => header[i] === h)) return parseOpenCompass(file, rows);
  if (PLAIN_COLUMNS.every((h) => header.includes(h))) {
    return plainRuns(
      file,
      rows
        .slice(1)
        .map((row) =>
          plainRow(file, (key) => (header.includes(key) ? row.cells[header.indexOf(key)] : undefined), row.line),
        ),
    );
  }
  throw formatError(
    file,
    `has the header "${rows[0]!.cells.join(',')}": neither OpenCompass (dataset,version,metric,mode,<models>) nor point,task,metric,value[,stderr]`,
    rows[0]!.line,
  );
}

function parseJsonl(file: string, text: string): ResultRun[] {
  const rows: PlainRow[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw formatError(
        file,
        `line ${i + 1} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        i + 1,
      );
    }
    if (!isObject(value))
      throw formatError(file, `line ${i + 1} is not an object with point, task, metric, value`, i + 1);
    rows.push(plainRow(file, (key) => value[key], i + 1));
  }
  return plainRuns(file, rows);
}

/** The runs of one file, by its content (JSON: lm-eval; JSONL: plain; CSV: OpenCompass or plain). */
export function parseResultsText(file: string, text: string): ResultRun[] {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl') return parseJsonl(file, text);
  if (ext === '.csv') return parseCsvResults(file, text);
  if (ext === '.json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw formatError(file, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    return [parseLmEval(file, data)];
  }
  throw formatError(
    file,
    `has the extension "${ext}"; results are read from .json (lm-evaluation-harness), .csv or .jsonl`,
  );
}

/** lm-evaluation-harness result files inside a folder, at any depth, in sorted order. */
async function lmEvalFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await lmEvalFilesIn(full)));
    else if (/^results.*\.json$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Every run of every path given (files, or folders holding lm-evaluation-harness output). */
export async function readResults(paths: readonly string[]): Promise<ResultRun[]> {
  const runs: ResultRun[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info)
      throw new MixsmithError('INPUT_NOT_FOUND', `the results path ${given} does not exist`, {
        where: { file: given },
        hint: 'check the path',
      });
    const files = info.isDirectory() ? await lmEvalFilesIn(given) : [given];
    if (files.length === 0) throw formatError(given, 'is a folder without any lm-evaluation-harness results*.json');
    for (const file of files) {
      const text = await readFile(file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
        throw new MixsmithError('INPUT_IO', `cannot read ${file}: ${cause.code ?? String(cause)}`, {
          where: { file },
          cause,
        });
      });
      runs.push(...parseResultsText(file, text));
    }
  }
  return runs;
}
