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
 * Each kill strikes the run part-way (after its record was written, before it ended; see
 * test/kill-child.ts), at a point drawn from a seed (`drawKills`). The run is resumed in a child
 * process that is killed too, after it committed work of its own (backfill: a batch; rebuild: a
 * node started): the same must hold after that kill, the newest record is the resume's and says
 * it stopped part-way, and resuming it ends as an uninterrupted run.
 * Used by test/kill-points.test.ts (one kill and one resume kill per case) and scripts/kill-soak.ts (many).
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
import { applyAndKill, type KillPoint, type Killed } from './kill-child.ts';

export const SCENARIOS = ['backfill', 'rebuild'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The backfill's batch size: a kill between batches needs more than 16 batches (see KILLS). */
const BATCH = 1000;
const BACKFILL = 'phase2_backfill';

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
  return scenario === 'backfill' ? backfillWorkflow({ batch_size: BATCH, pause_ms: 2 }) : rebuildWorkflow;
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
 * Where the first kill of a scenario may strike: its boundary classes. The child reports a
 * backfill's progress once at its start (before any batch), then after each committed batch.
 */
export const KILLS = {
  backfill: {
    // Its record says the node is running; no batch committed.
    'before the first batch': () => ({
      after: { event: 'node_started', node: BACKFILL, nth: 1 },
      delayMs: 0,
      holdAt: { event: 'progress', node: BACKFILL, nth: 1 },
    }),
    // After 1 to 6 committed batches, in the next three (mid-batch, or between two).
    'between batches': (random: () => number) => {
      const nth = 2 + Math.floor(random() * 6);
      return {
        after: { event: 'progress', node: BACKFILL, nth },
        delayMs: Math.round(random() * 40),
        holdAt: { event: 'progress', node: BACKFILL, nth: nth + 3 },
      };
    },
  },
  rebuild: {
    // Anywhere in the rebuild (create, copy, drop, rename in one transaction), or just after it.
    'in widen': (random: () => number) => ({
      after: { event: 'node_started', node: 'widen', nth: 1 },
      delayMs: Math.round(random() * 100),
      holdAt: { event: 'node_finished', node: 'widen', nth: 1 },
    }),
    // At the node boundary: widen recorded finished, note not started.
    'after widen': () => ({
      after: { event: 'node_finished', node: 'widen', nth: 1 },
      delayMs: 0,
      holdAt: { event: 'node_finished', node: 'widen', nth: 1 },
    }),
  },
} satisfies Record<Scenario, Record<string, (random: () => number) => KillPoint>>;

/** The kill class names of a scenario. */
export const killClasses = (scenario: Scenario): string[] => Object.keys(KILLS[scenario]);

/** The first kill of `scenario` in class `kill` (one of killClasses), its delay drawn from `random`. */
export function drawKill(scenario: Scenario, kill: string, random: () => number): KillPoint {
  const draw = (KILLS[scenario] as Record<string, (r: () => number) => KillPoint>)[kill];
  if (!draw) throw new Error(`no kill class "${kill}" for ${scenario}`);
  return draw(random);
}

/**
 * The kill of the resume, once it committed work of its own: the backfill after its 1st to 4th
 * own batch (its start report is its progress 1), in the next three; the rebuild in the first node
 * the resume runs (`next`), or just after it.
 */
function resumeKill(scenario: Scenario, next: string, random: () => number): KillPoint {
  if (scenario === 'backfill') {
    const nth = 2 + Math.floor(random() * 4);
    return {
      after: { event: 'progress', node: BACKFILL, nth },
      delayMs: Math.round(random() * 40),
      holdAt: { event: 'progress', node: BACKFILL, nth: nth + 3 },
    };
  }
  return {
    after: { event: 'node_started', node: next, nth: 1 },
    delayMs: Math.round(random() * (next === 'widen' ? 100 : 10)),
    holdAt: { event: 'node_finished', node: next, nth: 1 },
  };
}

/**
 * The user tables at each node boundary of the `rebuild` scenario (before the run, after widen,
 * after note), from one prepared database applying one node at a time.
 */
export async function boundaryStates(conn: string, rows: number): Promise<DatabaseState[]> {
  await prepare(conn, 'rebuild', rows);
  const db = await openDatabase(conn);
  try {
    const states = [await userState(db)];
    for (const node of rebuildWorkflow.nodes) {
      const result = await runWorkflow(rebuildWorkflow, db, { mode: 'apply', subset: { only: [node.id] } });
      if (result.status !== 'succeeded') throw new Error(`the uninterrupted run failed: ${result.error}`);
      states.push(await userState(db));
    }
    return states;
  } finally {
    await db.driver.close();
  }
}

export interface KillOutcome {
  /** Where the first kill struck (the last point its child reported) and what it left. */
  first: { struck: string; atKill: string };
  /** The same for the kill of its resume. */
  resume: { struck: string; atKill: string };
}

/**
 * Applies the scenario in a child process on `conn` (prepared) and SIGKILLs it at `kill`; checks
 * what the kill left and that the record says the run stopped part-way. Resumes it in a child
 * process killed once the resume committed work of its own (drawn from `random`); checks what
 * that kill left, that the newest record is the resume's, says it stopped part-way and (backfill)
 * that it committed batches of its own. Then resumes the killed resume in this process and
 * checks the end against an uninterrupted run. Throws, saying what did not hold.
 * `boundaries`: boundaryStates()'s, for `rebuild`.
 */
export async function killAndRerun(
  conn: string,
  scenario: Scenario,
  rows: number,
  kill: KillPoint,
  random: () => number,
  boundaries: DatabaseState[] = [],
): Promise<KillOutcome> {
  const file = join(mkdtempSync(join(tmpdir(), 'dataflow-kill-')), 'workflow.dataflow.json');
  const workflow = scenarioWorkflow(scenario);
  writeFileSync(file, stringifyJson(workflow));
  const first = await applyAndKill(conn, file, kill);
  const db = await openDatabase(conn);
  try {
    const check = () => (scenario === 'backfill' ? checkBackfillAtKill(db) : checkBoundary(db, boundaries));
    const atKill = await check();
    await expectStoppedPartWay(db, first, 'the killed run');
    const rowsAtKill = (await readCheckpoints(db))[0]?.rowsDone ?? 0;

    const { done } = await resumePoint(db, workflow);
    const next = workflow.nodes.find((n) => !done.includes(n.id))!.id;
    const second = await applyAndKill(conn, file, resumeKill(scenario, next, random), { resume: true });
    const atResumeKill = await check();
    await expectStoppedPartWay(db, second, 'the killed resume');
    if (second.runId === first.runId) throw new Error('the resume wrote no record of its own');
    const rowsAtResumeKill = (await readCheckpoints(db))[0]?.rowsDone ?? 0;
    if (scenario === 'backfill' && rowsAtResumeKill <= rowsAtKill)
      throw new Error(`the killed resume committed no batch: ${rowsAtResumeKill} rows, as at the first kill`);

    // Killed after its last node, the schema change is done: there is nothing left to run.
    if (atResumeKill !== 'after note') await resumeKilled(db, workflow, second.runId);
    if (scenario === 'backfill') {
      const end = await backfillState(db);
      if (end.wrong !== 0 || end.counted !== rows || end.minUpdates !== 1 || end.maxUpdates !== 1)
        throw new Error(`after the re-run: ${JSON.stringify(end)}, expected every one of ${rows} rows updated once`);
    } else {
      const end = await userState(db);
      if (stringifyJson(end) !== stringifyJson(boundaries.at(-1)))
        throw new Error('after the re-run the schema or data differ from an uninterrupted run');
    }
    return { first: { struck: first.lastPoint, atKill }, resume: { struck: second.lastPoint, atKill: atResumeKill } };
  } finally {
    await db.driver.close();
  }
}

/** The newest run's record is the killed one's and says it stopped part-way (so `--resume` has a run to continue). */
export async function expectStoppedPartWay(db: Database, killed: Killed, what: string): Promise<void> {
  const last = (await listRuns(db, 1))[0];
  if (last?.runId !== killed.runId)
    throw new Error(`${what} (killed at ${killed.lastPoint}) left no record: the newest is ${last?.runId ?? 'none'}`);
  if (last.state !== 'interrupted' && last.state !== 'partially applied')
    throw new Error(
      `${what}'s record says "${last.state}", not that it stopped part-way (killed at ${killed.lastPoint})`,
    );
}

/** Continues the killed resume `runId` as `dataflow run --resume` does. */
async function resumeKilled(db: Database, workflow: Workflow, runId: string): Promise<void> {
  const point = await resumePoint(db, workflow);
  if (point.run.runId !== runId)
    throw new Error(`--resume chose run ${point.run.runId}, not the killed resume ${runId}`);
  const rerun = await runWorkflow(workflow, db, {
    mode: 'apply',
    lockWaitMs: 15_000,
    resume: { runId: point.run.runId, done: point.done, outputs: point.outputs },
  });
  if (rerun.status !== 'succeeded') throw new Error(`the resume failed: ${rerun.error}`);
}

/** Killed backfill: no row updated twice; exactly the rows of the committed checkpoint updated. */
async function checkBackfillAtKill(db: Database): Promise<string> {
  const state = await backfillState(db);
  const [checkpoint] = await readCheckpoints(db);
  const done = checkpoint?.rowsDone ?? 0;
  if (state.maxUpdates !== null && state.maxUpdates > 1) throw new Error(`a row was updated ${state.maxUpdates} times`);
  if (state.counted !== done)
    throw new Error(`${state.counted} rows updated, but the checkpoint says ${done}: not a committed batch boundary`);
  return `${done} rows (${done / BATCH} batches) committed${checkpoint?.finished ? ', finished' : ''}`;
}

/** Killed schema change: the user tables are exactly at one of the node boundaries. */
async function checkBoundary(db: Database, boundaries: DatabaseState[]): Promise<string> {
  const now = stringifyJson(await userState(db));
  const at = boundaries.findIndex((b) => stringifyJson(b) === now);
  if (at < 0) throw new Error('the killed run left the user tables between node boundaries');
  return ['before the run', 'after widen', 'after note'][at]!;
}
