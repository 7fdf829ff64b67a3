/**
 * `--name value`, `--name=value` and bare `--flag` (true) into an object with camelCase keys;
 * anything else lands in `_`. Unknown flags are an error so a typo does not silently change a run.
 */
export function parseArgs(argv, defaults) {
  const out = { ...defaults, _: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      out._.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name;
    let value;
    if (eq > 0) {
      name = arg.slice(2, eq);
      value = arg.slice(eq + 1);
    } else {
      name = arg.slice(2);
      value = i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
    }
    const key = name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in defaults))
      throw new Error(`unknown option --${name} (known: ${Object.keys(defaults).map(flagName).join(', ')})`);
    out[key] = value;
  }
  return out;
}

function flagName(key) {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The comment block at the top of a script, as its --help text. */
export function usageOf(source) {
  const lines = source.split('\n').slice(1);
  const end = lines.findIndex((l) => !l.startsWith('//'));
  return lines
    .slice(0, end < 0 ? lines.length : end)
    .map((l) => l.replace(/^\/\/ ?/, ''))
    .join('\n');
}

export function intArg(value, name) {
  const n = Number(String(value).replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
  return n;
}
