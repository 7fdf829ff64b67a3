/** What the figures were measured on: cores, memory, CPU, Node, kernel, date, load. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

function freeGiB() {
  try {
    const line = execFileSync('free', ['-g'], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.startsWith('Mem:'));
    return line ? Number(line.split(/\s+/)[1]) : null;
  } catch {
    return null;
  }
}

export function machineFacts() {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cores: os.availableParallelism(),
    memGiB: freeGiB() ?? Math.round(os.totalmem() / 2 ** 30),
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    load: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
  };
}

export function describeMachine(m) {
  return `${m.cores} cores (${m.cpu}), ${m.memGiB} GiB (free -g), Node ${m.node}, ${m.kernel}, ${m.date}, load before ${m.load}`;
}
