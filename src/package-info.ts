/** Files that ship beside the code (package.json, schemas/), found relative to this module, and the versions that decide output bytes. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// src/ and dist/ sit one level below the package root, so the same relative URL works for both.
const packageRoot = new URL('../', import.meta.url);

export function packageFile(relative: string): URL {
  return new URL(relative, packageRoot);
}

let cachedVersion: string | undefined;

/** mixsmith's own version, as recorded in every manifest. */
export function toolVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

/**
 * The libraries whose version can change what mixsmith writes, and what each decides. Node's own
 * zlib (gzip shards) and the zstd library inside zstd-napi are reported beside them.
 */
export const OUTPUT_LIBRARIES: readonly { readonly name: string; readonly decides: string }[] = [
  { name: 'hyparquet-writer', decides: 'Parquet shards (encoding, pages, footer)' },
  { name: 'zstd-napi', decides: '.zst shards and zstd Parquet pages' },
  { name: 'hyparquet', decides: 'values read from Parquet inputs' },
  { name: 'hyparquet-compressors', decides: 'decompressing Parquet inputs' },
  { name: 'yaml', decides: 'recipe parsing; the card and axolotl.yaml text' },
  { name: 'tiktoken', decides: 'token counts (manifest, token budgets)' },
  { name: '@huggingface/tokenizers', decides: 'token counts with a tokenizer.json' },
  { name: 'tinyglobby', decides: 'which files a source glob or folder names' },
];

/** An installed package's version, or null when it cannot be found. */
export function installedVersion(name: string): string | null {
  const require = createRequire(import.meta.url);
  let entry: string | undefined;
  try {
    entry = require.resolve(name);
  } catch {
    try {
      entry = fileURLToPath(import.meta.resolve(name));
    } catch {
      return null;
    }
  }
  // The entry point sits somewhere inside the package: walk up to its package.json.
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === name) return pkg.version ?? null;
  }
  return null;
}
