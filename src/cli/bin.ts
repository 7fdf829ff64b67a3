#!/usr/bin/env node
/** The executable: real argv, real streams, Ctrl-C as an abort signal. Exits via exitCode only. */
import { main } from './main.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts > 1) process.exit(130); // a second Ctrl-C means now
  process.stderr.write('\ninterrupted: cleaning up (Ctrl-C again to quit at once)\n');
  controller.abort();
});
process.on('SIGTERM', () => controller.abort());

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  peakRss: () => process.resourceUsage().maxRSS * 1024,
  stdin: process.stdin,
});
