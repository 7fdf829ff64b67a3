/**
 * The reference implementations timed beside mixsmith. They live in ../shared/bench/peers/ (not
 * part of this repository) and are used when that folder exists; only the Node floor has a
 * fallback here, because the targets are stated against it. The W1 peers hard-code the 30k + 70k
 * sample: for another volume they run from a copy in the scratch folder with the two numbers
 * replaced (and nothing else). The `datasets` peers of issue #22 live in bench/peers/ and take the
 * sample sizes as arguments; they run with the bench's own venv (bench-venv.mjs).
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const BENCH_DIR = path.dirname(path.dirname(new URL(import.meta.url).pathname));

function resolvable(fromDir, name) {
  try {
    createRequire(path.join(fromDir, 'noop.js')).resolve(name);
    return true;
  } catch {
    return false;
  }
}

const SAMPLE_SITES = {
  'node_w1.mjs': [/domain: 30000, general: 70000/, (d, g) => `domain: ${d}, general: ${g}`],
  'python_w1.py': [/"domain": 30000, "general": 70000/, (d, g) => `"domain": ${d}, "general": ${g}`],
  'duckdb_w1.mjs': [
    /picked\(0, 30000\)\} UNION ALL \$\{picked\(1, 70000\)/,
    (d, g) => `picked(0, ${d})} UNION ALL \${picked(1, ${g})`,
  ],
  'shell_w1.sh': [/shuf -n 30000(.*\n.*)shuf -n 70000/, (d, g, middle) => `shuf -n ${d}${middle}shuf -n ${g}`],
};

/**
 * The shared bench folder to run peers from: itself at 30k + 70k, otherwise a copy under
 * `scratchDir` whose W1 peers sample `expect` instead. Returns { dir, adapted: Set of files }.
 */
export function peersFor({ sharedDir, scratchDir, expect }) {
  if (!sharedDir) return { dir: null, adapted: new Set() };
  if (expect.domain === 30000 && expect.general === 70000)
    return { dir: sharedDir, adapted: new Set(Object.keys(SAMPLE_SITES)) };
  const dir = path.join(scratchDir, `shared-bench-${expect.domain}-${expect.general}`);
  cpSync(sharedDir, dir, { recursive: true });
  const adapted = new Set();
  for (const [file, [pattern, replace]] of Object.entries(SAMPLE_SITES)) {
    const target = path.join(dir, 'peers', file);
    if (!existsSync(target)) continue;
    const text = readFileSync(target, 'utf8');
    if (!pattern.test(text)) continue;
    writeFileSync(
      target,
      text.replace(pattern, (_, middle) => replace(expect.domain, expect.general, middle)),
    );
    adapted.add(file);
  }
  return { dir, adapted };
}

/** The ids of the peers that need the bench's Python environment. */
export const PYTHON_PEERS = ['datasets-w1', 'datasets-w2'];

/**
 * Every peer: { id, kind: 'limit' | 'w1' | 'w2', what, argv(data, out), env, slow, missing }.
 * `missing` says why a peer cannot run here (null when it can). `python` is the bench venv
 * ({ python, missing } from ensureBenchVenv, or null when not wanted), `expect` the sample.
 */
export function peerList({ sharedDir, repoDir, adapted, python = null, expect = null }) {
  const peersDir = sharedDir ? path.join(sharedDir, 'peers') : null;
  const has = (file) => peersDir !== null && existsSync(path.join(peersDir, file));
  const note = (file) => (adapted.has(file) ? null : `${file}: could not set its sample size`);
  const noShared = 'needs ../shared/bench/peers';
  const duckdbHome = resolvable(repoDir, '@duckdb/node-api') ? repoDir : process.env.BENCHPEERS_DIR;
  return [
    {
      id: 'cat',
      kind: 'limit',
      what: 'cat both inputs to /dev/null (page cache)',
      argv: (d) => ['sh', '-c', `cat "${d}/domain.jsonl" "${d}/general.jsonl" > /dev/null`],
      missing: null,
    },
    has('node_floor.mjs')
      ? {
          id: 'node-floor',
          kind: 'limit',
          what: 'Node: split lines + JSON.parse only (shared peer)',
          argv: (d) => ['node', path.join(peersDir, 'node_floor.mjs'), d],
          missing: null,
        }
      : {
          id: 'node-floor',
          kind: 'limit',
          what: 'Node: split lines + JSON.parse only (bench/node-floor.mjs)',
          argv: (d) => ['node', path.join(BENCH_DIR, 'node-floor.mjs'), d],
          missing: null,
        },
    {
      id: 'node-w1',
      kind: 'w1',
      what: 'plain single-threaded Node W1',
      argv: (d, o) => ['node', path.join(peersDir ?? '', 'node_w1.mjs'), d, o],
      missing: has('node_w1.mjs') ? note('node_w1.mjs') : noShared,
    },
    {
      id: 'duckdb',
      kind: 'w1',
      what: 'DuckDB SQL + JS NFKC function (2 threads)',
      argv: (d, o) => ['node', path.join(peersDir ?? '', 'duckdb_w1.mjs'), d, o],
      env: { BENCHPEERS_DIR: duckdbHome ?? '' },
      missing: !has('duckdb_w1.mjs')
        ? noShared
        : !duckdbHome
          ? '@duckdb/node-api not installed'
          : note('duckdb_w1.mjs'),
    },
    {
      id: 'python',
      kind: 'w1',
      what: 'Python standard-library script',
      argv: (d, o) => ['python3', path.join(peersDir ?? '', 'python_w1.py'), d, o],
      missing: has('python_w1.py') ? note('python_w1.py') : noShared,
    },
    ...PYTHON_PEERS.map((id) => {
      const w2 = id.endsWith('w2');
      const script = path.join(BENCH_DIR, 'peers', w2 ? 'datasets_w2.py' : 'datasets_w1.py');
      return {
        id,
        kind: w2 ? 'w2' : 'w1',
        what: w2
          ? 'Hugging Face datasets + MinHash-LSH (numpy, xxhash; 14 × 8, 5-gram words), W2 without decontamination'
          : 'Hugging Face datasets script (load_dataset, map, filter, shuffle/select, to_json)',
        argv: (d, o) => [python?.python ?? 'python3', script, d, o, String(expect?.domain), String(expect?.general)],
        env: { NUM_PROC: '2' },
        // Pure-Python MinHash and Arrow conversion: minutes where mixsmith takes seconds at 2 × 1M.
        timeoutFactor: 4,
        missing: python ? python.missing : 'bench Python environment not set up',
      };
    }),
    {
      id: 'shell',
      kind: 'w1',
      what: 'jq + perl + awk + shuf pipeline',
      argv: (d, o) => ['bash', path.join(peersDir ?? '', 'shell_w1.sh'), d, o],
      slow: true,
      missing: has('shell_w1.sh') ? note('shell_w1.sh') : noShared,
    },
  ];
}
