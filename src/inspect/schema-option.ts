/**
 * `inspect --schema`: a preset name, `auto`, or a field mapping written as JSON (the same object a
 * recipe's `schema:` takes), checked against the recipe schema's own `mapping` definition.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { MixsmithError } from '../errors.js';
import { packageFile } from '../package-info.js';
import { PRESET_NAMES } from '../recipe/names.js';
import type { FieldMapping, SchemaSpec } from '../recipe/types.js';

let validateMapping: ValidateFunction | undefined;

function mappingValidator(): ValidateFunction {
  if (!validateMapping) {
    const schema = JSON.parse(readFileSync(packageFile('schemas/recipe.schema.json'), 'utf8')) as { $id: string };
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(schema);
    validateMapping = ajv.getSchema(`${schema.$id}#/definitions/mapping`)!;
  }
  return validateMapping;
}

const HINT = `give a preset (${PRESET_NAMES.join(', ')}), auto, or a mapping as JSON, e.g. '{"turns":[{"role":"user","from":"q"},{"role":"assistant","from":"a"}]}'`;

/** The SchemaSpec `--schema` names; USAGE when it names none. */
export function parseSchemaOption(text: string): SchemaSpec {
  if (text === 'auto' || (PRESET_NAMES as readonly string[]).includes(text)) return text as SchemaSpec;
  if (!text.trim().startsWith('{'))
    throw new MixsmithError('USAGE', `--schema ${text}: not a preset name`, { hint: HINT });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new MixsmithError(
      'USAGE',
      `--schema: the mapping is not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      { hint: HINT },
    );
  }
  const validate = mappingValidator();
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(mapping)'} ${e.message ?? ''}`.trim());
    throw new MixsmithError(
      'USAGE',
      `--schema: the mapping is not valid: ${[...new Set(problems)].slice(0, 3).join('; ')}`,
      { hint: "the mapping takes the keys of a recipe source's schema: (docs/formats.md)" },
    );
  }
  return value as FieldMapping;
}
