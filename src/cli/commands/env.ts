import { createRequire } from 'node:module';
import { installedVersion, OUTPUT_LIBRARIES, toolVersion } from '../../package-info.js';
import { type Command, isHuman, printJson } from '../command.js';

/** The zstd library compiled into zstd-napi (its own version does not say which). */
function libzstdVersion(): string | null {
  try {
    return (createRequire(import.meta.url)('zstd-napi/binding') as { versionString(): string }).versionString();
  } catch {
    return null;
  }
}

/** Everything that decides the bytes mixsmith writes, for a bug report or a reproducibility note. */
export function environment() {
  return {
    mixsmith: toolVersion(),
    node: process.version,
    /** The Unicode tables of NFKC and lower case: part of every content key (docs/determinism.md). */
    unicode: process.versions.unicode ?? null,
    zlib: process.versions.zlib ?? null,
    libzstd: libzstdVersion(),
    platform: `${process.platform}-${process.arch}`,
    libraries: OUTPUT_LIBRARIES.map((l) => ({ name: l.name, version: installedVersion(l.name), decides: l.decides })),
  };
}

/** `mixsmith env`: the versions of mixsmith, Node and every library that changes output bytes. */
export const envCommand: Command = {
  usage: 'env',
  describe: 'versions of mixsmith, Node and every library that can change the bytes written',
  builder: (y) => y,
  async run(args, io) {
    const env = environment();
    if (args.json) printJson(io, { ok: true, ...env });
    else if (isHuman(args)) {
      const width = Math.max(...env.libraries.map((l) => `${l.name} ${l.version ?? 'missing'}`.length));
      const lines = [
        `mixsmith ${env.mixsmith}`,
        `node ${env.node} (${env.platform}); zlib ${env.zlib ?? '?'} writes the gzip shards`,
        `unicode ${env.unicode ?? '?'} (Node's NFKC and case tables: part of every content key)`,
        `libzstd ${env.libzstd ?? '?'} (inside zstd-napi)`,
        'libraries that can change what is written:',
        ...env.libraries.map((l) => `  ${`${l.name} ${l.version ?? 'missing'}`.padEnd(width)}  ${l.decides}`),
      ];
      io.stderr.write(`${lines.join('\n')}\n`);
    }
    return 0;
  },
};
