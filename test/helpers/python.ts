/**
 * The project-local Python environment for tests that load mixsmith's outputs with the real
 * consumers (Hugging Face `datasets`, `pyarrow`, DuckDB). `scripts/python-env.sh` builds it in
 * `.venv/`; `MIXSMITH_PYTHON=/path/to/python` uses another interpreter instead.
 *
 *   const py = pythonEnv();
 *   describePython(py, 'datasets loads the output', () => { it(…, async () => { await runPython(…) }) });
 *
 * When the environment is missing or cannot import the modules, the suite is skipped and one line
 * says so, unless the environment is required: under `CI=true` (or when MIXSMITH_PYTHON names an
 * interpreter that does not work) every test of the suite fails with that line instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VENV_PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
/** Python scripts of the consumer tests. */
export const PY_SCRIPTS = path.join(REPO_ROOT, 'test', 'consumers', 'py');
/** What python/requirements.txt installs and the consumer tests import. */
export const REQUIRED_MODULES: readonly string[] = [
  'datasets',
  'pyarrow',
  'pyarrow.parquet',
  'duckdb',
  'jinja2',
  'zstandard',
];

/** TRL's dataset preparation (test/consumers/trl-prepare.test.ts, sweep-configs.test.ts): python/requirements.txt installs these too. */
export const TRL_MODULES: readonly string[] = [...REQUIRED_MODULES, 'torch', 'transformers', 'trl'];

export interface PythonEnv {
  /** The interpreter imports every required module. */
  readonly ok: boolean;
  /** The interpreter tried: MIXSMITH_PYTHON, or .venv/bin/python. */
  readonly python: string;
  /** Module name → `__version__` ('' when the module has none); empty unless ok. */
  readonly versions: Readonly<Record<string, string>>;
  /** Why the environment is not usable, ending in what to do; '' when ok. */
  readonly reason: string;
  /** A missing environment fails the tests instead of skipping them (CI=true, or MIXSMITH_PYTHON set). */
  readonly required: boolean;
  /** Why it is required ('CI=true', 'MIXSMITH_PYTHON is set'); '' when not. */
  readonly requiredBecause: string;
}

const CHECK_TIMEOUT_MS = 120_000;
const checked = new Map<string, PythonEnv>();

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Find the interpreter and check, once per test file and module list, that it imports the modules. */
export function pythonEnv(modules: readonly string[] = REQUIRED_MODULES): PythonEnv {
  const key = modules.join(',');
  const cached = checked.get(key);
  if (cached) return cached;
  const result = checkPython(modules, process.env);
  checked.set(key, result);
  return result;
}

function checkPython(modules: readonly string[], env: NodeJS.ProcessEnv): PythonEnv {
  const override = env.MIXSMITH_PYTHON?.trim();
  const python = override || VENV_PYTHON;
  const label = override ? `MIXSMITH_PYTHON=${override}` : '.venv';
  const requiredBecause = isCi(env) ? `CI=${env.CI}` : override ? 'MIXSMITH_PYTHON is set' : '';
  const required = requiredBecause !== '';
  const fix = override ? 'fix MIXSMITH_PYTHON or unset it' : 'run scripts/python-env.sh';
  const missing = (what: string): PythonEnv => ({
    ok: false,
    python,
    versions: {},
    reason: `${what}: ${fix}`,
    required,
    requiredBecause,
  });

  if (!existsSync(python)) return missing(`Python environment missing (${label})`);
  const code = [
    'import importlib, json, sys',
    'mods = sys.argv[1:]',
    'print(json.dumps({m: str(getattr(importlib.import_module(m), "__version__", "")) for m in mods}))',
  ].join('\n');
  const run = spawnSync(python, ['-c', code, ...modules], {
    encoding: 'utf8',
    timeout: CHECK_TIMEOUT_MS,
    env: pythonProcessEnv(env),
  });
  if (run.error) return missing(`Python environment unusable (${label}: ${run.error.message})`);
  if (run.status !== 0) {
    const lastLine = run.stderr.trim().split('\n').pop() ?? `exit ${run.status}`;
    return missing(`Python environment incomplete (${label}: ${lastLine})`);
  }
  const versions = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Record<string, string>;
  return { ok: true, python, versions, reason: '', required, requiredBecause };
}

const announced = new Set<string>();

/**
 * A describe block for tests that need the Python environment: run when it works; skipped with one
 * line saying which suite and why when it is missing; every test failing with that line when the
 * environment is required (CI). Keep heavy setup inside the tests (memoised), not in beforeAll:
 * the failure is raised before each test, after the suite's beforeAll hooks.
 */
export function describePython(env: PythonEnv, title: string, fn: () => void): void {
  if (env.ok) {
    describe(title, fn);
    return;
  }
  if (env.required) {
    describe(title, () => {
      beforeEach(() => {
        throw new Error(`${env.reason} (required, not skipped: ${env.requiredBecause})`);
      });
      fn();
    });
    return;
  }
  if (!announced.has(title)) {
    announced.add(title);
    console.warn(`[python] skipped every test of "${title}": ${env.reason}`);
  }
  describe.skip(title, fn);
}

export interface PythonRunOptions {
  /** Defaults to the repository root. */
  readonly cwd?: string;
  /** Kill the process after this long (default 120 s); the result then has timedOut. */
  readonly timeoutMs?: number;
  /** Added to the environment; HF_HOME defaults to a fresh temp folder removed after the run. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to the process's standard input. */
  readonly input?: string;
}

export interface PythonRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** The environment of every Python process: offline Hugging Face libraries, no bytecode files in test/. */
function pythonProcessEnv(base: NodeJS.ProcessEnv, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...base,
    HF_HUB_OFFLINE: '1',
    HF_DATASETS_OFFLINE: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    PYTHONIOENCODING: 'utf-8',
    ...extra,
  };
}

/**
 * Run a Python script with the environment's interpreter: `script` is a `.py` file (relative paths
 * resolve against test/consumers/py/) or, when it does not end in `.py`, code passed with `-c`.
 */
export function runPython(
  env: PythonEnv,
  script: string,
  args: readonly string[] = [],
  options: PythonRunOptions = {},
): Promise<PythonRun> {
  const isFile = script.endsWith('.py');
  const argv = isFile ? [path.resolve(PY_SCRIPTS, script), ...args] : ['-c', script, ...args];
  const hfHome = options.env?.HF_HOME ? undefined : mkdtempSync(path.join(tmpdir(), 'mixsmith-hf-'));
  const extra = hfHome ? { HF_HOME: hfHome, ...options.env } : { ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(env.python, argv, { cwd: options.cwd ?? REPO_ROOT, env: pythonProcessEnv(process.env, extra) });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    const cleanup = () => {
      clearTimeout(timer);
      if (hfHome) rmSync(hfHome, { recursive: true, force: true });
    };
    child.on('error', (error) => {
      cleanup();
      reject(error);
    });
    child.on('close', (code, signal) => {
      cleanup();
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The JSON document a script printed as its last stdout line; throws with the script's stderr otherwise. */
export function lastJsonLine<T>(run: PythonRun): T {
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.code !== 0 || !last.startsWith('{')) {
    const how = run.timedOut ? 'timed out' : `exited ${run.code ?? run.signal}`;
    throw new Error(
      `the Python script ${how}\n--- stderr (end) ---\n${run.stderr.slice(-4000)}\n--- stdout (end) ---\n${run.stdout.slice(-1000)}`,
    );
  }
  return JSON.parse(last) as T;
}
