/**
 * The mixsmith binary the benchmark times, built once into the scratch folder so nobody's
 * `npm run build` can swap dist/ under a running measurement: by default a snapshot of the
 * working tree (src/, schemas/, package.json, tsconfig*.json: the project as it is, uncommitted
 * edits included); with --rev a committed revision exported by `git archive` (the working tree
 * and the index are left alone). Either is compiled with the project's tsc against the project's
 * node_modules. A build with type errors still emits JavaScript; the run goes on and says so.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const SNAPSHOT_ENTRIES = ['src', 'schemas', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function snapshotWorkingTree(repoDir, root) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const entry of SNAPSHOT_ENTRIES) {
    if (existsSync(path.join(repoDir, entry)))
      cpSync(path.join(repoDir, entry), path.join(root, entry), { recursive: true });
  }
  symlinkSync(path.join(repoDir, 'node_modules'), path.join(root, 'node_modules'));
}

function run(argv, cwd) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/**
 * Returns { root, bin, label, warning }: bin is dist/cli/bin.js under root. The working-tree
 * snapshot goes into `runDir` (one per run); a revision's build is kept in `scratchDir` and reused.
 */
export function buildMixsmith({ repoDir, scratchDir, runDir, rev, log }) {
  let root = path.join(runDir, 'build');
  let label = 'working tree';
  if (!rev) {
    snapshotWorkingTree(repoDir, root);
    const head = run(['git', 'rev-parse', '--short=12', 'HEAD'], repoDir).output;
    const changed = run(['git', 'status', '--porcelain', '--', ...SNAPSHOT_ENTRIES], repoDir)
      .output.split('\n')
      .filter(Boolean).length;
    label = `working tree snapshot: ${head}${changed ? ` + ${changed} uncommitted paths` : ''}`;
  } else {
    const sha = run(['git', 'rev-parse', '--short=12', rev], repoDir);
    if (!sha.ok) throw new Error(`--rev ${rev}: ${sha.output}`);
    root = path.join(scratchDir, `rev-${sha.output}`);
    label = `revision ${sha.output}`;
    if (!existsSync(path.join(root, 'package.json'))) {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root, { recursive: true });
      const exported = spawnSync('sh', ['-c', 'git archive "$1" | tar -x -C "$2"', 'sh', rev, root], {
        cwd: repoDir,
        encoding: 'utf8',
      });
      if (exported.status !== 0) throw new Error(`git archive ${rev}: ${exported.stderr}`);
      symlinkSync(path.join(repoDir, 'node_modules'), path.join(root, 'node_modules'));
    }
  }
  log(`[bench] building mixsmith (${label})`);
  const built = run([path.join(repoDir, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.build.json'], root);
  const bin = path.join(root, 'dist', 'cli', 'bin.js');
  if (!existsSync(bin)) throw new Error(`build produced no ${bin}:\n${built.output}`);
  const warning = built.ok
    ? null
    : `the build reported errors (JavaScript was still emitted): ${built.output.split('\n').slice(0, 3).join(' | ')}`;
  if (warning) log(`[bench] warning: ${warning}`);
  return { root, bin, label, warning };
}
