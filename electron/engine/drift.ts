/**
 * The drift check before an apply (shared/drift.ts, docs/recovery.md): the live schema against
 * the schema recorded after the last run applied on the database (run-records.ts), and, for a
 * workflow, its migrations that a recorded run completed and whose nodes changed since (each
 * node's checksum as that run recorded it against the node now). Reads only.
 */
import { diffSchemas } from '../../shared/diff.ts';
import type { DriftReport, EditedMigration, EditedNode } from '../../shared/drift.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import { history } from '../db/migration-records.ts';
import { RunNotFoundError, lastRecordedSchema, readRun } from '../db/run-records.ts';
import { nodeChecksum } from './run-record.ts';

/** The nodes of `workflow` that are not what a recorded run ran (by node checksum). */
export function editedNodes(
  recorded: readonly { nodeId: string; checksum: string }[],
  workflow: Workflow,
): EditedNode[] {
  const now = new Map(workflow.nodes.map((n) => [n.id, nodeChecksum(n)]));
  const then = new Map(recorded.map((n) => [n.nodeId, n.checksum]));
  const edited: EditedNode[] = [];
  for (const [id, checksum] of then) {
    const current = now.get(id);
    if (current === undefined) edited.push({ node: id, change: 'removed' });
    else if (current !== checksum) edited.push({ node: id, change: 'edited' });
  }
  for (const id of now.keys()) if (!then.has(id)) edited.push({ node: id, change: 'added' });
  return edited;
}

async function editedMigrations(db: Database, workflow: Workflow): Promise<EditedMigration[]> {
  const found: EditedMigration[] = [];
  for (const m of await history(db)) {
    if (m.status !== 'completed' || m.workflow !== workflow.name || !m.runId) continue;
    let nodes: Awaited<ReturnType<typeof readRun>>['nodes'];
    try {
      ({ nodes } = await readRun(db, m.runId));
    } catch (e) {
      // Completed before runs were recorded here: there is nothing to compare with.
      if (e instanceof RunNotFoundError) continue;
      throw e;
    }
    const edited = editedNodes(nodes, workflow);
    if (edited.length > 0) found.push({ name: m.name, runId: m.runId, completedAt: m.completedAt, nodes: edited });
  }
  return found;
}

/** What changed on the database since the product last left it, and (with a workflow) its edited applied migrations. */
export async function checkDrift(db: Database, workflow: Workflow | null): Promise<DriftReport> {
  const last = await lastRecordedSchema(db);
  const live = last ? await db.dialect.introspect(db.driver) : null;
  return {
    baseline: last && {
      runId: last.run.runId,
      workflow: last.run.workflow,
      startedAt: last.run.startedAt,
      state: last.run.state,
    },
    diff: last && live ? diffSchemas(last.schema, live) : { changes: [], tables: [] },
    editedMigrations: workflow ? await editedMigrations(db, workflow) : [],
  };
}
