// A stand-in for a mixsmith stage command in the executor tests: deterministic bytes out, the
// `done` file written last by rename, and where it ran on the side.
//   node stage-task.mjs map I DIR          part-I.txt, where-I.json, part-I.done
//   node stage-task.mjs reduce N DIR       result.txt (parts 0..N-1 in order), result.done
//   node stage-task.mjs die-once I DIR     as map, but the first attempt kills itself (SIGKILL)
//   node stage-task.mjs fail I DIR         exits 4 with a mixsmith-style error on stderr
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';

const [mode, arg, dir] = process.argv.slice(2);
const file = (name) => path.join(dir, name);
const finish = (name) => {
  writeFileSync(file(`${name}.tmp`), '');
  renameSync(file(`${name}.tmp`), file(name));
};

if (mode === 'fail') {
  process.stderr.write(`error[INPUT_JSON]: part ${arg}: not valid JSON at data.jsonl:7\n`);
  process.exit(4);
}
if (mode === 'die-once' && !existsSync(file(`attempt-${arg}`))) {
  writeFileSync(file(`attempt-${arg}`), '');
  process.kill(process.pid, 'SIGKILL');
}
if (mode === 'map' || mode === 'die-once') {
  const body = Array.from({ length: 1000 }, (_, k) => createHash('sha256').update(`${arg}:${k}`).digest('hex')).join(
    '\n',
  );
  writeFileSync(file(`part-${arg}.txt`), `${body}\n`);
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4')
    .map((a) => a.address);
  writeFileSync(file(`where-${arg}.json`), JSON.stringify(addresses));
  // Long enough that the tasks of a stage overlap, so they spread over the nodes.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  finish(`part-${arg}.done`);
} else if (mode === 'reduce') {
  const parts = Array.from({ length: Number(arg) }, (_, i) => readFileSync(file(`part-${i}.txt`), 'utf8'));
  writeFileSync(file('result.txt'), parts.join(''));
  finish('result.done');
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
