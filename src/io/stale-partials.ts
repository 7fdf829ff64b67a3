/**
 * `.partial` folders that killed runs left behind (SIGKILL, a power cut: no `discard` ran).
 *
 * Every staged folder gets an owner marker as its first file: the process id, the host name, the
 * kernel's boot id and the process's start time (Linux: `/proc`). On the next run into the same
 * parent, a folder is removed only when it is provably a dead mixsmith run's:
 *
 * - its name is the staged pattern `.<name>.partial-XXXXXX`, it is a real folder (not a link), and
 *   it holds a marker that parses, written by mixsmith;
 * - the marker's host name and boot id are this machine's and this boot's (a folder on a shared
 *   disk written by another machine, or before a reboot, is never judged from here);
 * - its process is gone, or the pid now belongs to a process that started at another time.
 *
 * Anything else that looks like a staged folder (no marker: an older mixsmith, a run elsewhere, a
 * live run, a `.replaced` folder holding an earlier output between two renames) is left alone and
 * named in a warning, for the user to judge. Nothing else in the parent is ever touched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { lstat, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The owner marker's name inside a staged folder; removed before the folder is committed. */
export const OWNER_MARKER = '.mixsmith-partial.json';

interface Owner {
  readonly tool: 'mixsmith';
  readonly pid: number;
  readonly host: string;
  /** The kernel's boot id (Linux), or null where the system has none to read. */
  readonly bootId: string | null;
  /** The process's start time in clock ticks after boot (Linux `/proc/PID/stat` field 22), or null. */
  readonly startTicks: number | null;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const bootId = (): string | null => readText('/proc/sys/kernel/random/boot_id')?.trim() || null;

function startTicks(pid: number): number | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

/** This process's id, from /proc (Linux): `process` belongs to cli/, and collection needs /proc anyway. */
function ownPid(): number {
  const stat = readText('/proc/self/stat');
  const pid = stat === null ? Number.NaN : Number(stat.slice(0, stat.indexOf(' ')));
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 0;
}

function currentOwner(): Owner {
  const pid = ownPid();
  return { tool: 'mixsmith', pid, host: os.hostname(), bootId: bootId(), startTicks: pid > 0 ? startTicks(pid) : null };
}

/** Write this process's marker into a freshly staged folder. */
export async function markOwner(staged: string): Promise<void> {
  await writeFile(path.join(staged, OWNER_MARKER), `${JSON.stringify(currentOwner())}\n`);
}

/** Remove the marker before the folder becomes the output. */
export async function unmarkOwner(staged: string): Promise<void> {
  await rm(path.join(staged, OWNER_MARKER), { force: true });
}

function isOwner(value: unknown): value is Owner {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    v.tool === 'mixsmith' &&
    Number.isSafeInteger(v.pid) &&
    (v.pid as number) > 0 &&
    typeof v.host === 'string' &&
    (v.bootId === null || typeof v.bootId === 'string') &&
    (v.startTicks === null || typeof v.startTicks === 'number')
  );
}

/** Only asked for markers of this boot, so of a system with /proc (the boot id comes from there). */
function processGone(owner: Owner): boolean {
  if (!existsSync(`/proc/${owner.pid}`)) return true;
  // The pid is taken: by the owner, or by a later process that reused it.
  if (owner.startTicks === null) return false;
  const ticks = startTicks(owner.pid);
  return ticks !== null && ticks !== owner.startTicks;
}

/** Whether the marker proves a run of this machine and boot that is no longer running. */
function deadHere(owner: Owner, here: Owner): boolean {
  if (here.pid === 0 || owner.host !== here.host || owner.bootId === null || owner.bootId !== here.bootId) return false;
  if (owner.pid === here.pid && owner.startTicks === here.startTicks) return false;
  return processGone(owner);
}

/** `.NAME.partial-XXXXXX` (mkdtemp's six characters), or the same with `.replaced` after it. */
const STAGED_NAME = /^\..+\.partial-[A-Za-z0-9]{6}(\.replaced)?$/;

export interface StalePartials {
  /** Folders removed: markers of dead runs on this machine and boot. */
  readonly collected: readonly string[];
  /** Folders that look staged but are not provably a dead run's: left alone. */
  readonly left: readonly string[];
}

/** Collect the dead runs' staged folders in `parent`, and list the other staged-looking ones. */
export async function collectStalePartials(parent: string): Promise<StalePartials> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return { collected: [], left: [] };
  }
  const here = currentOwner();
  const collected: string[] = [];
  const left: string[] = [];
  for (const name of names.filter((n) => STAGED_NAME.test(n)).sort()) {
    const folder = path.join(parent, name);
    const stat = await lstat(folder).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    let owner: unknown;
    try {
      owner = JSON.parse(await readFile(path.join(folder, OWNER_MARKER), 'utf8'));
    } catch {
      owner = undefined;
    }
    if (isOwner(owner) && deadHere(owner, here)) {
      try {
        await rm(folder, { recursive: true, force: true });
        collected.push(folder);
      } catch {
        left.push(folder);
      }
    } else left.push(folder);
  }
  return { collected, left };
}

/** What a run says about them (compose emits these as warnings). */
export function partialsWarnings(partials: StalePartials): string[] {
  const out: string[] = [];
  if (partials.collected.length > 0)
    out.push(
      `removed ${partials.collected.length} unfinished output folder(s) of killed mixsmith runs: ${partials.collected.join(', ')}`,
    );
  if (partials.left.length > 0)
    out.push(
      `left ${partials.left.length} unfinished output folder(s) that may belong to a running mixsmith, another machine or an older version: ${partials.left.join(', ')}; remove them when no run uses them`,
    );
  return out;
}
