/**
 * The mixsmith binary the benchmark times: the working tree built once with `npm run build`, or
 * with --rev a committed revision exported by `git archive` into the scratch folder (the working
 * tree and the index are left alone) and built there against the project's node_modules. A
 * build with type errors still emits JavaScript; the run goes on and says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

function run(argv, cwd) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Returns { root, bin, label, warning }: bin is dist/cli/bin.js under root. */
export function buildMixsmith({ repoDir, scratchDir, rev, log }) {
  let root = repoDir;
  let label = 'working tree';
  if (rev) {
    const sha = run(['git', 'rev-parse', '--short=12', rev], repoDir);
    if (!sha.ok) throw new Error(`--rev ${rev}: ${sha.output}`);
    root = path.join(scratchDir, `rev-${sha.output}`);
    label = `revision ${sha.output}`;
    if (!existsSync(path.join(root, 'package.json'))) {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root, { recursive: true });
      const exported = spawnSync('sh', ['-c', 'git archive "$1" | tar -x -C "$2"', 'sh', rev, root], { cwd: repoDir, encoding: 'utf8' });
      if (exported.status !== 0) throw new Error(`git archive ${rev}: ${exported.stderr}`);
      symlinkSync(path.join(repoDir, 'node_modules'), path.join(root, 'node_modules'));
    }
  }
  log(`[bench] building mixsmith (${label})`);
  const built = run([path.join(repoDir, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.build.json'], root);
  const bin = path.join(root, 'dist', 'cli', 'bin.js');
  if (!existsSync(bin)) throw new Error(`build produced no ${bin}:\n${built.output}`);
  const warning = built.ok ? null : `the build reported errors (JavaScript was still emitted): ${built.output.split('\n').slice(0, 3).join(' | ')}`;
  if (warning) log(`[bench] warning: ${warning}`);
  return { root, bin, label, warning };
}
