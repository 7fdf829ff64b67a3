/** What the staged pipeline's tests compare: an output folder as relative path → text. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `root`, relative path → text; manifests without their run block. */
export function tree(root: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(path.join(root, prefix)).sort()) {
    const relative = path.join(prefix, name);
    if (statSync(path.join(root, relative)).isDirectory()) {
      for (const [k, v] of tree(root, relative)) files.set(k, v);
      continue;
    }
    const text = readFileSync(path.join(root, relative), 'utf8');
    if (name === 'manifest.json') {
      const { run: _run, ...rest } = JSON.parse(text);
      files.set(relative, JSON.stringify(rest, null, 2));
    } else files.set(relative, text);
  }
  return files;
}
