/**
 * Introspection at scale: databases of 500 to 5,000 tables (SQLite up to 20,000) of the shape in
 * bench/support/wide-schema.ts (8 columns, a primary key, 2 indexes and a foreign key each, a view
 * per 100 tables), read by the product as a user runs it against each database's own tool in the
 * same run:
 * - PostgreSQL: `dataflow plan` (one add_column) and `dataflow run --rehearse` (the same workflow,
 *   with its preflight plan) against `pg_dump --schema-only`, on a server of a local PostgreSQL
 *   installation started with its default settings (max_locks_per_transaction 64,
 *   max_connections 100; bench/support/system-postgres.ts), as pg_dump reads only servers of its
 *   version or older and the embedded PostgreSQL 17 has no pg_dump. Targets at the largest size:
 *   plan <= 1x pg_dump, rehearse <= 1.2x plan.
 * - SQLite: `dataflow plan` against `sqlite3 <file> .schema` (or, without a sqlite3 program, a
 *   Node process printing sqlite_master's SQL through better-sqlite3). Target at 5,000 tables:
 *   <= 3x.
 * Each is a fresh process (the CLI bundle, rebuilt first when stale), so every figure includes
 * the process start and the connection. Every round runs each case once, in the same order
 * (interleaved, so drifting load reaches each alike); medians of BENCH_INTROSPECTION_ROUNDS
 * (default 5) rounds after a warm-up. The introspection alone (in this process, median of 3) is
 * printed per table, to show it grows linearly.
 *
 * Sizes: BENCH_INTROSPECTION_PG (default 500,2000,5000), BENCH_INTROSPECTION_SQLITE (default
 * 500,2000,5000; 20000 takes long to create: SQLite's CREATE TABLE re-reads sqlite_master, so
 * making the schema grows with the square of the tables).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../electron/db/connect.ts';
import { bundleCli } from '../electron/main/bundle.ts';
import type { BenchResult } from './run.ts';
import { describeMachine } from './support/machine.ts';
import { runIfMain } from './support/standalone.ts';
import { median, msList } from './support/stats.ts';
import { startSystemPostgres } from './support/system-postgres.ts';
import { wideSchemaSql, wideTableName } from './support/wide-schema.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'dataflow.js');
const ROUNDS = Number(process.env.BENCH_INTROSPECTION_ROUNDS ?? 5);
const sizes = (v: string | undefined, d: string) => (v ?? d).split(',').filter(Boolean).map(Number);
const PG_SIZES = sizes(process.env.BENCH_INTROSPECTION_PG, '500,2000,5000');
const SQLITE_SIZES = sizes(process.env.BENCH_INTROSPECTION_SQLITE, '500,2000,5000');
const SQLITE_TARGET_SIZE = 5000;

interface Case {
  cmd: string;
  args: string[];
}

/** Wall milliseconds of the command run to its end; any exit code but 0 is an error. */
function time(c: Case): number {
  const t0 = performance.now();
  const r = spawnSync(c.cmd, c.args, {
    cwd: ROOT,
    env: { ...process.env, DATAFLOW_CLI: 'bundle' },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return ms;
}

/** Runs every case once as a warm-up, then ROUNDS interleaved rounds: milliseconds per case. */
function rounds(cases: Record<string, Case>): Record<string, number[]> {
  for (const c of Object.values(cases)) time(c);
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) for (const [k, c] of Object.entries(cases)) out[k]!.push(time(c));
  return out;
}

/** Median ms of 3 in-process introspections of `conn`. */
async function introspectionMs(conn: string): Promise<number> {
  const db = await openDatabase(conn);
  try {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await db.dialect.introspect(db.driver);
      ms.push(performance.now() - t0);
    }
    return median(ms);
  } finally {
    await db.driver.close();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perTable = (ms: number, n: number) => `${((ms * 1000) / n).toFixed(0)} µs/table`;

async function postgres(dir: string, wf: string): Promise<BenchResult[]> {
  const server = await startSystemPostgres();
  if (!server) {
    console.log('PostgreSQL: no local installation with pg_dump (BENCH_PG_BIN): skipped');
    return [];
  }
  const results: BenchResult[] = [];
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const settings = await admin.query<{ l: string; c: string }>(
      `SELECT current_setting('max_locks_per_transaction') AS l, current_setting('max_connections') AS c`,
    );
    await admin.end();
    console.log(
      `PostgreSQL ${server.version} (${server.bin}), max_locks_per_transaction ${settings.rows[0]?.l}, max_connections ${settings.rows[0]?.c}`,
    );
    for (const n of PG_SIZES) {
      const url = await server.createDatabase(`wide_${n}`);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      for (let i = 0; i < n; i += 250)
        await c.query(`BEGIN; ${wideSchemaSql('postgres', Math.min(n, i + 250), i)} COMMIT;`);
      await c.end();
      const t = rounds({
        'pg_dump --schema-only': {
          cmd: join(server.bin, 'pg_dump'),
          args: ['--schema-only', '-f', join(dir, 'dump.sql'), url],
        },
        'dataflow plan': { cmd: process.execPath, args: [BIN, 'plan', wf, '--db', url] },
        'dataflow run --rehearse': { cmd: process.execPath, args: [BIN, 'run', wf, '--db', url, '--rehearse'] },
      });
      const dump = median(t['pg_dump --schema-only']!);
      const plan = median(t['dataflow plan']!);
      const rehearse = median(t['dataflow run --rehearse']!);
      const inProcess = await introspectionMs(url);
      console.log(
        `${n} tables: pg_dump ${s(dump)}, plan ${s(plan)} (${(plan / dump).toFixed(2)}x pg_dump), ` +
          `rehearse ${s(rehearse)} (${(rehearse / plan).toFixed(2)}x plan); introspection in process ${s(inProcess)} ` +
          `(${perTable(inProcess, n)}); runs (ms): pg_dump ${msList(t['pg_dump --schema-only']!)}; plan ${msList(t['dataflow plan']!)}; rehearse ${msList(t['dataflow run --rehearse']!)}`,
      );
      const last = n === PG_SIZES[PG_SIZES.length - 1];
      const figures = {
        tables: n,
        'pg_dump ms': dump,
        'plan ms': plan,
        'rehearse ms': rehearse,
        'introspection µs/table': (inProcess * 1000) / n,
      };
      results.push(
        {
          name: `introspection postgres ${n} tables: plan`,
          figures,
          ratio: plan / dump,
          baseline: 'pg_dump --schema-only',
          target: last ? 1 : undefined,
        },
        {
          name: `introspection postgres ${n} tables: run --rehearse`,
          figures: { tables: n, 'rehearse ms': rehearse, 'plan ms': plan },
          ratio: rehearse / plan,
          baseline: 'dataflow plan',
          target: last ? 1.2 : undefined,
        },
      );
    }
  } finally {
    server.stop();
  }
  return results;
}

function sqliteBaseline(file: string): { name: string; case: Case } {
  if (spawnSync('sqlite3', ['-version']).status === 0)
    return { name: 'sqlite3 .schema', case: { cmd: 'sqlite3', args: [file, '.schema'] } };
  const code = `const D=require('better-sqlite3');const d=new D(process.argv[1],{readonly:true});for(const r of d.prepare('SELECT sql FROM sqlite_master WHERE sql IS NOT NULL').iterate())process.stdout.write(r.sql+';\\n')`;
  return { name: 'better-sqlite3 printing sqlite_master', case: { cmd: process.execPath, args: ['-e', code, file] } };
}

async function sqlite(dir: string, wf: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const n of SQLITE_SIZES) {
    const file = join(dir, `wide_${n}.db`);
    const t0 = performance.now();
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.exec(`BEGIN; ${wideSchemaSql('sqlite', n)} COMMIT;`);
    raw.close();
    console.log(`SQLite ${n} tables created in ${s(performance.now() - t0)}`);
    const base = sqliteBaseline(file);
    const t = rounds({
      [base.name]: base.case,
      'dataflow plan': { cmd: process.execPath, args: [BIN, 'plan', wf, '--db', `sqlite:${file}`] },
    });
    const schema = median(t[base.name]!);
    const plan = median(t['dataflow plan']!);
    const inProcess = await introspectionMs(`sqlite:${file}`);
    console.log(
      `${n} tables: ${base.name} ${s(schema)}, plan ${s(plan)} (${(plan / schema).toFixed(2)}x); introspection in process ${s(inProcess)} ` +
        `(${perTable(inProcess, n)}); runs (ms): ${base.name} ${msList(t[base.name]!)}; plan ${msList(t['dataflow plan']!)}`,
    );
    results.push({
      name: `introspection sqlite ${n} tables: plan`,
      figures: {
        tables: n,
        [`${base.name} ms`]: schema,
        'plan ms': plan,
        'introspection µs/table': (inProcess * 1000) / n,
      },
      ratio: plan / schema,
      baseline: base.name,
      target: n === SQLITE_TARGET_SIZE ? 3 : undefined,
    });
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
  return results;
}

export async function run(): Promise<BenchResult[]> {
  if (spawnSync(process.execPath, [BIN, '--help'], { env: { ...process.env, DATAFLOW_CLI: 'bundle' } }).status !== 0) {
    const { files } = await bundleCli();
    console.log(`the bundle was missing or stale: rebuilt (${files.length} files)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-bench-introspection-'));
  try {
    const wf = join(dir, 'add-column.dataflow.json');
    const node = {
      id: 'add_notes',
      type: 'SchemaModificationNode',
      params: {
        table: wideTableName(1),
        operation: 'add_column',
        column_name: 'notes',
        column_type: 'text',
        nullable: true,
      },
      position: { x: 0, y: 0 },
    };
    writeFileSync(
      wf,
      JSON.stringify({ format: 'dataflow-workflow', version: 1, name: 'wide', nodes: [node], connections: [] }),
    );
    console.log(`${describeMachine()}; ${ROUNDS} rounds`);
    const results = [...(await postgres(dir, wf)), ...(await sqlite(dir, wf))];
    console.log(`done: ${describeMachine()}`);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, run);
