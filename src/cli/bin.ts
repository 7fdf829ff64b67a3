#!/usr/bin/env node
/**
 * The executable: real argv, real streams, Ctrl-C as an abort signal. Exits via exitCode only.
 *
 * The signal handlers are installed before the CLI's modules load (they take a while), so a
 * Ctrl-C at any moment is an INTERRUPTED error, with its JSON on stdout under --json, never the
 * default silent kill. Only these two small modules load first.
 */
import { MixsmithError } from '../errors.js';
import { errorAsJson, wantsJsonOutput } from './format-error.js';

const argv = process.argv.slice(2);
const json = wantsJsonOutput(argv);
const controller = new AbortController();
let interrupts = 0;
/** Whether anything reached stdout: a JSON result or error is printed once, never followed by a second. */
let wroteStdout = false;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts > 1) {
    // A second Ctrl-C means now; unless main() has printed already, the JSON error comes from here.
    if (json && !wroteStdout) {
      const error = new MixsmithError('INTERRUPTED', 'interrupted (Ctrl-C twice): stopped at once', {
        hint: 'a staged output folder (.<name>.partial-*) may be left beside --out',
      });
      process.stdout.write(`${JSON.stringify(errorAsJson(error), null, 2)}\n`);
    }
    process.exit(130);
  }
  process.stderr.write('\ninterrupted: cleaning up (Ctrl-C again to quit at once)\n');
  controller.abort();
});
process.on('SIGTERM', () => controller.abort());

const { main } = await import('./main.js');
process.exitCode = await main(argv, {
  stdout: {
    write: (text: string) => {
      wroteStdout = true;
      return process.stdout.write(text);
    },
  },
  stderr: process.stderr,
  signal: controller.signal,
  peakRss: () => process.resourceUsage().maxRSS * 1024,
  stdin: process.stdin,
});
