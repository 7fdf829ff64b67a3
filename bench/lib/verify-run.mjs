/**
 * Verification of one run's output, as a short verdict for the table. W1 outputs go through
 * ../shared/bench/verify.mjs when it is present (counts, first occurrence, no duplicate keys,
 * records intact, shuffled); otherwise, and for Parquet and W2, through verify-output.mjs.
 * Sweeps are checked through their largest point's folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { shardFiles } from './output-files.mjs';
import { verifyOutput } from './verify-output.mjs';

/**
 * verify.mjs takes every *.jsonl under --out as output, removed.jsonl and provenance sidecars
 * included, so it is pointed at a folder of links to the record shards alone.
 */
function sharedVerify({ sharedDir, dataDir, outDir, expect, repoDir }) {
  const linkDir = path.join(outDir, '.shards');
  rmSync(linkDir, { recursive: true, force: true });
  mkdirSync(linkDir);
  for (const [i, file] of shardFiles(outDir).entries())
    symlinkSync(file, path.join(linkDir, `${String(i).padStart(5, '0')}-${path.basename(file)}`));
  const result = spawnSync(
    'node',
    [
      path.join(sharedDir, 'verify.mjs'),
      '--data',
      dataDir,
      '--out',
      linkDir,
      '--expect',
      `domain=${expect.domain},general=${expect.general}`,
      '--json',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, BENCHPEERS_DIR: repoDir },
      maxBuffer: 64 << 20,
    },
  );
  try {
    const summary = JSON.parse(result.stdout);
    if (summary.ok) return 'PASS';
    const failed = Object.entries(summary.checks)
      .filter(([, c]) => !c.ok)
      .map(([name, c]) => `${name}: ${c.notes[0] ?? ''}`);
    return `FAIL: ${failed.join('; ').slice(0, 200)}`;
  } catch {
    return `FAIL: verify.mjs: ${(result.stderr || result.stdout).trim().split('\n').pop()}`;
  }
}

const share = (x) => (Number.isFinite(x) ? x.toFixed(3) : '–');

/**
 * Returns { text, quality }: the verdict for the table and, for W2, the counts the issue-#22
 * targets read (quoted eval items and planted near pairs left, near-dup precision and recall).
 * Sweeps are checked through their largest point (`checkDir`, the point's folder).
 */
export async function verifyRun({ workload, outDir, dataDir, expect, sharedDir, repoDir, checkDir = outDir }) {
  const parquet = shardFiles(checkDir).every((f) => f.endsWith('.parquet'));
  // verify.mjs reads Parquet columns as records; mixsmith's passthrough Parquet wraps each record
  // in one JSON column, which verify-output.mjs unwraps.
  if (workload !== 'w2' && !parquet && sharedDir && existsSync(path.join(sharedDir, 'verify.mjs'))) {
    return { text: sharedVerify({ sharedDir, dataDir, outDir: checkDir, expect, repoDir }), quality: null };
  }
  const result = await verifyOutput({ outDir: checkDir, dataDir, expect, repoDir, quality: workload === 'w2' });
  const verdict = result.ok ? 'PASS' : `FAIL: ${result.problems.join('; ').slice(0, 200)}`;
  if (!result.quality) return { text: verdict, quality: null };
  const { contaminatedLeft, nearPairs, nearScores } = result.quality;
  const scores = nearScores
    ? `, near-dup precision ${share(nearScores.precision)} recall ${share(nearScores.recall)} (${nearScores.caught}/${nearScores.eligible} pairs, ${nearScores.nearRemoved} removed)`
    : ', near-dup precision/recall n/a (no removal list)';
  return {
    text: `${verdict} (eval quotes left ${contaminatedLeft}, planted near pairs left ${nearPairs.left}/${nearPairs.planted}${scores})`,
    quality: result.quality,
  };
}
