/**
 * A private single-node Slurm cluster for a test file, made of the test's own processes: `munged`
 * with a fresh key and its own socket, state and log files; `slurmctld -D` and `slurmd -D` reading
 * a minimal slurm.conf (one node `localhost` with 2 CPUs, one partition, proctrack/linuxproc,
 * task/none, no cgroups, no accounting), everything under one temp folder. Both daemons listen on
 * 127.0.0.1 only (CommunicationParameters=NoInAddrAny,NoCtldInAddrAny), on ports picked free, so
 * the cluster's traffic stays on loopback and it never meets the machine's own Slurm, if any.
 * Clients (`sbatch`, `squeue`, …) reach it through SLURM_CONF in `cluster.env`.
 *
 *   describeSlurm('jobs', () => { it(…, async () => { const c = await startSlurmCluster(); … await c.stop() }) });
 *
 * Needs Debian's `slurm-wlm` and `munge` (which .ci/run installs) and root (slurmd starts jobs as
 * their user). Without them the suite is skipped with one line saying why; under CI=true every test
 * fails with that line instead, so a missing Slurm never passes silently. Daemons are stopped by
 * their process ids, never by name: another Slurm on the machine is left alone.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe } from 'vitest';

const run = promisify(execFile);

/** The programs the cluster needs: daemons from slurmctld, slurmd and munge; clients from slurm-client. */
export const SLURM_PROGRAMS: readonly string[] = [
  'munged',
  'slurmctld',
  'slurmd',
  'sbatch',
  'squeue',
  'sinfo',
  'scontrol',
  'scancel',
];

/** A program's path on PATH or in /usr/sbin, /sbin (daemons live there and root's PATH may lack them). */
export function findProgram(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/sbin', '/usr/bin'];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Why a cluster cannot be started here, ending in what to do; '' when it can. */
export function slurmUnavailable(env: NodeJS.ProcessEnv = process.env): string {
  const missing = SLURM_PROGRAMS.filter((p) => findProgram(p, env) === undefined);
  if (missing.length > 0)
    return `Slurm is not installed (${missing.join(', ')} not found): apt-get install --no-install-recommends slurm-wlm munge`;
  if (process.getuid?.() !== 0) return 'slurmd starts jobs as their user and needs root: run the tests as root';
  return '';
}

const announced = new Set<string>();

/**
 * A describe block for tests that need a Slurm cluster: run when one can be started; otherwise
 * skipped with one line saying why, or, under CI=true, every test failing with that line.
 */
export function describeSlurm(title: string, fn: () => void, env: NodeJS.ProcessEnv = process.env): void {
  const reason = slurmUnavailable(env);
  if (reason === '') {
    describe(title, fn);
    return;
  }
  if (isCi(env)) {
    describe(title, () => {
      beforeEach(() => {
        throw new Error(`${reason} (required, not skipped: CI=${env.CI})`);
      });
      fn();
    });
    return;
  }
  if (!announced.has(title)) {
    announced.add(title);
    console.warn(`[slurm] skipped every test of "${title}": ${reason}`);
  }
  describe.skip(title, fn);
}

/** One job, or one task of a job array, as `scontrol show job` reports it. */
export interface SlurmJob {
  /** The job id (for an array task, its own id). */
  readonly id: string;
  /** The array's job id and this task's index; '' for a plain job. */
  readonly arrayJobId: string;
  readonly arrayTaskId: string;
  readonly name: string;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, … */
  readonly state: string;
  /** Why it is pending or ended (e.g. Dependency, DependencyNeverSatisfied, NonZeroExitCode). */
  readonly reason: string;
  /** `status:signal` */
  readonly exitCode: string;
}

export interface SlurmCluster {
  /** The temp folder holding the configuration, keys, state, spool and logs. */
  readonly dir: string;
  /** The slurm.conf the daemons and clients read. */
  readonly conf: string;
  /** The environment for client commands and anything they start (SLURM_CONF set). */
  readonly env: NodeJS.ProcessEnv;
  readonly ports: { readonly slurmctld: number; readonly slurmd: number };
  /** Every job and array task the controller knows (finished ones kept for MinJobAge, 600 s). */
  jobs(): Promise<SlurmJob[]>;
  /** Wait until no job is pending or running; throws after `timeoutMs` with the queue and daemon logs. */
  waitIdle(timeoutMs: number): Promise<void>;
  /** The local addresses the daemons listen on (`ADDRESS:PORT`), from `ss`. */
  listening(): string[];
  /** The end of the daemons' logs, for failure messages. */
  logs(): string;
  /** Cancel every job, stop the daemons (by pid), remove the folder. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port on 127.0.0.1 that nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function slurmConf(dir: string, ports: { slurmctld: number; slurmd: number }): string {
  return `${[
    '# A private single-node cluster for mixsmith tests (test/helpers/slurm-cluster.ts).',
    `ClusterName=mixsmith${ports.slurmctld}`,
    'SlurmctldHost=localhost(127.0.0.1)',
    `SlurmctldPort=${ports.slurmctld}`,
    `SlurmdPort=${ports.slurmd}`,
    // Listen on 127.0.0.1 only, not on every interface.
    'CommunicationParameters=NoInAddrAny,NoCtldInAddrAny',
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${path.join(dir, 'run', 'munge.socket')}`,
    `StateSaveLocation=${path.join(dir, 'state')}`,
    `SlurmdSpoolDir=${path.join(dir, 'spool')}`,
    `SlurmctldPidFile=${path.join(dir, 'run', 'slurmctld.pid')}`,
    `SlurmdPidFile=${path.join(dir, 'run', 'slurmd.pid')}`,
    `SlurmctldLogFile=${path.join(dir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${path.join(dir, 'log', 'slurmd.log')}`,
    'MailProg=/bin/true',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'SchedulerType=sched/builtin',
    'MpiDefault=none',
    'ReturnToService=2',
    // The node's CPUs/sockets come from this file, whatever the hardware says.
    'SlurmdParameters=config_overrides',
    // A job whose afterok can never be met is cancelled (reason DependencyNeverSatisfied), not left pending.
    'DependencyParameters=kill_invalid_depend',
    'MinJobAge=600',
    'InactiveLimit=0',
    'KillWait=5',
    'Waittime=0',
    'NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=2 RealMemory=500 State=UNKNOWN',
    'PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
  ].join('\n')}\n`;
}

interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  readonly output: string;
  exited: boolean;
}

function startDaemon(dir: string, name: string, program: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
  const output = path.join(dir, 'log', `${name}.out`);
  const fd = openSync(output, 'a');
  const child = spawn(program, args, { cwd: dir, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const daemon: Daemon = { name, child, output, exited: false };
  child.on('exit', () => (daemon.exited = true));
  child.on('error', () => (daemon.exited = true));
  return daemon;
}

const tail = (file: string, lines = 15) =>
  existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(none)';

/** Parse `scontrol show job -o` (one job a line, `Key=Value` words). */
export function parseJobs(text: string): SlurmJob[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('JobId='))
    .map((line) => {
      const field = (key: string) => new RegExp(`(?:^| )${key}=(\\S*)`).exec(line)?.[1] ?? '';
      return {
        id: field('JobId'),
        arrayJobId: field('ArrayJobId'),
        arrayTaskId: field('ArrayTaskId'),
        name: field('JobName'),
        state: field('JobState'),
        reason: field('Reason'),
        exitCode: field('ExitCode'),
      };
    });
}

/** Start munged, slurmctld and slurmd; resolves once `sinfo` shows the node idle. */
export async function startSlurmCluster(timeoutMs = 60_000): Promise<SlurmCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mixsmith-slurmd-'));
  // munged wants its socket's folder searchable by all, its key private to its owner.
  chmodSync(dir, 0o755);
  for (const [sub, mode] of [
    ['munge', 0o700],
    ['run', 0o755],
    ['state', 0o700],
    ['spool', 0o755],
    ['log', 0o755],
  ] as const) {
    mkdirSync(path.join(dir, sub));
    chmodSync(path.join(dir, sub), mode);
  }
  const key = path.join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const slurmctldPort = await freePort();
  let slurmdPort = await freePort();
  while (slurmdPort === slurmctldPort) slurmdPort = await freePort();
  const ports = { slurmctld: slurmctldPort, slurmd: slurmdPort };
  const conf = path.join(dir, 'slurm.conf');
  writeFileSync(conf, slurmConf(dir, ports));
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf };
  const program = (name: string) => findProgram(name, env) ?? name;
  const socket = path.join(dir, 'run', 'munge.socket');

  const daemons: Daemon[] = [];
  const logs = () =>
    [
      ...daemons.map((d) => `--- ${d.name} (${d.exited ? 'exited' : 'running'}) ---\n${tail(d.output)}`),
      `--- slurmctld.log ---\n${tail(path.join(dir, 'log', 'slurmctld.log'))}`,
      `--- slurmd.log ---\n${tail(path.join(dir, 'log', 'slurmd.log'))}`,
    ].join('\n');
  const client = async (name: string, args: string[]) =>
    (await run(program(name), args, { env, encoding: 'utf8', timeout: 30_000 })).stdout;

  const jobs = async () => parseJobs(await client('scontrol', ['show', 'job', '-o']));
  const queued = async () => (await client('squeue', ['-h', '-o', '%i %T'])).trim();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      const ids = (await client('squeue', ['-h', '-o', '%A']).catch(() => '')).trim().split(/\s+/).filter(Boolean);
      if (ids.length > 0) {
        await client('scancel', [...new Set(ids)]).catch(() => '');
        for (let i = 0; i < 20 && (await queued().catch(() => '')) !== ''; i++) await sleep(500);
      }
    } finally {
      for (const daemon of [...daemons].reverse()) {
        if (!daemon.exited) daemon.child.kill('SIGTERM');
        for (let i = 0; i < 50 && !daemon.exited; i++) await sleep(100);
        if (!daemon.exited) daemon.child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const fail = async (what: string): Promise<never> => {
    const text = logs();
    await stop();
    throw new Error(`the test Slurm cluster ${what}\n${text}`);
  };

  const until = async (what: string, test: () => Promise<boolean>) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const dead = daemons.find((d) => d.exited);
      if (dead) await fail(`could not start: ${dead.name} exited while waiting for ${what}`);
      if (await test().catch(() => false)) return;
      if (Date.now() > deadline) await fail(`did not come up: no ${what} after ${timeoutMs / 1000} s`);
      await sleep(250);
    }
  };

  try {
    daemons.push(
      startDaemon(
        dir,
        'munged',
        program('munged'),
        [
          '--foreground',
          `--key-file=${key}`,
          `--socket=${socket}`,
          `--pid-file=${path.join(dir, 'munge', 'munged.pid')}`,
          `--log-file=${path.join(dir, 'log', 'munged.log')}`,
          `--seed-file=${path.join(dir, 'munge', 'munged.seed')}`,
        ],
        env,
      ),
    );
    await until('munge socket', async () => existsSync(socket));
    daemons.push(startDaemon(dir, 'slurmctld', program('slurmctld'), ['-D', '-f', conf], env));
    await until('answer from slurmctld', async () => (await client('scontrol', ['ping'])).includes('UP'));
    daemons.push(startDaemon(dir, 'slurmd', program('slurmd'), ['-D', '-N', 'localhost', '-f', conf], env));
    await until('idle node in sinfo', async () => (await client('sinfo', ['-h', '-N', '-o', '%t'])).trim() === 'idle');
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    dir,
    conf,
    env,
    ports,
    jobs,
    async waitIdle(waitMs: number) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const queue = await queued();
        if (queue === '') return;
        if (Date.now() > deadline)
          throw new Error(`Slurm jobs still queued after ${waitMs / 1000} s:\n${queue}\n${logs()}`);
        await sleep(500);
      }
    },
    listening() {
      const pids = new Set(daemons.filter((d) => !d.exited).map((d) => String(d.child.pid)));
      const ss = spawnSync('ss', ['-Hltnp'], { encoding: 'utf8' });
      if (ss.error || ss.status !== 0) throw new Error(`ss failed: ${ss.error?.message ?? ss.stderr}`);
      return ss.stdout
        .split('\n')
        .filter((line) => [...line.matchAll(/pid=(\d+)/g)].some((m) => pids.has(m[1]!)))
        .map((line) => line.trim().split(/\s+/)[3]!);
    },
    logs,
    stop,
  };
}
