/**
 * Names are declared once (src/recipe/names.ts): the JSON Schema that editors and `validate` use
 * must offer exactly those, so a name added in code and forgotten in the schema fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_POLICIES,
  INPUT_FORMATS,
  LAYOUT_NAMES,
  OUTPUT_FORMATS,
  OUTPUT_SCHEMAS,
  OUTPUT_TARGETS,
  PRESET_NAMES,
  SHORTAGE_POLICIES,
} from '../../src/recipe/names.js';
import { INPUT_FORMAT_READERS } from '../../src/records/read/input-formats.js';

interface SchemaNode {
  readonly enum?: readonly string[];
  readonly oneOf?: readonly SchemaNode[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}
const schema = JSON.parse(readFileSync(new URL('../../schemas/recipe.schema.json', import.meta.url), 'utf8')) as {
  definitions: Record<string, SchemaNode>;
};
const property = (definition: string, ...keys: string[]): SchemaNode =>
  keys.reduce((node, key) => node.properties![key]!, schema.definitions[definition]!);

describe('names declared once', () => {
  it.each([
    ['source format', property('source', 'format').enum, ['auto', ...INPUT_FORMATS]],
    ['eval set format', property('evalSet', 'format').enum, ['auto', ...INPUT_FORMATS]],
    ['source preset', property('source', 'schema').oneOf![0]!.enum, PRESET_NAMES],
    ['eval set preset', property('evalSet', 'schema').oneOf![0]!.enum, PRESET_NAMES],
    ['on_error', property('source', 'on_error').enum, ERROR_POLICIES],
    ['shortage', property('mixture', 'shortage').enum, SHORTAGE_POLICIES],
    ['output format', property('output', 'format').enum, OUTPUT_FORMATS],
    ['output schema', property('output', 'schema').enum, OUTPUT_SCHEMAS],
    ['output target', property('output', 'target').enum, OUTPUT_TARGETS],
    ['layouts', property('output', 'layouts').items!.enum, LAYOUT_NAMES],
  ])('the schema offers exactly the %s names the code declares', (_, inSchema, inCode) => {
    expect(inSchema).toEqual([...inCode]);
  });

  it('has a reader for every input format, under its own name', () => {
    expect(Object.keys(INPUT_FORMAT_READERS)).toEqual([...INPUT_FORMATS]);
    for (const [name, reader] of Object.entries(INPUT_FORMAT_READERS)) expect(reader.name).toBe(name);
  });
});
