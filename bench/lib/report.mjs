/**
 * From timed runs to the printed report: a table of medians per configuration, mixsmith W1
 * against the floor and each peer, and one PASS/FAIL line per issue-#8 target.
 */
import { median, mib, ratio, seconds } from './stats.mjs';

function medianPhases(runs) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.phases ?? {})))];
  if (names.length === 0) return null;
  return Object.fromEntries(names.map((n) => [n, median(runs.map((r) => r.phases?.[n]))]));
}

export function summarize(runs, order) {
  const rows = [];
  for (const id of order) {
    const mine = runs.filter((r) => r.id === id);
    if (mine.length === 0) continue;
    const ok = mine.filter((r) => r.exit === 0);
    const walls = ok.map((r) => r.wallSeconds);
    const digests = ok.map((r) => r.digest).filter(Boolean);
    rows.push({
      id,
      kind: mine[0].kind,
      what: mine[0].what,
      repeats: mine.length,
      failures: mine.length - ok.length,
      failure: mine.find((r) => r.exit !== 0)?.failure ?? null,
      wall: median(walls),
      wallMin: Math.min(...walls),
      wallMax: Math.max(...walls),
      cpu: median(ok.map((r) => r.cpuSeconds)),
      rss: median(ok.map((r) => r.maxRssKb)),
      rssMax: Math.max(...ok.map((r) => r.maxRssKb)),
      load1: median(mine.map((r) => r.load1)),
      verified: mine.find((r) => r.verify)?.verify ?? '–',
      phases: medianPhases(ok),
      deterministic: mine[0].kind === 'limit' ? '–' : digests.length < 2 ? 'n/a (1 run)' : digests.every((d) => d === digests[0]) ? 'yes' : 'NO',
    });
  }
  return rows;
}

/** A warning when other work shared the machine: wall times then mean less than CPU times. */
export function busyNote(results, cores) {
  const load = median(results.map((r) => r.load1));
  return load > cores * 0.75 ? [`- **busy machine**: median 1-minute load ${load.toFixed(1)} on ${cores} cores during the runs; wall times are inflated, compare CPU s and ratios within this run`] : [];
}

export function resultsTable(rows, inputBytes) {
  const floor = rows.find((r) => r.id === 'node-floor');
  const lines = [
    '| run | what | wall s, median (min–max) | CPU s | CPU/wall | peak RSS MiB | input MB/s | × node-floor | verified | same bytes each repeat | load1 | phases s (manifest) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const failed = r.failures ? ` (${r.failures} of ${r.repeats} failed)` : '';
    if (!Number.isFinite(r.wall)) {
      lines.push(`| ${r.id}${failed} | ${r.what} | failed: ${r.failure ?? '?'} | | | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${r.id}${failed} | ${r.what} | ${seconds(r.wall)} (${seconds(r.wallMin)}–${seconds(r.wallMax)}) | ${seconds(r.cpu)} | ${(r.cpu / r.wall).toFixed(2)} | ${mib(r.rss)} | ${(inputBytes / 1e6 / r.wall).toFixed(0)} | ${floor ? ratio(r.wall / floor.wall) : '–'} | ${r.verified} | ${r.deterministic} | ${r.load1.toFixed(2)} | ${r.phases ? Object.entries(r.phases).map(([n, t]) => `${n} ${seconds(t)}`).join(', ') : ''} |`,
    );
  }
  return lines.join('\n');
}

/** mixsmith W1 against every other row: how many times faster, and its memory relative to theirs. */
export function ratioTable(rows) {
  const w1 = rows.find((r) => r.id === 'mixsmith-w1');
  if (!w1 || !Number.isFinite(w1.wall)) return 'mixsmith W1 did not run: no ratios.';
  const lines = ['| mixsmith W1 vs | their wall s | mixsmith speed-up (their wall / W1 wall) | their peak RSS MiB | W1 RSS / theirs |', '|---|---|---|---|---|'];
  for (const r of rows) {
    if (r.kind === 'mixsmith' || !Number.isFinite(r.wall)) continue;
    lines.push(`| ${r.id} | ${seconds(r.wall)} | ${ratio(r.wall / w1.wall)} | ${mib(r.rss)} | ${ratio(w1.rss / r.rss)} |`);
  }
  return lines.join('\n');
}

const MIB_512 = 512 * 1024;

function verdict(pass, text) {
  return `${pass ? 'PASS' : 'FAIL'}  ${text}`;
}

/** One line per target of issue #8; n/a with the reason when a row is missing. */
export function targetLines(rows, unsupported, records) {
  const get = (id) => rows.find((r) => r.id === id && Number.isFinite(r.wall));
  const why = (id) => (unsupported.get(id) ? `not supported yet (${unsupported.get(id)})` : 'not run');
  const w1 = get('mixsmith-w1');
  const correct = w1 && !String(w1.verified).startsWith('FAIL');
  const lines = [];
  if (records < 1_000_000) lines.push(`note  the targets are stated for 2 × 1M records; at 2 × ${records.toLocaleString('en-US')} fixed start-up costs (Node, recipe schema compile) weigh more`);
  const floor = get('node-floor');
  const python = get('python');
  if (!w1) lines.push(`n/a   W1 targets: mixsmith W1 ${why('mixsmith-w1')}`);
  else {
    if (!correct) lines.push(`FAIL  W1 output failed verification (${w1.verified}): the speed targets below do not count`);
    lines.push(floor ? verdict(correct && w1.wall <= 1.5 * floor.wall, `W1 wall ≤ 1.5 × node floor: ${seconds(w1.wall)} s vs ${seconds(1.5 * floor.wall)} s (${ratio(w1.wall / floor.wall)} the floor; CPU ${ratio(w1.cpu / floor.cpu)})`) : 'n/a   W1 wall ≤ 1.5 × node floor: floor not run');
    lines.push(python ? verdict(correct && python.wall / w1.wall >= 5, `W1 ≥ 5 × faster than Python: ${ratio(python.wall / w1.wall)} (${seconds(python.wall)} s vs ${seconds(w1.wall)} s; CPU ${ratio(python.cpu / w1.cpu)})`) : 'n/a   W1 ≥ 5 × faster than Python: Python peer not run');
    lines.push(verdict(w1.rssMax <= MIB_512, `W1 peak RSS ≤ 512 MiB: ${mib(w1.rssMax)} MiB (largest of ${w1.repeats - w1.failures} runs)`));
  }
  lines.push('see   W1 peak RSS within 20 % between 2 × 100k and 2 × 1M inputs: measured by node bench/memory-scaling.mjs');
  for (const [id, label, limit] of [
    ['mixsmith-w1-parquet', 'W1 with Parquet (zstd) output ≤ 1.3 × JSONL', 1.3],
    ['mixsmith-w1-gz', 'W1 with .jsonl.gz inputs ≤ 1.3 × plain', 1.3],
    ['mixsmith-w1-zst', 'W1 with .jsonl.zst inputs ≤ 1.3 × plain', 1.3],
  ]) {
    const row = get(id);
    if (!row || !w1) lines.push(`n/a   ${label}: ${row ? 'W1 not run' : why(id)}`);
    else lines.push(verdict(row.wall <= limit * w1.wall && !String(row.verified).startsWith('FAIL'), `${label}: ${seconds(row.wall)} s = ${ratio(row.wall / w1.wall)} W1 (CPU ${ratio(row.cpu / w1.cpu)}; verified ${row.verified})`));
  }
  const w2 = get('mixsmith-w2');
  lines.push(w2 ? `info  W2 ran in ${seconds(w2.wall)} s, ${mib(w2.rss)} MiB (verified ${w2.verified})` : `n/a   W2: ${why('mixsmith-w2')}`);
  return lines;
}
