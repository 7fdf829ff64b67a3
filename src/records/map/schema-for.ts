/**
 * Turn a source's `schema:` setting into one function from a parsed record to a body, detecting
 * the preset from the first record when the setting is `auto`.
 */
import type { PresetName, SchemaSpec } from '../../recipe/types.js';
import type { SampleBody } from '../../sample.js';
import { applyMapping, mappedMeta } from './mapping.js';
import * as presets from './presets.js';
import { RecordError } from './record-error.js';

export interface RecordMapper {
  /** What the manifest reports: a preset name, or `mapping`. */
  readonly name: PresetName | 'mapping';
  readonly toBody: (record: unknown) => SampleBody;
  readonly toMeta: (record: unknown) => Record<string, unknown>;
}

const PRESETS: Record<PresetName, (record: presets.Fields) => SampleBody> = {
  alpaca: presets.alpaca,
  sharegpt: presets.sharegpt,
  openai: presets.openai,
  dolly: presets.dolly,
  'prompt-completion': presets.promptCompletion,
  text: presets.text,
};

const noMeta = () => ({});

function asFields(record: unknown): presets.Fields {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new RecordError(
      'INPUT_FIELD_TYPE',
      `a record must be a JSON object, got ${Array.isArray(record) ? 'a list' : record === null ? 'null' : typeof record}`,
    );
  }
  return record as presets.Fields;
}

/** The preset a record looks like, by its keys; undefined when none fits. */
export function detectPreset(record: unknown): PresetName | undefined {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const has = (key: string) => key in record;
  if (has('messages')) return 'openai';
  if (has('conversations')) return 'sharegpt';
  if (has('instruction') && has('output')) return 'alpaca';
  if (has('instruction') && has('response')) return 'dolly';
  if (has('prompt') && has('completion')) return 'prompt-completion';
  if (has('text')) return 'text';
  return undefined;
}

export function presetMapper(name: PresetName): RecordMapper {
  const convert = PRESETS[name];
  return {
    name,
    toBody: (record) => convert(asFields(record)),
    toMeta:
      name === 'openai' || name === 'sharegpt' || name === 'prompt-completion'
        ? (record) => toolsMeta(asFields(record))
        : noMeta,
  };
}

/**
 * OpenAI and ShareGPT records may carry `tools` (function definitions) beside the turns: keep them
 * as found (LLaMA-Factory stores a JSON string, OpenAI a list), so the calls in the turns keep
 * their meaning.
 */
function toolsMeta(record: presets.Fields): Record<string, unknown> {
  return record.tools === undefined ? {} : { tools: record.tools };
}

/**
 * A mapper for `spec`, or for `auto` the mapper the first record implies. Throws `RecordError` when
 * `auto` sees a record no preset fits.
 */
export function mapperFor(spec: SchemaSpec, firstRecord: unknown): RecordMapper {
  if (spec === 'auto') {
    const detected = detectPreset(firstRecord);
    if (!detected) {
      const keys =
        firstRecord && typeof firstRecord === 'object' ? Object.keys(firstRecord).join(', ') : typeof firstRecord;
      throw new RecordError(
        'INPUT_FIELD_MISSING',
        `cannot tell the schema of this source from its first record (keys: ${keys})`,
        'set schema: to a preset (alpaca, sharegpt, openai, dolly, prompt-completion, text) or a field mapping',
      );
    }
    return presetMapper(detected);
  }
  if (typeof spec === 'string') return presetMapper(spec);
  return {
    name: 'mapping',
    toBody: (record) => applyMapping(spec, record),
    toMeta: (record) => mappedMeta(spec, record),
  };
}
