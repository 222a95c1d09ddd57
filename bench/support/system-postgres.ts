/**
 * A PostgreSQL server of a local installation (Debian's /usr/lib/postgresql/<version>/bin, or
 * BENCH_PG_BIN), started with the server's default settings in a temporary folder, for the
 * benchmarks that compare with that installation's own client tools (pg_dump): pg_dump refuses a
 * server newer than itself, and the embedded PostgreSQL 17 ships no pg_dump. As root the server
 * runs as the `postgres` user (initdb refuses root). `null` when no installation is found.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface SystemPostgres {
  /** The installation's bin folder (pg_dump is there). */
  bin: string;
  version: string;
  url: string;
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

function findBin(): string | null {
  const given = process.env.BENCH_PG_BIN;
  if (given) return given;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'pg_dump')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/** Runs a server program, as `postgres` when this process is root. */
function run(bin: string, program: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? 'runuser' : join(bin, program);
  const argv = asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

export async function startSystemPostgres(
  port = 56000 + Math.floor(Math.random() * 1000),
): Promise<SystemPostgres | null> {
  const bin = findBin();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-bench-syspg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  run(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  // Only where it listens, and no fsync (setup speed): every limit, max_locks_per_transaction and
  // max_connections included, stays the server's default.
  run(bin, 'pg_ctl', [
    '-D',
    data,
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const version = String((await admin('SHOW server_version')).rows[0]?.server_version ?? '?');
  return {
    bin,
    version,
    url,
    async createDatabase(name) {
      await admin(`CREATE DATABASE ${name}`);
      return url.replace(/\/postgres$/, `/${name}`);
    },
    stop() {
      try {
        run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
