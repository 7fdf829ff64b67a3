#!/usr/bin/env node
// Moves source files and rewrites every relative import that points at them (or out of them), so a
// restructuring is one reviewed mapping instead of hand edits: `git mv` + import paths only.
//
//   node scripts/move-modules.mjs MAPPING.tsv [--dry-run]
//
// MAPPING.tsv: one `old-path<TAB>new-path` per line (repo-relative; blank lines and # comments
// skipped). Rewritten: `from '…'`, `import('…')`, `import '…'`, `workerScript(import.meta.url, '…')`
// in src/, test/, bench/ and scripts/ (.ts, .mts, .mjs, .js), and `src/…` mentions in docs/*.md
// and README.md. Specifiers keep their extension style (.js in TypeScript sources, .ts in .mjs).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [mappingFile, ...flags] = process.argv.slice(2);
if (!mappingFile) {
  console.error('usage: node scripts/move-modules.mjs MAPPING.tsv [--dry-run]');
  process.exit(2);
}
const dryRun = flags.includes('--dry-run');
const root = process.cwd();

const moves = new Map();
for (const line of readFileSync(mappingFile, 'utf8').split('\n')) {
  const text = line.trim();
  if (!text || text.startsWith('#')) continue;
  const [from, to] = text.split(/\s+/);
  if (!from || !to) throw new Error(`bad mapping line: ${line}`);
  if (!existsSync(from)) throw new Error(`no such file: ${from}`);
  if (existsSync(to) && from !== to) throw new Error(`target exists: ${to}`);
  moves.set(path.resolve(from), path.resolve(to));
}
const targets = new Set(moves.values());
if (targets.size !== moves.size) throw new Error('two files move to one place');

const newPath = (absolute) => moves.get(absolute) ?? absolute;

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(ts|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The file a specifier names, trying .ts for .js (TypeScript's ESM convention). */
function resolveTarget(fromFile, specifier) {
  const absolute = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [absolute, absolute.replace(/\.js$/, '.ts'), `${absolute}.ts`, `${absolute}.js`]) {
    if (existsSync(candidate) || moves.has(candidate))
      return { file: candidate, ext: path.extname(candidate), asWritten: absolute };
  }
  return null;
}

function relativeSpecifier(fromFile, toFile, written, bare) {
  let relative = path.relative(path.dirname(fromFile), toFile).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  // Keep the extension as it was written: .js for a .ts file in TypeScript sources, none for bare names.
  const writtenExt = path.extname(written);
  const targetExt = path.extname(toFile);
  if (bare) return relative.slice(0, relative.length - targetExt.length);
  if (writtenExt !== targetExt) relative = relative.slice(0, relative.length - targetExt.length) + writtenExt;
  return relative;
}

const IMPORT =
  /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|workerScript\(import\.meta\.url,\s*)(['"])(\.{1,2}\/[^'"]+|[a-z][\w-]*)\2/g;

let changedFiles = 0;
for (const file of ['src', 'test', 'bench', 'scripts'].flatMap((d) => walk(path.join(root, d)))) {
  const text = readFileSync(file, 'utf8');
  const movedFrom = file;
  const movedTo = newPath(file);
  const rewritten = text.replace(IMPORT, (whole, lead, quote, specifier) => {
    const isWorker = lead.startsWith('workerScript');
    if (!isWorker && !specifier.startsWith('.')) return whole;
    // workerScript names a file without extension, relative to the calling module.
    const target = resolveTarget(
      movedFrom,
      isWorker ? `${specifier.startsWith('.') ? '' : './'}${specifier}` : specifier,
    );
    if (!target) return whole;
    const targetNew = newPath(target.file);
    if (targetNew === target.file && movedTo === movedFrom) return whole;
    return `${lead}${quote}${relativeSpecifier(movedTo, targetNew, specifier, isWorker)}${quote}`;
  });
  if (rewritten !== text) {
    changedFiles++;
    if (!dryRun) writeFileSync(file, rewritten);
  }
}

// Docs: `src/old/path.ts` → `src/new/path.ts`.
const mentions = [...moves].map(([from, to]) => [path.relative(root, from), path.relative(root, to)]);
for (const doc of [...readdirSync(path.join(root, 'docs')).map((d) => path.join('docs', d)), 'README.md']) {
  if (!doc.endsWith('.md')) continue;
  const text = readFileSync(doc, 'utf8');
  let next = text;
  for (const [from, to] of mentions) next = next.split(from).join(to);
  if (next !== text && !dryRun) writeFileSync(doc, next);
}

for (const [from, to] of moves) {
  if (dryRun) {
    console.log(`${path.relative(root, from)} -> ${path.relative(root, to)}`);
    continue;
  }
  execFileSync('mkdir', ['-p', path.dirname(to)]);
  execFileSync('git', ['mv', from, to]);
}
console.log(`${moves.size} files moved, ${changedFiles} files with imports rewritten${dryRun ? ' (dry run)' : ''}`);
