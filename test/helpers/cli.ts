import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the CLI in-process with captured output; `stdin` is what standard input holds. */
export async function runCli(
  argv: readonly string[],
  options: { signal?: AbortSignal; stdin?: string | Uint8Array } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.stdin !== undefined
      ? {
          stdin: (async function* () {
            yield Buffer.from(options.stdin!);
          })(),
        }
      : {}),
  });
  return { code, stdout, stderr };
}
