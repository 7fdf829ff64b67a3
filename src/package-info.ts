/** Files that ship beside the code (package.json, schemas/), found relative to this module. */
import { readFileSync } from 'node:fs';

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
