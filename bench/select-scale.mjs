#!/usr/bin/env node
// bench/select-scale.mjs: the staged pipeline's select stage (issue #21) over many synthetic fact
// rows on embedded DuckDB, file-backed under a memory limit so it spills: how long the selection
// SQL (select/sql/, the statements `mixsmith select` runs) takes, and the process's peak RSS.
//
//   node bench/select-scale.mjs --rows 10000000                    a first look (about a minute)
//   node bench/select-scale.mjs --rows 100000000 --memory-limit 4GB  the issue's size
//
// The facts table is generated inside DuckDB (never held in JavaScript): seq = 0…rows−1, key =
// md5 of a number with every 12th row a copy of the row before (about 8 % exact duplicates, so
// ownership has work to do), ranks = md5('<seed>:' || key) as mixsmith computes them, two groups
// (30 % domain, 70 % general), two files, chars 200–1199, tokens 50–299: the columns
// select/sql/selection-sql.ts FACTS_DDL names, each row about 100 bytes before compression.
// The recipe: 30 % / 70 %, --volume records out [1000000], 10,000 validation, shortage cap, and a
// 30-point sweep (volumes up to --volume × shares 0…1) with --sweep.
// Options: --rows N, --volume N, --memory-limit [4GB], --threads [2], --sweep, --scratch DIR
// [.bench], --rev REV (time a committed revision's SQL). Prints one report; the database folder
// is removed at the end.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { intArg, parseArgs } from './lib/args.mjs';
import { buildMixsmith } from './lib/build.mjs';
import { describeMachine, machineFacts } from './lib/machine.mjs';

const repoDir = path.resolve(import.meta.dirname, '..');
const args = parseArgs(process.argv.slice(2), {
  rows: '10000000',
  volume: '1000000',
  memoryLimit: '4GB',
  threads: '2',
  sweep: false,
  scratch: '.bench',
  rev: '',
});
const rows = intArg(args.rows, 'rows');
const volume = intArg(args.volume, 'volume');
const scratchDir = path.resolve(repoDir, args.scratch);
const runDir = path.join(scratchDir, 'results', `select-scale-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(runDir, { recursive: true });
const log = (line) => process.stderr.write(`${line}\n`);

const { root, label } = buildMixsmith({ repoDir, scratchDir, runDir, rev: args.rev, log });
const dist = (module) => import(pathToFileURL(path.join(root, 'dist', module)).href);
const { DuckDbEngine } = await dist('select/sql/duckdb-engine.js');
const { selectWithSql } = await dist('select/sql/select-sql.js');
const { parseRecipe } = await dist('recipe/load.js');
const { planMixture } = await dist('plan/plan.js');

const seed = 42;
const volumes = [0.05, 0.1, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * volume));
const recipeText = `name: select-scale
seed: ${seed}
sources:
  - { name: domain, group: domain, path: domain.jsonl }
  - { name: general, group: general, path: general.jsonl }
mixture:
  volume: ${volume}
  shares: { domain: 0.3, general: 0.7 }
  shortage: cap
split:
  validation: 10000
${args.sweep ? `sweep:\n  volume: [${volumes.join(', ')}]\n  shares: { domain: [0, 0.25, 0.5, 0.75, 1] }\n` : ''}`;
const loaded = parseRecipe(recipeText, 'select-scale.yaml', runDir);
const plan = planMixture(loaded.recipe);

const dbDir = path.join(runDir, 'db');
mkdirSync(dbDir, { recursive: true });
const engine = await DuckDbEngine.open(path.join(dbDir, 'select.duckdb'));
const seconds = (start) => (performance.now() - start) / 1000;
const rssMb = () => process.resourceUsage().maxRSS / 1024;
try {
  await engine.run(`SET memory_limit = '${args.memoryLimit}'`);
  await engine.run(`SET threads = ${intArg(args.threads, 'threads')}`);
  await engine.run(`SET temp_directory = '${path.join(dbDir, 'spill')}'`);
  await engine.run('SET preserve_insertion_order = false');
  log(`[select-scale] generating ${rows.toLocaleString('en-US')} fact rows in DuckDB…`);
  let start = performance.now();
  await engine.run(`CREATE TABLE facts AS
    SELECT i AS seq, k AS key, md5('${seed}:' || k) AS ranks,
      CASE WHEN i % 10 < 3 THEN 'domain' ELSE 'general' END AS grp,
      CAST(CASE WHEN i % 10 < 3 THEN 0 ELSE 1 END AS INTEGER) AS file_index,
      i + 1 AS line, 200 + i % 1000 AS chars, 50 + i % 250 AS tokens,
      CASE WHEN i % 10 < 3 THEN 'domain' ELSE 'general' END AS source
    FROM (SELECT i, md5(CAST(CASE WHEN i % 12 = 11 THEN i - 1 ELSE i END AS VARCHAR)) AS k FROM range(${rows}) t(i))`);
  const generateSeconds = seconds(start);
  const generateRss = rssMb();
  log(
    `[select-scale] generated in ${generateSeconds.toFixed(1)} s (peak RSS ${generateRss.toFixed(0)} MB); selecting…`,
  );
  start = performance.now();
  const selections = await selectWithSql(engine, plan, loaded.recipe);
  const selectSeconds = seconds(start);
  const chosen = selections.reduce((sum, s) => sum + s.records.length, 0);
  const report = [
    `# select stage over ${rows.toLocaleString('en-US')} synthetic fact rows (DuckDB, file-backed)`,
    '',
    `mixsmith: ${label}; ${describeMachine(machineFacts())}`,
    `DuckDB: memory_limit ${args.memoryLimit}, threads ${args.threads}, spill to ${path.relative(repoDir, dbDir)}`,
    '',
    `- recipe: ${plan.points.length} point(s), volume ${volume.toLocaleString('en-US')}, 30 % / 70 %, 10,000 validation, shortage cap`,
    `- generating the facts table: ${generateSeconds.toFixed(1)} s (not part of the stage: the facts parts are its input)`,
    `- selection (ownership, validation draw, training order, quotas, every point's records): **${selectSeconds.toFixed(1)} s**`,
    `- records placed over all points: ${chosen.toLocaleString('en-US')}`,
    `- peak RSS of the process: **${rssMb().toFixed(0)} MB** (after generation: ${generateRss.toFixed(0)} MB)`,
  ].join('\n');
  console.log(report);
} finally {
  engine.close();
  rmSync(dbDir, { recursive: true, force: true });
}
