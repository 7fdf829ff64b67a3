/**
 * The one reader of eval sets, for compose's `decontaminate.eval` and audit's `--eval`: each record
 * becomes an item whose matchable text is its prompt, the question (plus its options for multiple
 * choice), never every string of the record. Eval files carry far more than the question (contexts,
 * long answers, MeSH terms, an index column), while a leaked copy in training holds the question;
 * matching against all fields would hide the copy.
 *
 * Without a mapping (`schema: auto`), the question is found by field-name rules (docs/near-dup.md,
 * "What an eval item is"), case-insensitively:
 *   1. `question`, `query`, `prompt`, `problem`, `stem`: that field;
 *   2. `instruction` (with `input` or `context` joined after it, as the Alpaca and Dolly presets do);
 *   3. `input`;
 *   4. `messages` / `conversations`: the user turns;
 *   5. `text`: the whole text.
 * Options come from `options`, `option`, `choices` (a string, a list, or an object of label →
 * text), from single-letter columns `A`, `B`, `C`… (MCQ CSVs: `Question, A, B, C, D, Answer`), or
 * from MedMCQA's `opa`…`ope`; else, when the question holds two or more option lines (`A: …`,
 * `(B) …`, `C．…`), the question stops at the first of them and those lines are the options.
 * Answers, contexts, explanations and ids are never part of the item. When no rule fits, the eval
 * set is refused with a hint to map it. With a preset or a mapping (`schema:`, `--eval-schema`), the
 * question is the mapped sample's user turns (a text sample: its text), split at option lines the
 * same way.
 */
import type { ReadLimits } from '../io/read-limits.js';
import type { EvalItem } from '../decontam/eval-index.js';
import { MixsmithError } from '../errors.js';
import type { RecordFormat } from '../recipe/names.js';
import type { SchemaSpec } from '../recipe/types.js';
import { sampleText } from '../sample.js';
import { parseRecord } from './facts/analyze-record.js';
import { RecordError } from './map/record-error.js';
import { mapperFor, presetMapper, type RecordMapper } from './map/schema-for.js';
import { detectFormat } from './read/detect-format.js';
import { originOf } from './read/raw-record.js';
import { readRecords } from './read/read-records.js';

/** A record's prompt: its question and its options ('' when it has none). */
export interface EvalPrompt {
  readonly question: string;
  readonly options: string;
}

const QUESTION_KEYS = ['question', 'query', 'prompt', 'problem', 'stem'];
const OPTION_KEYS = ['options', 'option', 'choices'];
const LETTERS = 'ABCDEFGHIJ';
/** An option line: a letter A–J, bracketed or followed by `.`, `:`, `、`, `)` (ASCII or full width). */
const OPTION_LINE = /^[ \t]*(?:[(（][A-Ja-j][)）]|[A-Ja-j][ \t]*[.．:：、)）])/;

const MAP_HINT =
  'map the eval set to its question: schema: { turns: [{ role: user, from: <question field> }] } on the recipe\'s eval set, or audit --eval-schema NAME=\'{"turns":[{"role":"user","from":"<question field>"}]}\'';

/** The record's fields by lower-case name (the first spelling wins). */
function lowerKeys(record: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(record)) if (!out.has(key.toLowerCase())) out.set(key.toLowerCase(), value);
  return out;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function leaves(value: unknown, out: string[]): string[] {
  const text = stringOf(value);
  if (text !== undefined) out.push(text);
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) leaves(typeof v === 'string' && k.length <= 2 ? `${k}. ${v}` : v, out);
  return out;
}

function optionsOf(record: Record<string, unknown>, keys: Map<string, unknown>): string {
  for (const key of OPTION_KEYS) {
    const value = keys.get(key);
    if (value !== undefined && value !== null) return leaves(value, []).join('\n');
  }
  const letters: string[] = [];
  for (const letter of LETTERS) {
    const value = stringOf(record[letter]);
    if (value === undefined) break;
    letters.push(`${letter}. ${value}`);
  }
  if (letters.length >= 2) return letters.join('\n');
  const medmcqa: string[] = [];
  for (const letter of 'abcde') {
    const value = stringOf(keys.get(`op${letter}`));
    if (value !== undefined) medmcqa.push(`${letter.toUpperCase()}. ${value}`);
  }
  return medmcqa.length >= 2 ? medmcqa.join('\n') : '';
}

/** A question with two or more option lines split at the first of them. */
function splitInlineOptions(question: string): EvalPrompt {
  const lines = question.split('\n');
  let first = -1;
  let count = 0;
  for (const [i, line] of lines.entries()) {
    if (!OPTION_LINE.test(line)) continue;
    if (first < 0) first = i;
    count++;
  }
  if (first <= 0 || count < 2) return { question, options: '' };
  return { question: lines.slice(0, first).join('\n'), options: lines.slice(first).join('\n') };
}

function userTurns(mapper: RecordMapper, record: unknown): string {
  const body = mapper.toBody(record);
  if (body.kind === 'text') return body.text;
  const user = body.messages.filter((m) => m.role === 'user').map((m) => m.content);
  return user.length > 0 ? user.join('\n') : sampleText(body);
}

/** Where the question comes from without a mapping; undefined when no rule fits. */
function questionRule(
  keys: Map<string, unknown>,
): ((record: Record<string, unknown>, keys: Map<string, unknown>) => string) | undefined {
  for (const key of QUESTION_KEYS) if (stringOf(keys.get(key)) !== undefined) return (_r, k) => field(k, key);
  if (stringOf(keys.get('instruction')) !== undefined) {
    return (_r, k) =>
      [field(k, 'instruction'), stringOf(k.get('input')) ?? '', stringOf(k.get('context')) ?? '']
        .filter((s) => s.trim() !== '')
        .join('\n');
  }
  if (stringOf(keys.get('input')) !== undefined) return (_r, k) => field(k, 'input');
  if (Array.isArray(keys.get('messages'))) return (r) => userTurns(presetMapper('openai'), r);
  if (Array.isArray(keys.get('conversations'))) return (r) => userTurns(presetMapper('sharegpt'), r);
  if (stringOf(keys.get('text')) !== undefined) return (_r, k) => field(k, 'text');
  return undefined;
}

function field(keys: Map<string, unknown>, key: string): string {
  const value = stringOf(keys.get(key));
  if (value === undefined)
    throw new RecordError('INPUT_FIELD_MISSING', `the eval record has no string field "${key}"`, MAP_HINT);
  return value;
}

/**
 * A reader of eval records into prompts, fixed by the set's first record (as sources' `auto` is):
 * throws RecordError for a record it cannot read; a first record no rule fits refuses the set.
 */
export function evalPromptReader(schema: SchemaSpec, first: unknown): (record: unknown) => EvalPrompt {
  if (schema !== 'auto') {
    const mapper = mapperFor(schema, first);
    return (record) => splitInlineOptions(userTurns(mapper, record));
  }
  if (first === null || typeof first !== 'object' || Array.isArray(first)) {
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `an eval record must be a JSON object, got ${Array.isArray(first) ? 'a list' : first === null ? 'null' : typeof first}`,
      MAP_HINT,
    );
  }
  const rule = questionRule(lowerKeys(first as Record<string, unknown>));
  if (!rule) {
    throw new RecordError(
      'INPUT_FIELD_MISSING',
      `cannot tell which field of this eval set holds the question (keys: ${Object.keys(first).join(', ')}); an eval item is its question (and options), not every field`,
      MAP_HINT,
    );
  }
  return (record) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw new RecordError('INPUT_FIELD_TYPE', 'an eval record must be a JSON object', MAP_HINT);
    const fields = record as Record<string, unknown>;
    const keys = lowerKeys(fields);
    const question = rule(fields, keys);
    const options = optionsOf(fields, keys);
    return options !== '' ? { question, options } : splitInlineOptions(question);
  };
}

/** The matchable text of a prompt: the question, then the options. */
export function evalItemText(prompt: EvalPrompt): string {
  return prompt.options === '' ? prompt.question : `${prompt.question}\n${prompt.options}`;
}

export interface EvalFile {
  readonly absolutePath: string;
  readonly displayPath: string;
  /** Found by walking a folder: a file of no data format is passed over with a note, not refused. */
  readonly walked?: boolean;
}

export interface EvalSetInput {
  readonly name: string;
  readonly files: readonly EvalFile[];
  readonly schema: SchemaSpec;
  readonly format?: RecordFormat | 'auto' | undefined;
  readonly encoding?: string | undefined;
  /** The eval set's limits while reading (io/read-limits.ts); the defaults when absent. */
  readonly limits?: ReadLimits | undefined;
  /** `fail`: a bad record stops the run; `skip`: it is counted and left out. */
  readonly onError: 'fail' | 'skip';
  readonly signal?: AbortSignal | undefined;
  /** Called with each item's parsed record (the audit keys whole records for its exact columns). */
  readonly onRecord?: ((item: EvalItem, record: unknown) => void) | undefined;
}

export interface EvalSetRead {
  readonly items: EvalItem[];
  /** Records left out (on_error: skip). */
  readonly skipped: number;
  /** Files passed over, and why. */
  readonly notes: readonly string[];
}

/** Read one eval set's files into items `<set>:<origin>`; INPUT_EMPTY when it holds none. */
export async function readEvalSet(input: EvalSetInput): Promise<EvalSetRead> {
  const items: EvalItem[] = [];
  const notes: string[] = [];
  let skipped = 0;
  let reader: ((record: unknown) => EvalPrompt) | undefined;
  for (const file of input.files) {
    let format: RecordFormat;
    try {
      format = await detectFormat(file.absolutePath, file.displayPath, input.format ?? 'auto');
    } catch (error) {
      if (!(file.walked && error instanceof MixsmithError && error.code === 'INPUT_FORMAT')) throw error;
      notes.push(`eval set ${input.name}: skipped ${file.displayPath} (${error.message})`);
      continue;
    }
    for await (const batch of readRecords(file.absolutePath, {
      format,
      encoding: input.encoding,
      displayPath: file.displayPath,
      limits: input.limits,
      signal: input.signal,
    })) {
      for (const raw of batch) {
        let record: unknown;
        try {
          record = parseRecord(raw, { maxDepth: input.limits?.maxDepth });
          if (!reader) {
            try {
              reader = evalPromptReader(input.schema, record);
            } catch (error) {
              if (!(error instanceof RecordError)) throw error;
              throw new MixsmithError(error.code, `eval set "${input.name}": ${error.message}`, {
                where: { file: file.displayPath, line: raw.line },
                hint: error.hint ?? MAP_HINT,
              });
            }
          }
          const prompt = reader(record);
          const item: EvalItem = {
            set: input.name,
            id: `${input.name}:${originOf(file.displayPath, raw)}`,
            text: evalItemText(prompt),
            question: prompt.question,
          };
          items.push(item);
          input.onRecord?.(item, record);
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          if (input.onError === 'fail') {
            throw new MixsmithError(error.code, `eval set "${input.name}": ${error.message}`, {
              where: { file: file.displayPath, line: raw.line },
              hint: error.hint ?? 'fix the record, or set on_error: skip on the eval set',
            });
          }
          skipped++;
        }
      }
    }
  }
  if (items.length === 0)
    throw new MixsmithError('INPUT_EMPTY', `eval set "${input.name}" holds no records`, {
      where: { file: input.files[0]?.displayPath ?? input.name },
    });
  return { items, skipped, notes };
}
