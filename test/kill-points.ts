/**
 * kill -9 at a random point of a run, and what must hold afterwards. Two scenarios, on both
 * databases:
 * - `backfill`: a DataBackfillNode filling orders.total_amount in batches of 1,000. Killed, the
 *   table holds exactly the committed batches (every row updated at most once, as many rows
 *   updated as the checkpoint says); the run's record says it stopped part-way, and its resume
 *   (as `dataflow run --resume`) ends with every row updated exactly once.
 * - `rebuild`: a type change that rebuilds orders on SQLite (create, copy every row, drop, rename)
 *   and rewrites it on PostgreSQL, then an added column. Killed, the user tables are at a node
 *   boundary: exactly as before the run, after its first node, or after both (schema and row
 *   checksums); the resume ends with the same schema and data as an uninterrupted run.
 * Either may kill the resume as well (`resumeDelayMs`): the same must hold after that kill, and
 * the resume of the killed resume ends as an uninterrupted run.
 * Used by test/kill-points.test.ts (a few points) and scripts/kill-soak.ts (many).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../electron/db/connect.ts';
import { listRuns } from '../electron/db/run-records.ts';
import { resumePoint } from '../electron/engine/resume.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { INTERNAL_TABLES } from '../shared/schema.ts';
import { stringifyJson } from '../shared/json-text.ts';
import { workflowSchema, type Workflow } from '../shared/workflow.ts';
import {
  backfillState,
  backfillWorkflow,
  countTotalUpdates,
  createOrders,
  readCheckpoints,
} from './backfill-fixtures.ts';
import { databaseState, type DatabaseState } from './database-state.ts';
import { applyAndKill } from './kill-child.ts';

export const SCENARIOS = ['backfill', 'rebuild'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The schema change of the `rebuild` scenario: a rebuild (SQLite) or rewrite (PostgreSQL), then a new column. */
const rebuildWorkflow: Workflow = workflowSchema.parse({
  format: 'dataflow-workflow',
  version: 1,
  name: 'widen_orders',
  nodes: [
    {
      id: 'widen',
      type: 'SchemaModificationNode',
      params: { table: 'orders', operation: 'alter_column_type', column_name: 'user_id', column_type: 'bigint' },
    },
    {
      id: 'note',
      type: 'SchemaModificationNode',
      params: { table: 'orders', operation: 'add_column', column_name: 'note', column_type: 'text' },
    },
  ],
  connections: [{ source: 'widen', sourceOutput: 'result', target: 'note', targetInput: 'input' }],
});

export function scenarioWorkflow(scenario: Scenario): Workflow {
  return scenario === 'backfill' ? backfillWorkflow({ batch_size: 1000, pause_ms: 2 }) : rebuildWorkflow;
}

/** A database's connection with a way to run trusted setup SQL (several statements). */
export async function open(conn: string): Promise<Database & { setup(sql: string): Promise<void> }> {
  const db = await openDatabase(conn);
  const setup = async (sql: string) => {
    if (db.dialect.name === 'sqlite') (db.driver as unknown as { db: { exec(s: string): void } }).db.exec(sql);
    else await db.driver.query(sql);
  };
  return Object.assign(db, { setup });
}

/** Fills an empty database with the scenario's tables and rows. */
export async function prepare(conn: string, scenario: Scenario, rows: number): Promise<void> {
  const db = await open(conn);
  try {
    await createOrders(db, rows);
    // One creation time for every row, so databases prepared apart hold the same data.
    await db.setup("UPDATE orders SET created_at = '2026-01-01 00:00:00'");
    if (scenario === 'backfill') await countTotalUpdates(db);
  } finally {
    await db.driver.close();
  }
}

/** The user tables' state (the product's own bookkeeping left out). */
export async function userState(db: Database): Promise<DatabaseState> {
  const s = await databaseState(db);
  const user = (name: string) => !INTERNAL_TABLES.includes(name) && !name.startsWith('dataflow_');
  return {
    schema: { ...s.schema, tables: s.schema.tables.filter((t) => user(t.name)) },
    rows: Object.fromEntries(Object.entries(s.rows).filter(([name]) => user(name))),
  };
}

/**
 * What an uninterrupted run shows: how long it takes in this process (`runMs`, to draw the kill
 * points from) and, for `rebuild`, the states a kill may leave: the user tables before the run
 * and after each node.
 */
export async function reference(
  freshConn: () => Promise<string>,
  scenario: Scenario,
  rows: number,
): Promise<{ runMs: number; boundaries: DatabaseState[] }> {
  const workflow = scenarioWorkflow(scenario);
  const steps = scenario === 'rebuild' ? [0, 1, 2] : [1];
  const boundaries: DatabaseState[] = [];
  let runMs = 0;
  for (const upTo of steps) {
    const conn = await freshConn();
    await prepare(conn, scenario, rows);
    const db = await openDatabase(conn);
    try {
      if (upTo > 0) {
        const started = performance.now();
        const result = await runWorkflow(workflow, db, {
          mode: 'apply',
          subset: { only: workflow.nodes.slice(0, upTo).map((n) => n.id) },
        });
        runMs = performance.now() - started;
        if (result.status !== 'succeeded') throw new Error(`the uninterrupted run failed: ${result.error}`);
      }
      if (scenario === 'rebuild') boundaries.push(await userState(db));
    } finally {
      await db.driver.close();
    }
  }
  return { runMs, boundaries };
}

export interface KillOutcome {
  /** How long after the run started the child was killed (ms), or null when it finished first. */
  killedAfterMs: number | null;
  /** What the kill left: the committed batches (backfill) or the node boundary reached (rebuild). */
  atKill: string;
  /** With a resume kill: how long after the resume started it was killed (null: it finished first), and what it left. */
  resumeKill?: { killedAfterMs: number | null; atKill: string };
  /** The run the record said had stopped part-way was resumed (false: it had finished, or had no record yet). */
  resumed: boolean;
}

/**
 * Applies the scenario in a child process on `conn` (prepared), SIGKILLs it `delayMs` after its
 * run started and checks what the kill left. With `resumeDelayMs`, when the record says the run
 * stopped part-way, its resume runs in a child process too and is SIGKILLed that long after it
 * started, and what that kill left is checked the same way. Then the run is resumed in this
 * process and the end checked against an uninterrupted run. Throws, saying what did not hold.
 * `boundaries`: reference()'s, for `rebuild`.
 */
export async function killAndRerun(
  conn: string,
  scenario: Scenario,
  rows: number,
  delayMs: number,
  boundaries: DatabaseState[] = [],
  resumeDelayMs?: number,
): Promise<KillOutcome> {
  const file = join(mkdtempSync(join(tmpdir(), 'dataflow-kill-')), 'workflow.dataflow.json');
  writeFileSync(file, stringifyJson(scenarioWorkflow(scenario)));
  const killedAfterMs = await applyAndKill(conn, file, delayMs);
  const db = await openDatabase(conn);
  try {
    const check = () => (scenario === 'backfill' ? checkBackfillAtKill(db) : checkBoundary(db, boundaries));
    const atKill = await check();
    let resumeKill: KillOutcome['resumeKill'];
    if (resumeDelayMs !== undefined && (await stoppedPartWay(db))) {
      resumeKill = { killedAfterMs: await applyAndKill(conn, file, resumeDelayMs, { resume: true }), atKill: '' };
      resumeKill.atKill = await check();
    }
    // Killed after its last node, the schema change is done: there is nothing left to run.
    const last = resumeKill?.atKill ?? atKill;
    const resumed = last !== 'after note' && (await resumeKilled(db, scenarioWorkflow(scenario)));
    if (scenario === 'backfill') {
      const end = await backfillState(db);
      if (end.wrong !== 0 || end.counted !== rows || end.minUpdates !== 1 || end.maxUpdates !== 1)
        throw new Error(`after the re-run: ${JSON.stringify(end)}, expected every one of ${rows} rows updated once`);
    } else {
      const end = await userState(db);
      if (stringifyJson(end) !== stringifyJson(boundaries.at(-1)))
        throw new Error('after the re-run the schema or data differ from an uninterrupted run');
    }
    return { killedAfterMs, atKill, ...(resumeKill && { resumeKill }), resumed };
  } finally {
    await db.driver.close();
  }
}

/** The newest run's record says it stopped part-way (so `--resume` has a run to continue). */
async function stoppedPartWay(db: Database): Promise<boolean> {
  const state = (await listRuns(db, 1))[0]?.state;
  return state === 'interrupted' || state === 'partially applied';
}

/**
 * Continues the killed run as `dataflow run --resume` does, after checking that its record says
 * it stopped part-way (interrupted, or partially applied once a node changed something). A run
 * the kill came too late for says succeeded, and there is nothing to do; a kill before the run's
 * record was written leaves nothing to resume, and the workflow is applied anew.
 */
async function resumeKilled(db: Database, workflow: Workflow): Promise<boolean> {
  const last = (await listRuns(db, 1))[0];
  if (last?.state === 'succeeded') return false;
  if (last && !(await stoppedPartWay(db)))
    throw new Error(`the killed run's record says "${last.state}", not that it stopped part-way`);
  const point = last ? await resumePoint(db, workflow) : null;
  const rerun = await runWorkflow(workflow, db, {
    mode: 'apply',
    lockWaitMs: 15_000,
    ...(point && { resume: { runId: point.run.runId, done: point.done, outputs: point.outputs } }),
  });
  if (rerun.status !== 'succeeded') throw new Error(`the resume failed: ${rerun.error}`);
  return point !== null;
}

/** Killed backfill: no row updated twice; exactly the rows of the committed checkpoint updated. */
async function checkBackfillAtKill(db: Database): Promise<string> {
  const state = await backfillState(db);
  const [checkpoint] = await readCheckpoints(db);
  const done = checkpoint?.rowsDone ?? 0;
  if (state.maxUpdates !== null && state.maxUpdates > 1) throw new Error(`a row was updated ${state.maxUpdates} times`);
  if (state.counted !== done)
    throw new Error(`${state.counted} rows updated, but the checkpoint says ${done}: not a committed batch boundary`);
  return `${done} rows (${done / 1000} batches) committed${checkpoint?.finished ? ', finished' : ''}`;
}

/** Killed schema change: the user tables are exactly at one of the node boundaries. */
async function checkBoundary(db: Database, boundaries: DatabaseState[]): Promise<string> {
  const now = stringifyJson(await userState(db));
  const at = boundaries.findIndex((b) => stringifyJson(b) === now);
  if (at < 0) throw new Error('the killed run left the user tables between node boundaries');
  return ['before the run', 'after widen', 'after note'][at]!;
}
