/**
 * A throwaway PostgreSQL cluster for a test file: initdb into a temp folder, a server that listens
 * on a unix socket in that folder only (listen_addresses = '', no TCP at all), psql as the client.
 * Needs Debian's postgresql package (the server binaries under /usr/lib/postgresql/<n>/bin).
 * As root, the server runs as the `postgres` user (initdb refuses root).
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FACT_COLUMNS, FACTS_DDL, REMOVED_DDL } from '../../src/select/sql/selection-sql.js';
import type { SqlEngine } from '../../src/select/sql/select-sql.js';
import type { FactRow } from '../../src/records/facts/fact-rows.js';

const run = promisify(execFile);

/** The folder of initdb, pg_ctl and postgres, newest version first; undefined when not installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0]!, 'bin') : undefined;
}

/** A CSV field: quoted when it holds a comma, quote or line break. */
const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** psql --csv output → rows (header first). */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}

export class PostgresCluster implements SqlEngine {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    private readonly port: number,
  ) {}

  /** initdb and start a server; stop() ends it and removes the folder. */
  static async start(bin: string): Promise<PostgresCluster> {
    const dir = mkdtempSync(path.join(tmpdir(), 'mixsmith-pg-'));
    const asRoot = userInfo().uid === 0;
    if (asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    // The port only names the socket file (no TCP): any free-looking number will do.
    const port = 20000 + Math.floor(Math.random() * 20000);
    const cluster = new PostgresCluster(bin, dir, port);
    const data = path.join(dir, 'data');
    await cluster.asServerUser('initdb', [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const options = `-k ${dir} -p ${port} -c listen_addresses='' -F`;
    await cluster.asServerUser('pg_ctl', [
      '-D',
      data,
      '-o',
      options,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    return cluster;
  }

  private async asServerUser(program: string, args: readonly string[]): Promise<void> {
    const file = path.join(this.bin, program);
    if (userInfo().uid === 0) await run('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: this.dir });
    else await run(file, [...args], { cwd: this.dir });
  }

  private async psql(args: readonly string[]): Promise<string> {
    const { stdout } = await run(
      path.join(this.bin, 'psql'),
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        this.dir,
        '-p',
        String(this.port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        ...args,
      ],
      {
        maxBuffer: 1 << 28,
      },
    );
    return stdout;
  }

  async run(sql: string): Promise<void> {
    await this.psql(['-c', sql]);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return parseCsv(await this.psql(['--csv', '-c', sql]));
  }

  async version(): Promise<string> {
    const rows = await this.query('SHOW server_version');
    return String(rows[0]?.server_version);
  }

  /** A new `facts` table holding `rows` (numbered in order: scan order), loaded with COPY from a CSV file. */
  async loadFacts(rows: readonly FactRow[]): Promise<void> {
    const file = path.join(this.dir, 'facts.csv');
    const lines = rows.map((r, seq) =>
      [seq, r.key, r.ranks, r.group, r.fileIndex, r.line, r.chars, r.tokens, r.source].map(csvField).join(','),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    await this.run('DROP TABLE IF EXISTS facts');
    await this.run(FACTS_DDL);
    await this.psql(['-c', `\\copy facts (${FACT_COLUMNS.join(', ')}) FROM '${file}' WITH (FORMAT csv)`]);
  }

  /** A new `removed_keys` table holding `keys`. */
  async loadRemoved(keys: Iterable<string>): Promise<void> {
    const file = path.join(this.dir, 'removed.csv');
    writeFileSync(file, `${[...keys].map(csvField).join('\n')}\n`);
    await this.run('DROP TABLE IF EXISTS removed_keys');
    await this.run(REMOVED_DDL);
    await this.psql(['-c', `\\copy removed_keys (key) FROM '${file}' WITH (FORMAT csv)`]);
  }

  async stop(): Promise<void> {
    try {
      await this.asServerUser('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
