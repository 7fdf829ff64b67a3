// Compose the quickstart recipe at several volumes from a script, the way a sweep launcher would.
// Usage: node examples/volume-loop.mjs OUT_DIR   (after `npm run build`)
import { compose, loadRecipe } from 'mixsmith';

const outDir = process.argv[2] ?? 'out/volume-loop';
for (const volume of [100, 200]) {
  const loaded = await loadRecipe(new URL('../recipes/quickstart.yaml', import.meta.url).pathname, { set: [`mixture.volume=${volume}`] });
  const { manifest } = await compose(loaded, { out: `${outDir}/v${volume}`, force: true });
  const rows = Object.fromEntries(Object.entries(manifest.groups).map(([group, g]) => [group, g.selected]));
  console.log(JSON.stringify({ volume, rows }));
}
