/**
 * `dataflow runs --db <conn> [--run <id>] [--json]`: the applies recorded in the database
 * (dataflow_runs, docs/recovery.md), or one run's record node by node.
 */
import { diffSchemas } from '../../shared/diff.ts';
import { rollbacksOf } from '../../shared/run-state.ts';
import { describeChange } from '../../shared/diff-text.ts';
import type { ExecutedStep } from '../../shared/run.ts';
import type { Schema } from '../../shared/schema.ts';
import { terminalJson } from '../../shared/terminal-text.ts';
import type { Database } from '../db/connect.ts';
import type { RunNodeRecord, RunRecord } from '../db/run-records.ts';
import { EXIT, UsageError, connect, formatDuration, out, requireFlag, type Command } from './common.ts';
import { textTable, type TextColumns } from './text-table.ts';

export const runsCommand: Command = {
  name: 'runs',
  help: `Usage: dataflow runs --db <conn> [--run <run-id>] [--limit <n>] [--json]

Lists the applies recorded in the database (dataflow_runs), newest first: run id, state, the
workflow, who applied it, when, and how many nodes finished and changed something. A run that
stopped part-way after changing something (failed, cancelled, or its process killed) is
"partially applied"; a run whose process is gone before it changed anything is "interrupted".
A resume (dataflow run --resume, or a fleet job retried after its worker died, on any machine)
links the two runs: "resumed run <id>" under the resume, "continued by run <id>" under the run
it continued, whose record it closes when its process died with it still recorded running.
Listing reads the run rows and their links only.

With --run, shows one run (its id or the start of it): each node's status, the statements it
executed with their rows or error, and what it changed in the schema (from the schema before
and after it that the record keeps).

  --db <conn>     sqlite:<path> or postgres://user:password@host:port/database
  --run <run-id>  show this run's record node by node
  --limit <n>     list at most n runs (default 50)
  --json          print the runs (or the run, its nodes and their schema changes) as JSON

Exit codes: 0 listed, 1 failed, 2 unusable input (no such run)

Example: dataflow runs --db sqlite:demo.db --run 3f2a`,
  options: {
    db: { type: 'string' },
    run: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  async run(_positionals, flags) {
    const conn = requireFlag(flags, 'db');
    const limit = flags.limit === undefined ? 50 : Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError('--limit must be a whole number of runs, 1 or more');
    const records = await import('../db/run-records.ts');
    const db = await connect(conn, { mustExist: true });
    try {
      if (typeof flags.run === 'string') {
        let found: Awaited<ReturnType<typeof records.readRun>>;
        try {
          found = await records.readRun(db, flags.run);
        } catch (e) {
          if (e instanceof records.RunNotFoundError) throw new UsageError(`--run: ${e.message}`);
          throw e;
        }
        const nodes = await withChanges(db, found.nodes, records.readSnapshot);
        const run = withRollback(found.run, rollbacksOf(await records.listRuns(db, 10_000)));
        out(flags.json ? terminalJson({ run, nodes }) : runDetail(run, nodes));
        return EXIT.ok;
      }
      const listed = await records.listRuns(db, limit);
      // A rollback starts after the run it reverses, so it is listed whenever that run is.
      const rollbacks = rollbacksOf(listed);
      const runs = listed.map((r) => withRollback(r, rollbacks));
      out(flags.json ? terminalJson(runs) : runsTable(runs));
      return EXIT.ok;
    } finally {
      await db.driver.close();
    }
  },
};

type NodeWithChanges = RunNodeRecord & { changes: string[] };

/** Each node with what it changed: the diff of the schema before and after it, as lines. */
async function withChanges(
  db: Database,
  nodes: readonly RunNodeRecord[],
  read: (db: Database, hash: string) => Promise<Schema | null>,
): Promise<NodeWithChanges[]> {
  const cache = new Map<string, Awaited<ReturnType<typeof read>>>();
  const schema = async (hash: string) => {
    if (!cache.has(hash)) cache.set(hash, await read(db, hash));
    return cache.get(hash)!;
  };
  const result: NodeWithChanges[] = [];
  for (const n of nodes) {
    let changes: string[] = [];
    if (n.schemaBefore && n.schemaAfter && n.schemaBefore !== n.schemaAfter) {
      const [before, after] = [await schema(n.schemaBefore), await schema(n.schemaAfter)];
      if (before && after) changes = diffSchemas(before, after).changes.map(describeChange);
    }
    result.push({ ...n, changes });
  }
  return result;
}

const short = (id: string) => id.slice(0, 8);

/** A run as listed: with the apply that rolled it back (its id and start), or null. */
type ListedRun = RunRecord & { rolledBackBy: { runId: string; startedAt: string } | null };

function withRollback(run: RunRecord, rollbacks: ReturnType<typeof rollbacksOf>): ListedRun {
  return { ...run, rolledBackBy: rollbacks.get(run.runId) ?? null };
}

/** The lines under a run: the run it resumed, where it stopped, the run that resumed it, and the run that rolled it back. */
function notes(r: ListedRun): string[] {
  const continues = r.continues ? [`resumed run ${short(r.continues)}`] : [];
  const stopped = r.state !== 'succeeded' && r.state !== 'running' ? [stoppedAt(r)] : [];
  const continued = r.continuedBy ? [`continued by run ${short(r.continuedBy)}`] : [];
  const rolled = r.rolledBackBy
    ? [`rolled back by run ${short(r.rolledBackBy.runId)} at ${r.rolledBackBy.startedAt}`]
    : [];
  return [...continues, ...stopped, ...continued, ...rolled];
}

const COLUMNS: TextColumns<RunRecord> = [
  ['run', (r) => short(r.runId)],
  ['state', (r) => r.state],
  ['workflow', (r) => r.workflow],
  ['started', (r) => r.startedAt],
  ['nodes', (r) => `${r.nodesDone}/${r.nodesTotal}`],
  ['changed', (r) => String(r.nodesApplied)],
  ['applied by', (r) => r.appliedBy ?? ''],
];

export function runsTable(runs: readonly ListedRun[]): string {
  if (runs.length === 0) return 'no runs recorded (an apply records its run here)';
  return textTable(COLUMNS, runs, (r) => notes(r).map((line) => `  ${line}`));
}

/** Where a run that did not succeed stopped. */
function stoppedAt(r: RunRecord): string {
  // A run ended by itself clears its current node; one whose process died (closed since by the
  // resume that continued it, or still recorded running) keeps the node it died in.
  if (r.currentNode) return `stopped in node "${r.currentNode}" (its process is gone)`;
  if (r.status === 'running') return `stopped after ${r.nodesDone} node(s) (its process is gone)`;
  return r.error ? `error: ${r.error}` : r.status;
}

/** Statements shown per node; --json has them all. */
const STATEMENTS_SHOWN = 6;

function outcome(s: ExecutedStep): string {
  if (s.error) return `failed: ${s.error}`;
  if (s.notRun) return 'not run';
  return s.rowsAffected === null ? 'ran' : `${s.rowsAffected} row(s)`;
}

export function runDetail(run: ListedRun, nodes: readonly NodeWithChanges[]): string {
  const lines = [
    `run ${run.runId}: ${run.state}`,
    `  workflow   ${run.workflow} (checksum ${run.workflowChecksum.slice(0, 12)})`,
    `  applied by ${run.appliedBy ?? '?'} (pid ${run.pid ?? '?'} on ${run.host ?? '?'})`,
    `  started    ${run.startedAt}`,
    `  finished   ${run.finishedAt ?? '-'}`,
    `  nodes      ${run.nodesDone}/${run.nodesTotal} finished, ${run.nodesApplied} changed something`,
  ];
  lines.push(...notes(run).map((line) => `  ${line}`));
  if (run.driftAccepted) lines.push(`  drift accepted before the run: ${JSON.stringify(run.driftAccepted)}`);
  for (const n of nodes) {
    const timing = n.durationMs === null ? '' : ` in ${formatDuration(n.durationMs)}, ${n.rowsAffected} row(s)`;
    lines.push('', `${n.nodeId} (${n.type}): ${n.status}${timing}`);
    if (n.error) lines.push(`  error: ${n.error}`);
    const shown = n.statements.length > STATEMENTS_SHOWN ? n.statements.slice(0, STATEMENTS_SHOWN - 1) : n.statements;
    for (const s of shown) {
      lines.push(`  ${s.sql}`, `    -> ${outcome(s)}`);
    }
    const hidden = n.statements.length - shown.length;
    if (hidden > 0) {
      const last = n.statements.at(-1)!;
      lines.push(`  ... ${hidden} more statement(s), the last:`, `  ${last.sql}`, `    -> ${outcome(last)}`);
    }
    for (const c of n.changes) lines.push(`  schema: ${c}`);
  }
  return lines.join('\n');
}
