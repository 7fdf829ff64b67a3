/**
 * Compressed copies of the corpus files through the system gzip and zstd tools (the same
 * settings as ../shared/bench/gen.mjs: gzip -6, zstd -3). Files are compressed in parallel:
 * gzip is single-threaded and the machine has two cores.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

const TOOLS = {
  gz: (file) => run('sh', ['-c', 'gzip -6 -c "$1" > "$1.gz.part" && mv "$1.gz.part" "$1.gz"', 'sh', file]),
  zst: (file) => run('zstd', ['-q', '-f', '-3', file, '-o', `${file}.zst`]),
};

/** Returns { [file]: { gz: bytes, zst: bytes } } for the variants asked. */
export async function compressVariants(files, variants) {
  const jobs = [];
  for (const variant of variants) {
    if (!TOOLS[variant]) continue;
    for (const file of files) jobs.push({ variant, file });
  }
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      await TOOLS[job.variant](job.file);
    }
  };
  await Promise.all([worker(), worker()]);
  const sizes = {};
  for (const { variant, file } of jobs) {
    sizes[file] ??= {};
    sizes[file][variant] = statSync(`${file}.${variant}`).size;
  }
  return sizes;
}
