/**
 * The fleet on the job queue with real parts: graphile-worker's queue in a database of the test
 * PostgreSQL, three `dataflow worker` processes, 50 SQLite targets applying the migration tracking
 * example. One worker is killed with SIGKILL while it runs a target: its job runs again on
 * another worker, and every target ends applied exactly once, as its own records say.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgDatabase } from '../../../test/databases.ts';
import { ROOT, dataflowWith, example } from '../../../test/dataflow-cli.ts';
import { openDatabase } from '../../db/connect.ts';
import { history } from '../../db/migration-records.ts';
import { listRuns, readRun } from '../../db/run-records.ts';
import { readFleetStatus } from './status.ts';
import { findFleets, readTargets } from './records.ts';
import { queuePool } from './connection.ts';

const TARGETS = 50;
/** The queue as the commands get it (its password in PGPASSWORD), and as this test reads it. */
let queueUrl = '';
let ownUrl = '';
const env = { PGPASSWORD: '' };

let dropQueue = async () => {};
beforeAll(async () => {
  const queue = await createPgDatabase('queue');
  dropQueue = queue.drop;
  ownUrl = queue.url;
  // The commands get the password by the environment, as a user would give it.
  const url = new URL(ownUrl);
  env.PGPASSWORD = decodeURIComponent(url.password);
  url.password = '';
  queueUrl = url.toString();
});

afterAll(() => dropQueue());

interface Worker {
  child: ChildProcess;
  /** Its graphile-worker pool id, from its first line. */
  poolId: Promise<string>;
  exited: Promise<number | null>;
  log: string[];
}

function startWorker(): Worker {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/dataflow.js'), 'worker', '--queue', queueUrl, '--concurrency', '2'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const log: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const poolId = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.push(line);
      const started = /^worker (\S+) started/.exec(line);
      if (started) resolve(started[1]!);
    });
    void exited.then(() => reject(new Error(`the worker exited before it started: ${log.join('\n')}`)));
  });
  return { child, poolId, exited, log };
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > end) throw new Error(`waited ${ms / 1000} s in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('runs 50 targets on 3 workers, one killed with SIGKILL mid-run: each applied exactly once, wave after wave, the fleet complete', async () => {
  const workers = [startWorker(), startWorker(), startWorker()];
  const dir = mkdtempSync(join(tmpdir(), 'df-fleet-queue-'));
  const entries = [];
  for (let i = 0; i < TARGETS; i++) {
    const db = await openDatabase(`sqlite:${join(dir, `tenant${i}.db`)}`);
    await db.driver.query('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    await db.driver.close();
    entries.push({ label: `tenant${i}`, connection: `sqlite:tenant${i}.db`, environment: 'prod' });
  }
  writeFileSync(join(dir, 'targets.json'), JSON.stringify(entries, null, 1));
  const workflow = example('migration-tracking');
  const enqueued = await dataflowWith(
    env,
    'fleet',
    'enqueue',
    workflow,
    '--targets',
    join(dir, 'targets.json'),
    '--queue',
    queueUrl,
    '--wave',
    '20',
  );
  expect(enqueued.stderr).toContain('50 targets, waves canary 1, 20, 20, 9');
  expect(enqueued.code).toBe(0);
  const fleetId = enqueued.stdout.trim();

  const victim = await workers[0]!.poolId;
  let killedLabel = '';
  let killedRunId = '';
  const pool = queuePool(ownUrl, 2);
  try {
    // The victim is in the middle of a target's run: the run is recorded on the target as running.
    const killedAt = await until('the first worker to run a target', 60_000, async () => {
      const row = (await readTargets(pool, fleetId)).find(
        (t) => t.status === 'running' && t.worker === victim && t.runId,
      );
      if (!row) return null;
      const db = await openDatabase(`sqlite:${join(dir, `${row.label}.db`)}`);
      try {
        return (await listRuns(db)).some((r) => r.runId === row.runId && r.state === 'running') ? row : null;
      } finally {
        await db.driver.close();
      }
    });
    killedLabel = killedAt.label;
    killedRunId = killedAt.runId!;
    workers[0]!.child.kill('SIGKILL');
    await workers[0]!.exited;

    const matrix = await until('the fleet to end', 90_000, async () => {
      const m = await readFleetStatus(ownUrl, fleetId.slice(0, 8));
      return m.status === 'running' ? null : m;
    });
    const notApplied = matrix.targets.filter((t) => t.status !== 'succeeded');
    expect(matrix.status, JSON.stringify({ stopReason: matrix.stopReason, notApplied })).toBe('succeeded');
    expect(matrix.counts.succeeded).toBe(TARGETS);

    // The killed target ran again, on another worker, and its run was continued.
    const rows = await readTargets(pool, fleetId);
    const retried = rows.find((r) => r.position === killedAt.position)!;
    expect(retried.worker).not.toBe(victim);
    expect(retried.attempts).toBeGreaterThanOrEqual(2);

    // Wave after wave: no target of a wave started before every target of the wave before ended.
    const [fleet] = await findFleets(pool, fleetId, 1);
    for (let w = 1; w < fleet!.waves; w++) {
      const ended = Math.max(...rows.filter((r) => r.wave === w - 1).map((r) => Date.parse(r.finishedAt!)));
      const started = Math.min(...rows.filter((r) => r.wave === w).map((r) => Date.parse(r.startedAt!)));
      expect(started).toBeGreaterThanOrEqual(ended);
    }
  } finally {
    await pool.end();
    for (const w of workers.slice(1)) w.child.kill('SIGTERM');
  }
  for (const w of workers.slice(1)) expect(await w.exited).toBe(0);

  // Each target's own records: one apply of the column, one completed migration, no run left
  // recorded running; the killed run closed by the resume that continued it, each naming the other.
  for (let i = 0; i < TARGETS; i++) {
    const db = await openDatabase(`sqlite:${join(dir, `tenant${i}.db`)}`);
    try {
      const runs = await listRuns(db);
      expect(runs.filter((r) => r.state === 'succeeded')).toHaveLength(1);
      expect(
        runs.filter((r) => r.status === 'running'),
        `tenant${i}`,
      ).toEqual([]);
      for (const r of runs) {
        if (r.continuedBy) expect(runs.find((c) => c.runId === r.continuedBy)?.continues).toBe(r.runId);
        if (r.continues) expect(runs.find((c) => c.runId === r.continues)?.continuedBy).toBe(r.runId);
      }
      if (`tenant${i}` === killedLabel) {
        const killedRun = runs.find((r) => r.runId === killedRunId)!;
        expect(killedRun).toMatchObject({ status: 'failed', continuedBy: expect.any(String) });
        expect(['interrupted', 'partially applied']).toContain(killedRun.state);
      }
      let applied = 0;
      for (const r of runs)
        applied += (await readRun(db, r.runId)).nodes.filter(
          (n) => n.nodeId === 'apply_change' && n.status === 'succeeded',
        ).length;
      expect(applied, `tenant${i}`).toBe(1);
      const migrations = await history(db);
      expect(migrations.map((m) => [m.name, m.status])).toEqual([['add_user_phone_number', 'completed']]);
      const columns = await db.driver.query<{ name: string }>("SELECT name FROM pragma_table_info('users')");
      expect(columns.rows.map((c) => c.name)).toEqual(['id', 'name', 'phone_number']);
    } finally {
      await db.driver.close();
    }
  }
}, 180_000);
