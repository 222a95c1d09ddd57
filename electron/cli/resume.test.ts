import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backfillState, countTotalUpdates, createOrders } from '../../test/backfill-fixtures.ts';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { ROOT, dataflow } from '../../test/dataflow-cli.ts';
import { node, workflow } from '../../test/workflows.ts';

const databases = freshDatabases();

function file(noteType = 'text'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'df-resume-')), 'orders.dataflow.json');
  const w = workflow(
    [
      node('add_note', 'SchemaModificationNode', {
        table: 'orders',
        operation: 'add_column',
        column_name: 'note',
        column_type: noteType,
      }),
      node('backfill', 'DataBackfillNode', {
        table: 'orders',
        update_field: 'total_amount',
        calculation: 'subtotal + tax + shipping',
        batch_size: 50,
        batch_target_ms: 0,
        pause_ms: 60,
      }),
    ],
    ['add_note.result->backfill.input'],
    'orders totals',
  );
  writeFileSync(path, JSON.stringify(w));
  return path;
}

/**
 * `dataflow run` killed with SIGKILL once its backfill has written some batches; with `host`, run
 * as on another machine: in a UTS namespace of its own with that host name, so that its pid
 * cannot be checked from here.
 */
async function killedInBackfill(conn: string, path: string, host?: string): Promise<void> {
  const run = [process.execPath, join(ROOT, 'bin/dataflow.js'), 'run', path, '--db', conn];
  const [command, ...args] = host
    ? ['unshare', '-U', '-r', '--uts', 'sh', '-c', `hostname ${host} && exec "$0" "$@"`, ...run]
    : run;
  const child = spawn(command!, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (/backfill \[.*\] [1-9]\d?% /.test(stderr)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the run ended (${code}) before it was killed: ${stderr}`)));
  });
  child.kill('SIGKILL');
  await exited;
}

for (const dialect of DIALECTS) {
  describe(`dataflow run --resume (${dialect})`, () => {
    it(
      'after a kill -9 in the backfill, continues from the record: add_note not run again, every row written once',
      { timeout: 120_000 },
      async () => {
        const db = await databases(dialect);
        await createOrders(db, 2000);
        await countTotalUpdates(db);
        const path = file();
        await killedInBackfill(db.conn, path);
        const listed = await dataflow('runs', '--db', db.conn);
        expect(listed.stdout).toMatch(/partially applied\s+orders totals\s+\S+\s+1\/2\s+1\s/);
        expect(listed.stdout).toContain('stopped in node "backfill" (its process is gone)');
        const half = await backfillState(db);
        expect(half.wrong).toBeGreaterThan(0);

        const edited = await dataflow('run', file('varchar(100)'), '--db', db.conn, '--resume');
        expect(edited.code).toBe(2);
        expect(edited.stderr).toMatch(
          /--resume: the workflow changed since run [0-9a-f]{8}: node "add_note" edited; resume anyway with --force/,
        );

        const resumed = await dataflow('run', path, '--db', db.conn, '--resume');
        expect(resumed.code, resumed.stderr).toBe(0);
        expect(resumed.stderr).toMatch(
          /^resuming run [0-9a-f-]{36} \(partially applied\): add_note done before, not run again$/m,
        );
        expect(resumed.stderr).toMatch(/backfill \[.*\] \d+% \d+\/2000 rows, .*resuming after id/);
        expect(resumed.stdout).toMatch(/ {2}add_note\s+skipped\s/);
        expect(resumed.stdout).toMatch(new RegExp(` {2}backfill\\s+succeeded\\s+.*\\s${half.wrong} row\\(s\\)`));
        expect(await backfillState(db)).toEqual({ wrong: 0, counted: 2000, minUpdates: 1, maxUpdates: 1 });
        // The killed run's record is closed by the resume, and each names the other.
        const [resume, killed] = JSON.parse((await dataflow('runs', '--db', db.conn, '--json')).stdout) as {
          runId: string;
          status: string;
          state: string;
          continuedBy: string | null;
          continues: string | null;
        }[];
        expect(killed).toMatchObject({ status: 'failed', state: 'partially applied', continuedBy: resume!.runId });
        expect(resume).toMatchObject({ status: 'succeeded', continues: killed!.runId, continuedBy: null });
        const table = (await dataflow('runs', '--db', db.conn)).stdout;
        expect(table).toContain(`resumed run ${killed!.runId.slice(0, 8)}`);
        expect(table).toContain('stopped in node "backfill" (its process is gone)');
        expect(table).toContain(`continued by run ${resume!.runId.slice(0, 8)}`);
        const detail = await dataflow('runs', '--db', db.conn, '--run', killed!.runId.slice(0, 8));
        expect(detail.stdout).toContain(`continued by run ${resume!.runId.slice(0, 8)}`);

        const again = await dataflow('run', path, '--db', db.conn, '--resume');
        expect(again.code).toBe(2);
        expect(again.stderr).toMatch(/succeeded: there is nothing to resume/);
        const usage = await dataflow('run', path, '--db', db.conn, '--run', 'abc');
        expect(usage.code).toBe(2);
        expect(usage.stderr).toMatch(/--run and --force go with --resume/);
      },
    );
  });
}

describe('dataflow run --resume of a run killed on another machine (postgres)', () => {
  it(
    'resumes it once the migration lock shows its session gone, and closes its record',
    { timeout: 120_000 },
    async () => {
      const db = await databases('postgres');
      await createOrders(db, 2000);
      await countTotalUpdates(db);
      // Tracked as a migration, so the run holds the database's migration lock while it runs.
      const path = file();
      const w = JSON.parse(readFileSync(path, 'utf8')) as ReturnType<typeof workflow>;
      const tracked = workflow(
        [
          node('track', 'MigrationNode', { migration_name: 'orders_note', status: 'pending' }),
          ...w.nodes,
          node('complete', 'MigrationNode', { migration_name: 'orders_note', status: 'completed' }),
        ],
        ['track.result->add_note.input', 'add_note.result->backfill.input', 'backfill.result->complete.input'],
        'orders totals tracked',
      );
      writeFileSync(path, JSON.stringify(tracked));
      await killedInBackfill(db.conn, path, 'machine-b');
      type Listed = {
        runId: string;
        host: string;
        status: string;
        state: string;
        continuedBy: string | null;
        continues: string | null;
      };
      const [killed] = JSON.parse((await dataflow('runs', '--db', db.conn, '--json')).stdout) as Listed[];
      // Its pid cannot be checked from here: the record alone says running.
      expect(killed).toMatchObject({ host: 'machine-b', state: 'running' });

      const resumed = await dataflow('run', path, '--db', db.conn, '--resume');
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(
        /^resuming run [0-9a-f-]{36} \(running\): track, add_note done before, not run again$/m,
      );
      expect(await backfillState(db)).toEqual({ wrong: 0, counted: 2000, minUpdates: 1, maxUpdates: 1 });
      const [resume, closed] = JSON.parse((await dataflow('runs', '--db', db.conn, '--json')).stdout) as Listed[];
      expect(closed).toMatchObject({
        runId: killed!.runId,
        status: 'failed',
        state: 'partially applied',
        continuedBy: resume!.runId,
      });
      expect(resume).toMatchObject({ status: 'succeeded', continues: killed!.runId });
    },
  );
});
