/** docs/recipe.md names every key of schemas/recipe.schema.json, so the reference cannot fall behind. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(path.join(root, 'schemas/recipe.schema.json'), 'utf8'));
const doc = readFileSync(path.join(root, 'docs/recipe.md'), 'utf8');

type Node = { properties?: Record<string, Node>; $ref?: string; items?: Node; oneOf?: Node[] };
const resolve = (node: Node): Node => (node.$ref ? resolve(schema.definitions[node.$ref.split('/').pop()!]) : node);

/** Top-level keys and the keys one level inside each (sources[].name, mixture.volume, …). */
function keys(): string[] {
  const found: string[] = [];
  for (const [key, child] of Object.entries(schema.properties as Record<string, Node>)) {
    if (key === '$schema') continue;
    found.push(key);
    let node = resolve(child);
    let prefix = key;
    if (node.items) {
      node = resolve(node.items);
      prefix = `${key}[]`;
    }
    for (const inner of Object.keys(node.properties ?? {})) found.push(`${prefix}.${inner}`);
  }
  return found;
}

describe('docs/recipe.md', () => {
  it('documents every recipe key', () => {
    const missing = keys().filter((k) => !doc.includes(`\`${k}`) && !doc.includes(`${k.split('.').pop()}\``));
    expect(missing).toEqual([]);
  });
});
