/**
 * The wave rules and a retry's check on the job queue, with a worker in this process (the same
 * `runWorker` as `dataflow worker`), graphile-worker's queue on the test PostgreSQL and SQLite
 * targets: a failed canary stops the fleet, --max-failures stops it, a retry that finds its
 * target's run applied records it without applying again, a worker killed on another machine
 * (a `dataflow worker` process with its own host name, in a UTS namespace of its own) leaves a run
 * that the retry resumes, enqueue writes all or nothing, and `dataflow fleet status` exits by the
 * fleet's result.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgDatabase, createTestDatabase } from '../../../test/databases.ts';
import { ROOT, dataflow, example } from '../../../test/dataflow-cli.ts';
import { DEFAULT_LINT_CONFIG } from '../../../shared/lint/config.ts';
import { parseWorkflow } from '../../../shared/workflow.ts';
import { openDatabase } from '../../db/connect.ts';
import { listRuns, readRun } from '../../db/run-records.ts';
import { runWorkflow } from '../../engine/run.ts';
import { parseTargetsFile } from '../targets.ts';
import { queuePool } from './connection.ts';
import { enqueueFleet } from './enqueue.ts';
import { claimTarget, setRunId, type QueueFleetOptions } from './records.ts';
import { readFleetStatus } from './status.ts';
import { runWorker } from './worker.ts';

let queueUrl = '';
const workflow = parseWorkflow(readFileSync(example('migration-tracking'), 'utf8')).workflow;
const options: QueueFleetOptions = {
  canary: 1,
  wave: null,
  onError: 'stop',
  maxFailures: null,
  trustCode: false,
  acceptDrift: false,
  review: { config: DEFAULT_LINT_CONFIG, waivers: [] },
};

let dropQueue = async () => {};
beforeAll(async () => {
  ({ url: queueUrl, drop: dropQueue } = await createPgDatabase('queue'));
});

afterAll(() => dropQueue());

/** SQLite targets `tenant0`...: those in `broken` have no users table, so their apply fails. */
async function targets(count: number, broken: readonly number[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'df-queue-rules-'));
  for (let i = 0; i < count; i++) {
    const db = await openDatabase(`sqlite:${join(dir, `tenant${i}.db`)}`);
    await db.driver.query(`CREATE TABLE ${broken.includes(i) ? 'accounts' : 'users'} (id INTEGER PRIMARY KEY)`);
    await db.driver.close();
  }
  const entries = Array.from({ length: count }, (_, i) => ({
    label: `tenant${i}`,
    connection: `sqlite:tenant${i}.db`,
  }));
  return { dir, list: parseTargetsFile(JSON.stringify(entries), join(dir, 'targets.json')) };
}

/** A worker in this process until `stop`; its log lines in `log`. */
function startWorker() {
  const log: string[] = [];
  const stop = new AbortController();
  const running = runWorker({ queueUrl, concurrency: 2, graceMs: 5_000, signal: stop.signal, log: (l) => log.push(l) });
  return {
    log,
    stop: async () => {
      stop.abort();
      await running;
    },
  };
}

async function ended(fleetId: string) {
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const m = await readFleetStatus(queueUrl, fleetId);
    if (m.status !== 'running') return m;
  }
  throw new Error(`fleet ${fleetId} did not end within 60 s`);
}

it('a failed canary stops the fleet: the other targets are skipped, the status says why', async () => {
  const { list } = await targets(4, [0]);
  const worker = startWorker();
  const { fleetId } = await enqueueFleet(queueUrl, workflow, list, options);
  const m = await ended(fleetId);
  await worker.stop();
  expect(m.status).toBe('stopped');
  expect(m.stopReason).toBe('the canary tenant0 failed');
  expect(m.targets.map((t) => t.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
  expect(m.targets[0]!.error!.message).toMatch(/^tenant0: .*users/);
  const status = await dataflow('fleet', 'status', '--queue', queueUrl, fleetId.slice(0, 8));
  expect(status.stdout).toMatch(/^fleet [0-9a-f]{8} stopped/m);
  expect(status.code).toBe(1);
});

it('--on-error continue goes on past a failure and stops at --max-failures', async () => {
  const { list } = await targets(6, [1, 3]);
  const worker = startWorker();
  const { fleetId } = await enqueueFleet(queueUrl, workflow, list, {
    ...options,
    wave: 2,
    onError: 'continue',
    maxFailures: 2,
  });
  const m = await ended(fleetId);
  await worker.stop();
  expect(m.status).toBe('stopped');
  expect(m.stopReason).toBe('2 targets failed (--max-failures 2)');
  expect(m.counts.failed).toBe(2);
  expect(m.targets.map((t) => t.status).slice(0, 3)).toEqual(['succeeded', 'failed', 'succeeded']);
  expect(m.targets[5]!.status).toBe('skipped');
});

it('a retry whose target shows the run applied records it and applies nothing again', async () => {
  const { dir, list } = await targets(2);
  const own = queuePool(queueUrl, 1);
  try {
    // tenant0's first attempt applied the workflow, then its worker died before recording it:
    // the target holds the run, the queue's row says a gone worker runs it with that run id.
    const db = await openDatabase(`sqlite:${join(dir, 'tenant0.db')}`);
    const applied = await runWorkflow(workflow, db, { mode: 'apply', runId: 'a7f1e000-0000-4000-8000-000000000001' });
    expect(applied.status).toBe('succeeded');
    const { fleetId } = await enqueueFleet(queueUrl, workflow, list, { ...options, canary: 2 });
    const gone = { fleetId, position: 0, worker: 'pool-gone' };
    expect(await claimTarget(own, gone)).toEqual({ runId: null, priorRunId: null, attempts: 1 });
    await setRunId(own, gone, applied.runId, null);
    const worker = startWorker();
    const m = await ended(fleetId);
    await worker.stop();
    expect(worker.log).toContain(
      `fleet ${fleetId.slice(0, 8)} tenant0: succeeded (applied by run a7f1e000 before this retry)`,
    );
    expect(m.status).toBe('succeeded');
    expect(m.targets[0]!.runId).toBe(applied.runId);
    expect((await listRuns(db)).map((r) => r.runId)).toEqual([applied.runId]);
    await db.driver.close();
  } finally {
    await own.end();
  }
});

it('a worker killed on another machine mid-run: the retry finds its lock gone and resumes its run', async () => {
  const target = await createTestDatabase('postgres');
  try {
    await target.setup(
      'CREATE TABLE orders (id serial PRIMARY KEY, subtotal numeric(10,2) NOT NULL, tax numeric(10,2) NOT NULL, ' +
        'shipping numeric(10,2) NOT NULL); ' +
        'INSERT INTO orders (subtotal, tax, shipping) SELECT g % 100, 1, 2 FROM generate_series(1, 40000) g',
    );
    const url = new URL(target.conn);
    const password = decodeURIComponent(url.password);
    url.password = '';
    const dir = mkdtempSync(join(tmpdir(), 'df-queue-elsewhere-'));
    const list = parseTargetsFile(
      JSON.stringify([{ label: 'pg-1', connection: url.toString(), password_env: 'DF_TARGET_PW' }]),
      join(dir, 'targets.json'),
    );
    const zdt = parseWorkflow(readFileSync(example('zero-downtime'), 'utf8')).workflow;
    const { fleetId } = await enqueueFleet(queueUrl, zdt, list, options);
    // "machine-b": a worker process whose host name is its own (a UTS namespace), so its pid
    // cannot be checked from here; only the target's migration lock can tell that it died.
    const queue = new URL(queueUrl);
    queue.password = '';
    const victim = spawn(
      'unshare',
      [
        '-U',
        '-r',
        '--uts',
        'sh',
        '-c',
        'hostname machine-b && exec "$0" "$@"',
        process.execPath,
        join(ROOT, 'bin/dataflow.js'),
        'worker',
        '--queue',
        queue.toString(),
      ],
      { cwd: ROOT, env: { ...process.env, PGPASSWORD: password, DF_TARGET_PW: password }, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => victim.on('exit', resolve));
    let killed;
    for (const end = Date.now() + 60_000; !killed; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > end) throw new Error('the worker on machine-b never reached the backfill');
      const [run] = await listRuns(target);
      if (run?.currentNode === 'phase2_backfill') killed = run;
    }
    victim.kill('SIGKILL');
    await exited;
    expect(killed).toMatchObject({ host: 'machine-b', state: 'running' });

    process.env.DF_TARGET_PW = password;
    const worker = startWorker();
    const m = await ended(fleetId);
    await worker.stop();
    delete process.env.DF_TARGET_PW;
    expect(m.status).toBe('succeeded');
    expect(worker.log).toContain(
      `fleet ${fleetId.slice(0, 8)} pg-1: succeeded (resumed run ${killed.runId.slice(0, 8)}, ` +
        `whose process (pid ${killed.pid} on machine-b) died holding it)`,
    );
    // Applied once: the column added by the killed run, the backfill finished by the resumed one.
    // The killed run's record is closed by the resume (no run stays recorded running), each names the other.
    const runs = await listRuns(target);
    expect(runs.map((r) => [r.runId === killed.runId, r.status, r.state])).toEqual([
      [false, 'succeeded', 'succeeded'],
      [true, 'failed', 'partially applied'],
    ]);
    expect(runs[0]).toMatchObject({ continues: killed.runId, continuedBy: null });
    expect(runs[1]).toMatchObject({ continuedBy: runs[0]!.runId, continues: null, currentNode: 'phase2_backfill' });
    const nodes = [...(await readRun(target, runs[1]!.runId)).nodes, ...(await readRun(target, runs[0]!.runId)).nodes];
    expect(nodes.filter((n) => n.nodeId === 'phase1_add' && n.status === 'succeeded')).toHaveLength(1);
    const left = await target.driver.query<{ n: string }>(
      'SELECT COUNT(*) AS n FROM orders WHERE total_amount IS NULL',
    );
    expect(Number(left.rows[0]!.n)).toBe(0);
  } finally {
    await target.cleanup();
  }
}, 120_000);

it('enqueue writes the fleet and its jobs in one transaction; status exits 3 while the fleet runs', async () => {
  const { dir } = await targets(2);
  const file = join(dir, 'targets.json');
  writeFileSync(file, JSON.stringify([0, 1].map((i) => ({ label: `tenant${i}`, connection: `sqlite:tenant${i}.db` }))));
  const enqueue = () =>
    dataflow(
      'fleet',
      'enqueue',
      example('migration-tracking'),
      '--targets',
      file,
      '--queue',
      queueUrl,
      '--accept-drift',
    );
  const queued = await enqueue();
  expect(queued.code).toBe(0);
  const fleetId = queued.stdout.trim();
  // No worker runs: the fleet waits on the queue, running.
  const status = await dataflow('fleet', 'status', '--queue', queueUrl, fleetId, '--json');
  expect(status.code).toBe(3);
  expect(JSON.parse(status.stdout)).toMatchObject({ status: 'running', counts: { pending: 2 } });
  const own = queuePool(queueUrl, 1);
  try {
    const count = async () => (await own.query('SELECT COUNT(*)::int AS n FROM dataflow_fleet.fleets')).rows[0].n;
    const fleets = await count();
    expect(fleets).toBeGreaterThan(0);
    // The queue refuses the jobs (a trigger on graphile-worker's table): the fleet's records go too.
    await own.query(
      "CREATE FUNCTION refuse_jobs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'jobs refused'; END $$",
    );
    await own.query(
      'CREATE TRIGGER refuse BEFORE INSERT ON dataflow_queue._private_jobs FOR EACH ROW EXECUTE FUNCTION refuse_jobs()',
    );
    const refused = await enqueue();
    expect(refused.stderr).toContain('jobs refused');
    expect(refused.code).toBe(1);
    expect(await count()).toBe(fleets);
    await own.query('DROP TRIGGER refuse ON dataflow_queue._private_jobs');
  } finally {
    await own.end();
  }
});
