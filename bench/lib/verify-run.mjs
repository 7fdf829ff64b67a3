/**
 * Verification of one run's output, as a short verdict for the table. W1 outputs go through
 * ../shared/bench/verify.mjs when it is present (counts, first occurrence, no duplicate keys,
 * records intact, shuffled); otherwise, and for Parquet and W2, through verify-output.mjs.
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
  for (const [i, file] of shardFiles(outDir).entries()) symlinkSync(file, path.join(linkDir, `${String(i).padStart(5, '0')}-${path.basename(file)}`));
  const result = spawnSync('node', [path.join(sharedDir, 'verify.mjs'), '--data', dataDir, '--out', linkDir, '--expect', `domain=${expect.domain},general=${expect.general}`, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, BENCHPEERS_DIR: repoDir },
    maxBuffer: 64 << 20,
  });
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

export async function verifyRun({ workload, outDir, dataDir, expect, sharedDir, repoDir }) {
  const parquet = shardFiles(outDir).every((f) => f.endsWith('.parquet'));
  // verify.mjs reads Parquet columns as records; mixsmith's passthrough Parquet wraps each record
  // in one JSON column, which verify-output.mjs unwraps.
  if (workload === 'w1' && !parquet && sharedDir && existsSync(path.join(sharedDir, 'verify.mjs'))) {
    return sharedVerify({ sharedDir, dataDir, outDir, expect, repoDir });
  }
  const result = await verifyOutput({ outDir, dataDir, expect, repoDir, quality: workload === 'w2' });
  const verdict = result.ok ? 'PASS' : `FAIL: ${result.problems.join('; ').slice(0, 200)}`;
  if (!result.quality) return verdict;
  const { contaminatedLeft, nearPairs } = result.quality;
  return `${verdict} (eval quotes left ${contaminatedLeft}, planted near pairs left ${nearPairs.left}/${nearPairs.planted})`;
}
