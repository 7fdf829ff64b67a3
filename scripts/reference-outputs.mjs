#!/usr/bin/env node
// scripts/reference-outputs.mjs: proof that a refactoring leaves mixsmith's outputs byte-identical.
// It composes a fixed set of cases with a given revision's CLI, audits each output, records the
// sha256 of every output file in a JSON record, and compares two records file by file.
//
//   node scripts/reference-outputs.mjs check --rev HEAD     after each refactoring step: HEAD vs
//                                                           the working tree (exit 1 on a difference)
//   node scripts/reference-outputs.mjs record [--rev REV] [--out FILE]
//   node scripts/reference-outputs.mjs compare A.json B.json
//
// record: with --rev, a detached `git worktree` of REV under SCRATCH/worktrees (node_modules
// symlinked from this checkout; removed at the end, also on failure or Ctrl-C), run with that
// revision's own CLI (`node --import tsx src/cli/bin.ts`, cwd = its root, as `npm start`); without
// --rev, the working tree as it is, uncommitted edits included. Writes SCRATCH/<sha12>.json or
// SCRATCH/worktree.json unless --out says otherwise.
// compare: prints every case/file that differs, is missing from B or extra in B; exit 1 on any
// difference, else exit 0 and "identical: N files in M cases".
// check: records REV (reused when SCRATCH/<sha12>.json holds the same case definitions, made by
// this same script; --fresh re-records it) and the working tree, then compares the two. With
// --cases, both records hold only those cases. Exit 0: recorded / identical; 1: differences;
// 2: an error (a failed compose, an unreadable record; the temporary worktree is removed anyway).
//
// Cases (each: compose --workers 2 --force into a fresh folder, then `audit <out> --json --workers 2`;
// --workers is left out for a revision whose command lacks it):
//   quickstart        recipes/quickstart.yaml with its fixtures, as `npm start` runs it
//   medical-general   recipes/medical-general.yaml over the real datasets it names
//                     (../../shared/data/real from recipes/, the folder test/recipes.test.ts and
//                     test/helpers/real-data.ts use; not in the repo). Run in place with the
//                     revision's own recipe; a revision's worktree sees the same data through
//                     the symlink SCRATCH/worktrees/shared -> <checkout>/../shared.
//   w1, w1-gz, w2     the bench recipes (recipeFor in bench/lib/recipes.mjs, configs mixsmith-w1,
//                     mixsmith-w1-gz, mixsmith-w2) at bench/run.mjs's defaults for --n 100000:
//                     volume 100000, seed 42, over the 2 x 100k synthetic corpus
//   sweep             the w1 recipe with `shortage: cap` and a sweep block: volumes 10k, 20k, 50k,
//                     100k, 150k, 200k x domain share 0, 0.25, 0.5, 0.75, 1 (30 points)
// The corpus is made once by this checkout's generator (bench/gen-corpus.mjs --n 100000 --seed 1
// --variants gz, through bench/lib/corpus-cache.mjs) into SCRATCH/corpus-100000-s1 and reused by
// every revision. The bench and sweep recipe texts also come from this checkout and are written
// into SCRATCH/recipes with paths relative to that folder, so every revision composes the same
// recipe bytes and no absolute path enters an output.
//
// What is hashed: every file of each output folder, recursively, byte for byte, except that
// manifest.json and sweep.json files are hashed without their top-level `run` block (startedAt,
// finishedAt, durationMs, inputBytes, scanMBPerSecond, peakRssBytes: timing and host facts; the
// rest of the manifest is documented as deterministic, docs/determinism.md). The audit's --json
// stdout is hashed too, as the entry "(audit --json)". In both, absolute paths are replaced by
// placeholders: the case's output folder by <OUT>, the revision's root by <ROOT>, the scratch
// folder by <SCRATCH>, this checkout by <REPO>; the audit names its subjects by their path
// relative to its working directory (the revision's root), and that form becomes <OUT> as well.
// Nothing else was found volatile: tool.version is package.json's and is
// kept (a version bump is an output change: Parquet footers carry it too). Rows per shard come
// from the manifests' files[] (cheap; the shards' hashes are what is compared).
//
// Options [defaults]:
//   --rev REV []               record: the revision to record (any git revision)
//   --out FILE []              record: where to write the record [SCRATCH/<sha12>.json | worktree.json]
//   --scratch DIR [.reference] corpus, recipes, worktrees, outputs and records (gitignored)
//   --cases LIST []            comma list of case ids (default: all); check compares only these
//   --keep-outputs             keep the composed folders in SCRATCH/runs/<label>/ (default: deleted
//                              once hashed; the normalised audit JSON and logs are always kept)
//   --fresh                    check: record REV even when a reusable record exists
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { parseArgs, usageOf } from '../bench/lib/args.mjs';
import { ensureCorpus } from '../bench/lib/corpus-cache.mjs';
import { MIXSMITH_CONFIGS, recipeFor } from '../bench/lib/recipes.mjs';

const SCRIPT_FILE = fileURLToPath(import.meta.url);
const REPO_DIR = path.dirname(path.dirname(SCRIPT_FILE));
const SCRIPT_SHA256 = sha256(readFileSync(SCRIPT_FILE));
const RECORD_FORMAT = 'mixsmith-reference-outputs/1';
const CORPUS = { records: 100_000, seed: '1', variants: ['gz'] };
const BENCH = { volume: 100_000, seed: 42 };
const SWEEP = { volume: ['10k', '20k', '50k', '100k', '150k', '200k'], shares: { domain: [0, 0.25, 0.5, 0.75, 1] } };
const WORKERS = '2';
const AUDIT_ENTRY = '(audit --json)';
const VOLATILE_JSON = new Set(['manifest.json', 'sweep.json']);

const DEFAULTS = {
  rev: '',
  out: '',
  scratch: path.join(REPO_DIR, '.reference'),
  cases: '',
  keepOutputs: '',
  fresh: '',
  help: '',
};

const log = (line) => console.error(`[reference] ${line}`);
const cleanups = new Set();
const children = new Set();

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

function sha256File(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const sortedObject = (entries) => Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function git(args, cwd = REPO_DIR) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

// ---------------------------------------------------------------- cases

function benchRecipe(id, dataDir) {
  const config = MIXSMITH_CONFIGS.find((c) => c.id === id);
  if (!config) throw new Error(`bench/lib/recipes.mjs has no config ${id}`);
  return recipeFor(config, { dataDir, volume: BENCH.volume, seed: BENCH.seed });
}

function sweepRecipe(w1Text) {
  const doc = parseDocument(w1Text);
  doc.set('name', 'reference-sweep');
  doc.setIn(['mixture', 'shortage'], 'cap');
  const sweep = doc.createNode(SWEEP);
  for (const key of [['volume'], ['shares', 'domain']]) sweep.getIn(key, true).flow = true;
  doc.set('sweep', sweep);
  return `# the w1 recipe as a 30-point sweep (written by scripts/reference-outputs.mjs)\n${doc.toString({ lineWidth: 0 })}`;
}

/** Every case: its id and either a recipe path inside the revision or recipe text for SCRATCH/recipes. */
function allCases(corpusFromRecipes) {
  const w1 = benchRecipe('mixsmith-w1', corpusFromRecipes);
  return [
    { id: 'quickstart', recipe: 'recipes/quickstart.yaml' },
    { id: 'medical-general', recipe: 'recipes/medical-general.yaml', realData: true },
    { id: 'w1', text: w1 },
    { id: 'w1-gz', text: benchRecipe('mixsmith-w1-gz', corpusFromRecipes) },
    { id: 'w2', text: benchRecipe('mixsmith-w2', corpusFromRecipes) },
    { id: 'sweep', text: sweepRecipe(w1) },
  ];
}

function chooseCases(list, names) {
  if (!names) return list;
  const wanted = names.split(',').filter(Boolean);
  const unknown = wanted.filter((id) => !list.some((c) => c.id === id));
  if (unknown.length)
    throw new Error(`unknown case ${unknown.join(', ')} (known: ${list.map((c) => c.id).join(', ')})`);
  return list.filter((c) => wanted.includes(c.id));
}

/** `--workers 2` where the revision's command has it (older revisions do not; their output is the same). */
function caseCommands(kase, recipesDir, workers) {
  const recipe = kase.text ? path.join(recipesDir, `${kase.id}.yaml`) : kase.recipe;
  return {
    compose: [
      'compose',
      recipe,
      '--out',
      '<OUT>',
      '--force',
      ...(workers.compose ? ['--workers', WORKERS] : []),
      '--quiet',
    ],
    audit: ['audit', '<OUT>', '--json', ...(workers.audit ? ['--workers', WORKERS] : [])],
  };
}

async function workersFlags(root, logFile) {
  const knows = async (command) => (await runCli(root, [command, '--help'], logFile)).stdout.includes('--workers');
  return { compose: await knows('compose'), audit: await knows('audit') };
}

/** What a case's hashes depend on besides the revision: this script and the recipe text it writes. */
const caseDefinition = (kase) =>
  sha256(JSON.stringify({ script: SCRIPT_SHA256, id: kase.id, recipe: kase.recipe ?? null, text: kase.text ?? null }));

// ---------------------------------------------------------------- normalising and hashing

/**
 * Paths to placeholders, longest first (the output folder lies inside the scratch folder). The
 * audit names its subjects relative to its working directory (the revision's root), so the output
 * folder has a second, relative form; both become <OUT>.
 */
function placeholderMap(paths) {
  return Object.entries(paths)
    .filter(([, dir]) => dir)
    .map(([name, dir]) => [name.replace(/_FROM_ROOT$/, ''), dir])
    .sort(([, a], [, b]) => b.length - a.length);
}

function withPlaceholders(text, placeholders) {
  let out = text;
  for (const [name, dir] of placeholders) out = out.replaceAll(dir, `<${name}>`);
  return out;
}

/**
 * The JSON text without its top-level `run` block, cut out of the text so every other byte stays
 * as written; when the text is not laid out as expected, the object without `run` re-serialised.
 */
function withoutRunBlock(text) {
  const json = JSON.parse(text);
  if (json === null || typeof json !== 'object' || !('run' in json)) return text;
  const { run: _run, ...rest } = json;
  const cut = text
    .replace(/,\n {2}"run": (?:\{[\s\S]*?\n {2}\}|[^\n]*?)(?=\n\}\n?$)/, '')
    .replace(/\n {2}"run": (?:\{[\s\S]*?\n {2}\}|[^\n{]*?),(?=\n {2}")/, '');
  try {
    if (JSON.stringify(JSON.parse(cut)) === JSON.stringify(rest)) return cut;
  } catch {}
  return `${JSON.stringify(rest, null, 2)}\n`;
}

function listFiles(dir, prefix = '') {
  const files = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, rel));
    else files.push(rel);
  }
  return files;
}

async function hashOutput(dir, placeholders) {
  const hashes = [];
  for (const rel of listFiles(dir)) {
    const file = path.join(dir, rel);
    if (VOLATILE_JSON.has(path.basename(rel)))
      hashes.push([rel, sha256(withPlaceholders(withoutRunBlock(readFileSync(file, 'utf8')), placeholders))]);
    else hashes.push([rel, await sha256File(file)]);
  }
  return hashes;
}

/** Rows per shard as the manifests (the folder's, or each sweep point's) list them. */
function shardRows(dir) {
  const rows = [];
  for (const rel of listFiles(dir).filter((f) => path.basename(f) === 'manifest.json')) {
    const folder = path.dirname(rel) === '.' ? '' : `${path.dirname(rel)}/`;
    const manifest = JSON.parse(readFileSync(path.join(dir, rel), 'utf8'));
    for (const file of manifest.files ?? []) rows.push([`${folder}${file.path}`, file.rows]);
  }
  return sortedObject(rows);
}

// ---------------------------------------------------------------- running a revision

function runCli(root, args, logFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli', 'bin.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      const err = Buffer.concat(stderr).toString('utf8');
      writeFileSync(logFile, `$ mixsmith ${args.join(' ')}\n${err}`, { flag: 'a' });
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(stdout).toString('utf8'), stderr: err });
    });
  });
}

function describeTarget(rev) {
  if (!rev) {
    const changed = git(['status', '--porcelain', '--untracked-files=no']).split('\n').filter(Boolean);
    return { label: 'worktree', rev: null, commit: git(['rev-parse', 'HEAD']), worktree: true, changed };
  }
  const commit = git(['rev-parse', '--verify', `${rev}^{commit}`]);
  return { label: commit.slice(0, 12), rev, commit, worktree: false, changed: [] };
}

/** SCRATCH/worktrees/shared -> <checkout>/../shared, so recipes' ../../shared paths resolve in a worktree. */
function linkSharedData(worktreesDir) {
  const link = path.join(worktreesDir, 'shared');
  const target = path.resolve(REPO_DIR, '..', 'shared');
  if (existsSync(target) && !existsSync(link)) symlinkSync(target, link);
}

/** Worktrees left behind by a killed run (their pid is gone) are removed before a new one is added. */
function removeStaleWorktrees(worktreesDir) {
  for (const name of existsSync(worktreesDir) ? readdirSync(worktreesDir) : []) {
    const pid = Number(name.split('.').pop());
    if (!Number.isInteger(pid) || name === 'shared' || processAlive(pid)) continue;
    removeWorktree(path.join(worktreesDir, name));
  }
  spawnSync('git', ['worktree', 'prune'], { cwd: REPO_DIR });
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function removeWorktree(dir) {
  spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: REPO_DIR, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  spawnSync('git', ['worktree', 'prune'], { cwd: REPO_DIR });
}

function addWorktree(target, scratch) {
  const worktreesDir = path.join(scratch, 'worktrees');
  mkdirSync(worktreesDir, { recursive: true });
  removeStaleWorktrees(worktreesDir);
  const dir = path.join(worktreesDir, `${target.label}.${process.pid}`);
  const remove = () => {
    cleanups.delete(remove);
    log(`removing worktree ${dir}`);
    removeWorktree(dir);
  };
  cleanups.add(remove);
  git(['worktree', 'add', '--detach', dir, target.commit]);
  symlinkSync(realpathSync(path.join(REPO_DIR, 'node_modules')), path.join(dir, 'node_modules'));
  linkSharedData(worktreesDir);
  return { dir, remove };
}

// ---------------------------------------------------------------- record

async function prepareInputs(scratch, cases) {
  const recipesDir = path.join(scratch, 'recipes');
  if (!cases.some((c) => c.text)) return { recipesDir, corpus: null };
  const corpus = await ensureCorpus({
    generator: 'own',
    scratchDir: scratch,
    records: CORPUS.records,
    seed: CORPUS.seed,
    variants: CORPUS.variants,
    log,
  });
  mkdirSync(recipesDir, { recursive: true });
  for (const kase of cases.filter((c) => c.text)) writeFileSync(path.join(recipesDir, `${kase.id}.yaml`), kase.text);
  const sources = corpus.truth.sources;
  return {
    recipesDir,
    corpus: {
      dir: path.relative(scratch, corpus.dir),
      sha256: sortedObject(Object.entries(sources).map(([name, s]) => [s.file ?? name, s.sha256])),
    },
  };
}

async function recordCase(kase, { root, runDir, recipesDir, scratch, keepOutputs, workers }) {
  const out = path.join(runDir, kase.id);
  const logFile = path.join(runDir, `${kase.id}.log`);
  const placeholders = placeholderMap({
    OUT: out,
    OUT_FROM_ROOT: path.relative(root, out),
    ROOT: root,
    SCRATCH: scratch,
    REPO: REPO_DIR,
  });
  const commands = caseCommands(kase, recipesDir, workers);
  const argv = (args) => args.map((a) => (a === '<OUT>' ? out : a));
  rmSync(out, { recursive: true, force: true });
  rmSync(logFile, { force: true });
  const started = Date.now();
  const composed = await runCli(root, argv(commands.compose), logFile);
  if (composed.code !== 0)
    throw new Error(
      `${kase.id}: compose exited ${composed.code}: ${composed.stderr.trim().split('\n').slice(-3).join(' | ')} (log: ${logFile})`,
    );
  const composedAt = Date.now();
  const audited = await runCli(root, argv(commands.audit), logFile);
  if (!audited.stdout.trim().startsWith('{'))
    throw new Error(
      `${kase.id}: audit exited ${audited.code} without JSON: ${audited.stderr.trim().split('\n').slice(-3).join(' | ')} (log: ${logFile})`,
    );
  const auditedAt = Date.now();
  const auditText = withPlaceholders(audited.stdout, placeholders);
  writeFileSync(path.join(runDir, `${kase.id}.audit.json`), auditText);
  const files = await hashOutput(out, placeholders);
  files.push([AUDIT_ENTRY, sha256(auditText)]);
  const rows = shardRows(out);
  if (!keepOutputs) rmSync(out, { recursive: true, force: true });
  const line = (args) =>
    withPlaceholders(['node', '--import', 'tsx', '<ROOT>/src/cli/bin.ts', ...args].join(' '), placeholders);
  return {
    definition: caseDefinition(kase),
    commands: [`(cd <ROOT> && ${line(commands.compose)})`, `(cd <ROOT> && ${line(commands.audit)})`],
    auditExit: audited.code,
    files: sortedObject(files),
    rows,
    seconds: { compose: (composedAt - started) / 1000, audit: (auditedAt - composedAt) / 1000 },
  };
}

function checkScratch(scratch) {
  const relative = path.relative(REPO_DIR, scratch);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return;
  mkdirSync(scratch, { recursive: true });
  if (spawnSync('git', ['check-ignore', '-q', scratch], { cwd: REPO_DIR }).status !== 0)
    throw new Error(`--scratch ${scratch} is inside the repository but not gitignored`);
}

async function record({ rev, out, scratch, caseNames, keepOutputs }) {
  const started = Date.now();
  checkScratch(scratch);
  const target = describeTarget(rev);
  const corpusFromRecipes = path.relative(
    path.join(scratch, 'recipes'),
    path.join(scratch, `corpus-${CORPUS.records}-s${CORPUS.seed}`),
  );
  const cases = chooseCases(allCases(corpusFromRecipes), caseNames);
  if (cases.some((c) => c.realData) && !existsSync(path.resolve(REPO_DIR, '..', 'shared', 'data', 'real'))) {
    throw new Error(
      `medical-general needs ${path.resolve(REPO_DIR, '..', 'shared', 'data', 'real')} (see docs/real-data.md); leave it out with --cases`,
    );
  }
  const inputs = await prepareInputs(scratch, cases);
  const runDir = path.join(scratch, 'runs', target.label);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const worktree = rev ? addWorktree(target, scratch) : null;
  const result = {};
  try {
    const root = worktree?.dir ?? REPO_DIR;
    const workers = await workersFlags(root, path.join(runDir, 'help.log'));
    if (!workers.compose || !workers.audit)
      log(
        `${target.label}: no --workers for ${[workers.compose ? '' : 'compose', workers.audit ? '' : 'audit'].filter(Boolean).join(', ')} in this revision: left out`,
      );
    for (const kase of cases) {
      log(`${target.label}: ${kase.id}`);
      result[kase.id] = await recordCase(kase, {
        root,
        runDir,
        recipesDir: inputs.recipesDir,
        scratch,
        keepOutputs,
        workers,
      });
      log(
        `${target.label}: ${kase.id} done, ${Object.keys(result[kase.id].files).length} files, ${(result[kase.id].seconds.compose + result[kase.id].seconds.audit).toFixed(1)} s`,
      );
    }
  } finally {
    worktree?.remove();
  }
  const file = out || path.join(scratch, `${target.label}.json`);
  const body = {
    format: RECORD_FORMAT,
    revision: target,
    script: { path: 'scripts/reference-outputs.mjs', sha256: SCRIPT_SHA256 },
    node: process.version,
    createdAt: new Date().toISOString(),
    wallSeconds: (Date.now() - started) / 1000,
    corpus: inputs.corpus && {
      ...inputs.corpus,
      dir: `<SCRATCH>/${inputs.corpus.dir}`,
      command: `node bench/gen-corpus.mjs --out <SCRATCH>/${inputs.corpus.dir} --n ${CORPUS.records} --seed ${CORPUS.seed} --variants ${CORPUS.variants.join(',')} (this checkout's generator, via bench/lib/corpus-cache.mjs)`,
    },
    cases: sortedObject(Object.entries(result)),
  };
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  log(
    `${target.label}: ${cases.length} cases, ${countFiles(body)} files in ${body.wallSeconds.toFixed(0)} s -> ${file}`,
  );
  return file;
}

// ---------------------------------------------------------------- compare

const countFiles = (rec) => Object.values(rec.cases).reduce((n, c) => n + Object.keys(c.files).length, 0);

function readRecord(file) {
  const rec = JSON.parse(readFileSync(file, 'utf8'));
  if (rec.format !== RECORD_FORMAT) throw new Error(`${file} is not a ${RECORD_FORMAT} record`);
  return rec;
}

function caseDifferences(id, a, b) {
  const lines = [];
  const names = [...new Set([...Object.keys(a.files), ...Object.keys(b.files)])].sort();
  for (const name of names) {
    if (!(name in b.files)) lines.push(`${id}/${name}: missing in B`);
    else if (!(name in a.files)) lines.push(`${id}/${name}: extra in B`);
    else if (a.files[name] !== b.files[name]) {
      const rows = a.rows?.[name] !== b.rows?.[name] ? ` (rows ${a.rows?.[name]} vs ${b.rows?.[name]})` : '';
      lines.push(`${id}/${name}: differs ${a.files[name].slice(0, 12)} vs ${b.files[name].slice(0, 12)}${rows}`);
    }
  }
  if (a.auditExit !== b.auditExit) lines.push(`${id}: audit exit ${a.auditExit} vs ${b.auditExit}`);
  return lines;
}

function compareRecords(a, b, labels) {
  const ids = [...new Set([...Object.keys(a.cases), ...Object.keys(b.cases)])].sort();
  const lines = [];
  for (const id of ids) {
    if (!(id in b.cases)) lines.push(`${id}: case missing in B`);
    else if (!(id in a.cases)) lines.push(`${id}: case extra in B`);
    else lines.push(...caseDifferences(id, a.cases[id], b.cases[id]));
  }
  console.log(`A: ${labels[0]}\nB: ${labels[1]}`);
  if (lines.length > 0) {
    for (const line of lines) console.log(line);
    console.log(`different: ${lines.length} difference${lines.length === 1 ? '' : 's'} in ${ids.length} cases`);
    return 1;
  }
  console.log(`identical: ${countFiles(a)} files in ${ids.length} cases`);
  return 0;
}

function describeRecord(file, rec) {
  const r = rec.revision;
  return `${file} (${r.worktree ? `working tree on ${r.commit.slice(0, 12)}${r.changed.length ? ` + ${r.changed.length} changed paths` : ''}` : `${r.rev} = ${r.commit.slice(0, 12)}`})`;
}

function compareFiles(fileA, fileB, caseNames = '') {
  const pick = (rec) =>
    caseNames
      ? {
          ...rec,
          cases: Object.fromEntries(Object.entries(rec.cases).filter(([id]) => caseNames.split(',').includes(id))),
        }
      : rec;
  const [a, b] = [readRecord(fileA), readRecord(fileB)];
  return compareRecords(pick(a), pick(b), [describeRecord(fileA, a), describeRecord(fileB, b)]);
}

// ---------------------------------------------------------------- check

/** A record of the same commit whose selected cases were made from the same definitions. */
function reusableRecord(file, commit, caseNames, scratch) {
  if (!existsSync(file)) return false;
  try {
    const rec = readRecord(file);
    const corpusFromRecipes = path.relative(
      path.join(scratch, 'recipes'),
      path.join(scratch, `corpus-${CORPUS.records}-s${CORPUS.seed}`),
    );
    const cases = chooseCases(allCases(corpusFromRecipes), caseNames);
    return rec.revision.commit === commit && cases.every((c) => rec.cases[c.id]?.definition === caseDefinition(c));
  } catch {
    return false;
  }
}

async function check(args, scratch) {
  if (!args.rev) throw new Error('check needs --rev REV');
  const target = describeTarget(args.rev);
  const revFile = path.join(scratch, `${target.label}.json`);
  if (!args.fresh && reusableRecord(revFile, target.commit, args.cases, scratch))
    log(`reusing ${revFile} (same commit, same case definitions; --fresh re-records it)`);
  else await record({ rev: args.rev, out: revFile, scratch, caseNames: args.cases, keepOutputs: args.keepOutputs });
  const treeFile = await record({
    rev: '',
    out: path.join(scratch, 'worktree.json'),
    scratch,
    caseNames: args.cases,
    keepOutputs: args.keepOutputs,
  });
  return compareFiles(revFile, treeFile, args.cases);
}

// ---------------------------------------------------------------- main

function onSignal(signal) {
  log(`${signal}: cleaning up`);
  for (const child of children) child.kill('SIGTERM');
  for (const cleanup of [...cleanups]) cleanup();
  process.exit(130);
}

async function main() {
  const args = parseArgs(process.argv.slice(2), DEFAULTS);
  const [command, ...rest] = args._;
  if (args.help || !command) {
    console.log(usageOf(readFileSync(SCRIPT_FILE, 'utf8')));
    return args.help ? 0 : 2;
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const scratch = path.resolve(args.scratch);
  if (command === 'record') {
    await record({ rev: args.rev, out: args.out, scratch, caseNames: args.cases, keepOutputs: args.keepOutputs });
    return 0;
  }
  if (command === 'compare') {
    if (rest.length !== 2) throw new Error('compare needs two record files');
    return compareFiles(rest[0], rest[1]);
  }
  if (command === 'check') return check(args, scratch);
  throw new Error(`unknown command ${command} (record, compare, check)`);
}

try {
  process.exitCode = await main();
} catch (error) {
  for (const cleanup of [...cleanups]) cleanup();
  console.error(`reference-outputs: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
