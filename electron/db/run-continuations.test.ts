/**
 * A resume's continuation in the run records, on both dialects: the run it continues, found still
 * recorded running (its process died), is closed and each run names the other, in listings, in
 * one run's record and in the editor's History; a database recorded before the continuations
 * table existed is listed without links and gets the table on its next write.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { withDatabaseRuns } from '../main/history-records.ts';
import * as sql from './run-record-sql.ts';
import { listRuns, readRun, writeRunRecord } from './run-records.ts';
import type { Database } from './connect.ts';
import type { Query } from './migration-sql.ts';

const databases = freshDatabases();

/** A run row as the recorder writes it when the run starts, on `host` (another machine: not this one). */
function started(d: Database['dialect'], runId: string, startedAt: string, host = 'machine-b'): Query {
  return sql.insertRunQuery(d, {
    runId,
    workflow: 'orders totals',
    workflowChecksum: 'c0ffee',
    appliedBy: `worker@${host}`,
    host,
    pid: 4242,
    startedAt,
    nodesTotal: 2,
    schemaBefore: null,
    driftAccepted: null,
  });
}

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';

for (const dialect of DIALECTS) {
  describe(`run continuations (${dialect})`, () => {
    it('a resume closes the run it continues when its process died; both runs name each other', async () => {
      const db = await databases(dialect);
      // A: killed on machine-b after its first node, still recorded running.
      await writeRunRecord(db, (d) => [started(d, A, '2026-12-04T10:00:00.000Z')], []);
      await writeRunRecord(
        db,
        (d) => [
          sql.updateRunQuery(d, A, {
            status: 'running',
            finishedAt: null,
            nodesDone: 1,
            nodesApplied: 1,
            currentNode: 'backfill',
            error: null,
            schemaAfter: null,
          }),
        ],
        [],
      );
      expect((await listRuns(db))[0]).toMatchObject({ runId: A, state: 'running', continuedBy: null });
      // B resumes A: its run row and A's continuation in one write.
      await writeRunRecord(
        db,
        (d) => [started(d, B, '2026-12-04T10:05:00.000Z', 'machine-c'), ...sql.continueRunQueries(d, A, B, 'died')],
        [],
      );
      const [b, a] = await listRuns(db);
      expect(a).toMatchObject({ runId: A, status: 'failed', state: 'partially applied', error: 'died' });
      expect(a).toMatchObject({ continuedBy: B, continues: null, currentNode: 'backfill', finishedAt: null });
      expect(b).toMatchObject({ runId: B, status: 'running', continues: A, continuedBy: null });
      expect((await readRun(db, 'aaaa')).run).toMatchObject({ continuedBy: B, state: 'partially applied' });

      // A run that ended failed by itself keeps its status and state when a resume continues it.
      await writeRunRecord(
        db,
        (d) => [
          sql.updateRunQuery(d, B, {
            status: 'failed',
            finishedAt: '2026-12-04T10:06:00.000Z',
            nodesDone: 1,
            nodesApplied: 0,
            currentNode: null,
            error: 'node "backfill" failed',
            schemaAfter: null,
          }),
        ],
        [],
      );
      await writeRunRecord(
        db,
        (d) => [started(d, C, '2026-12-04T10:07:00.000Z'), ...sql.continueRunQueries(d, B, C, 'died')],
        [],
      );
      expect((await readRun(db, B)).run).toMatchObject({
        status: 'failed',
        state: 'failed',
        error: 'node "backfill" failed',
        continuedBy: C,
        continues: A,
      });

      // The editor's History carries the links of the runs the record knows, and resumes neither
      // a continued run nor one still running.
      const history = withDatabaseRuns([], await listRuns(db), { id: 'shop', name: 'Shop' }, 10);
      expect(history.map((r) => [r.runId, r.state, r.continues, r.continuedBy, r.resumable])).toEqual([
        [C, 'running', B, null, false],
        [B, 'failed', A, C, false],
        [A, 'partially applied', null, B, false],
      ]);
      // Once the newest run of the workflow stopped part-way, the History offers to resume it.
      await writeRunRecord(
        db,
        (d) => [
          sql.updateRunQuery(d, C, {
            status: 'cancelled',
            finishedAt: '2026-12-04T10:08:00.000Z',
            nodesDone: 0,
            nodesApplied: 0,
            currentNode: null,
            error: 'the run was cancelled',
            schemaAfter: null,
          }),
        ],
        [],
      );
      const after = withDatabaseRuns([], await listRuns(db), { id: 'shop', name: 'Shop' }, 10);
      expect(after.map((r) => [r.runId, r.resumable])).toEqual([
        [C, true],
        [B, false],
        [A, false],
      ]);
    });

    it('lists a database recorded before the continuations table, and adds the table on its next write', async () => {
      const db = await databases(dialect);
      await writeRunRecord(db, (d) => [started(d, A, '2026-12-04T10:00:00.000Z')], []);
      await db.driver.query(`DROP TABLE ${db.dialect.quoteIdent(sql.CONTINUATIONS_TABLE)}`);
      expect(await listRuns(db)).toMatchObject([{ runId: A, continuedBy: null, continues: null }]);
      await writeRunRecord(
        db,
        (d) => [started(d, B, '2026-12-04T10:05:00.000Z'), ...sql.continueRunQueries(d, A, B, 'died')],
        [],
      );
      expect((await readRun(db, A)).run).toMatchObject({ status: 'failed', continuedBy: B });
    });
  });
}
