/**
 * A real two-node Ray cluster for tests, on this machine, that cannot talk to anything else: two
 * network namespaces joined by a veth pair (a faithful two-host network: each node has its own
 * address and its own loopback), no route out of either. The head runs in one, a worker node in the
 * other; the test runs its driver in the head's namespace. Ray by default also reaches for the
 * machine's own non-loopback address: here there is none to reach.
 *
 * Needs root (`ip netns`), `ip`, and a Python with `ray` (pythonEnv(['ray'])). Processes are
 * stopped by namespace (`ip netns pids`), never by name, so other Ray processes on the machine are
 * left alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface RayCluster {
  /** `HOST:PORT` of the head's GCS. */
  readonly address: string;
  readonly headNs: string;
  readonly workerNs: string;
  /** The subnet both nodes live in, e.g. `10.211.7.` (a prefix of their addresses). */
  readonly subnet: string;
  /** `ip netns exec NS`: prefix a command to run it in a namespace. */
  readonly exec: (ns: string) => string[];
  /** Remote ends of every TCP connection open in either namespace (for the no-traffic-out check). */
  readonly peers: () => string[];
  /** Default routes of either namespace (there must be none). */
  readonly routes: () => string;
  readonly stop: () => void;
}

/** Why the cluster cannot be made here ('' when it can): not root, or no `ip`. */
export function rayClusterUnavailable(): string {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (ip.error || ip.status !== 0) return `\`ip netns\` is unavailable (${ip.error?.message ?? ip.stderr.trim()})`;
  return '';
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function startRayCluster(python: string, cpusPerNode = 1): RayCluster {
  const tag = `${process.pid % 100000}${Math.floor(Math.random() * 90 + 10)}`;
  const headNs = `mxhead${tag}`;
  const workerNs = `mxwork${tag}`;
  const octet = (process.pid % 200) + 20;
  const subnet = `10.211.${octet}.`;
  const tmp = mkdtempSync('/tmp/mxray-');
  const exec = (ns: string) => ['ip', 'netns', 'exec', ns];
  const ray = path.join(path.dirname(python), 'ray');
  const env = { ...process.env, RAY_USAGE_STATS_ENABLED: '0' };
  const stop = () => {
    for (const ns of [headNs, workerNs]) {
      const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout?.trim().split('\n') ?? [];
      for (const pid of pids.filter(Boolean)) spawnSync('kill', ['-9', pid]);
      spawnSync('ip', ['netns', 'del', ns]);
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    ip('netns', 'add', headNs);
    ip('netns', 'add', workerNs);
    ip('link', 'add', `mxa${tag}`, 'type', 'veth', 'peer', 'name', `mxb${tag}`);
    ip('link', 'set', `mxa${tag}`, 'netns', headNs);
    ip('link', 'set', `mxb${tag}`, 'netns', workerNs);
    ip('-n', headNs, 'addr', 'add', `${subnet}1/24`, 'dev', `mxa${tag}`);
    ip('-n', workerNs, 'addr', 'add', `${subnet}2/24`, 'dev', `mxb${tag}`);
    for (const [ns, dev] of [
      [headNs, `mxa${tag}`],
      [workerNs, `mxb${tag}`],
    ] as const) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', dev, 'up');
    }
    const address = `${subnet}1:6379`;
    const start = (ns: string, args: string[]) =>
      execFileSync(exec(ns)[0]!, [...exec(ns).slice(1), ray, 'start', ...args, `--num-cpus=${cpusPerNode}`], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 240_000,
      });
    start(headNs, [
      '--head',
      `--node-ip-address=${subnet}1`,
      '--port=6379',
      `--temp-dir=${tmp}/h`,
      '--include-dashboard=false',
      '--disable-usage-stats',
    ]);
    start(workerNs, [`--address=${address}`, `--node-ip-address=${subnet}2`, `--temp-dir=${tmp}/w`]);
    const peers = () =>
      [headNs, workerNs].flatMap((ns) =>
        execFileSync('ip', ['netns', 'exec', ns, 'ss', '-tnH'], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => line.trim().split(/\s+/)[4]!),
      );
    const routes = () =>
      [headNs, workerNs]
        .map((ns) => execFileSync('ip', ['-n', ns, 'route', 'show', 'default'], { encoding: 'utf8' }).trim())
        .join('');
    return { address, headNs, workerNs, subnet, exec, peers, routes, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

/** The host part of a `ss` peer (`[::ffff:10.1.2.3]:45`, `10.1.2.3:45`, `[::1]:80`). */
export function peerHost(peer: string): string {
  const host = peer.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host.replace(/^::ffff:/, '');
}
