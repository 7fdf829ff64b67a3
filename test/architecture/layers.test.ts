/**
 * src/ reads in data order (docs/architecture.md): every folder sits in one layer, and a file may
 * import only from its own folder or from a lower layer. This rules out folder cycles and upward
 * imports both; a new folder must be placed here before it can be imported.
 */
import { describe, expect, it } from 'vitest';
import { importEdges, LAYERS, nodeOf, SRC, sourceFiles } from './imports.js';

const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer] as const)));

describe('src/ layering', () => {
  it('places every folder of src/ in a layer', () => {
    const unplaced = [...new Set(sourceFiles(SRC).map(nodeOf))].filter((node) => !layerOf.has(node));
    expect(unplaced).toEqual([]);
  });

  it('imports only from the same folder or a lower layer (no cycles, nothing upward)', () => {
    const wrong = importEdges()
      .filter((edge) => (layerOf.get(edge.to) ?? Infinity) >= (layerOf.get(edge.from) ?? -1))
      .map((edge) => `${edge.file} (${edge.from}) imports '${edge.specifier}' (${edge.to})`);
    expect(wrong).toEqual([]);
  });
});
