/**
 * What a path is, for the rule that mixsmith reads regular files only and never enters the
 * kernel's and devices' folders (sources, eval sets and tokenizer files alike).
 */

/** Kernel and device file systems: never data, and reading their entries may block or never end. */
export const SYSTEM_DIRS = ['/proc', '/sys', '/dev'] as const;

/** True for a real (symlink-free) path in or at one of SYSTEM_DIRS. */
export function isSystemPath(realPath: string): boolean {
  const p = realPath.length > 1 ? realPath.replace(/\/+$/, '') : realPath;
  return SYSTEM_DIRS.some((dir) => p === dir || p.startsWith(`${dir}/`));
}

/** What a stat's mode is when it is not a regular file, for messages. */
export function fileKind(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}
