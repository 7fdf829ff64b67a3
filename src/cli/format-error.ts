/** GCC-style error text: `file:line:col: error[CODE]: message`, the line with a caret, a hint. */
import { type Diagnostic, formatWhere, type MixsmithError } from '../errors.js';

export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.where ? `${formatWhere(diagnostic.where)}: ` : '';
  const lines = [`${where}error[${diagnostic.code}]: ${diagnostic.message}`];
  if (diagnostic.excerpt) lines.push(...diagnostic.excerpt.split('\n').map((l) => `    ${l}`));
  if (diagnostic.hint) lines.push(`  hint: ${diagnostic.hint}`);
  return lines.join('\n');
}

/** --json as the argument list gives it, before (or without) a successful parse (bin.ts and main.ts). */
export function wantsJsonOutput(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--json' || arg === '--json=true');
}

export function formatError(error: MixsmithError): string {
  return error.diagnostics.map(formatDiagnostic).join('\n');
}

export function errorAsJson(error: MixsmithError): object {
  return {
    ok: false,
    error: {
      code: error.code,
      exitCode: error.exitCode,
      message: error.message,
      diagnostics: error.diagnostics,
    },
  };
}
