import { describe, expect, it } from 'vitest';
import { freshDatabases } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';
import { node, workflow } from '../../test/workflows.ts';
import { buildRollback } from '../engine/rollback.ts';
import { runWorkflow } from '../engine/run.ts';

const databases = freshDatabases();

// The engine's rollback is tested on both databases (electron/engine/rollback.test.ts); this is
// the command's output, on SQLite (each CLI call costs a process start).
describe('dataflow rollback', () => {
  it(
    'plans and applies the reverse of a run, recorded as a run of its own; refuses a run whose dropped data is gone',
    { timeout: 150_000 },
    async () => {
      const db = await databases(
        'sqlite',
        "CREATE TABLE users (id integer PRIMARY KEY, name text, nickname text); INSERT INTO users VALUES (1, 'ada', 'a');",
      );
      const sm = (id: string, params: Record<string, unknown>) =>
        node(id, 'SchemaModificationNode', { table: 'users', ...params });
      const add = workflow(
        [sm('add_phone', { operation: 'add_column', column_name: 'phone', column_type: 'varchar(20)' })],
        [],
        'phones',
      );
      const { runId } = await runWorkflow(add, db, { mode: 'apply' });

      const plan = await dataflow('rollback', runId.slice(0, 8), '--db', db.conn, '--plan');
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stderr).toContain(`rolling back run ${runId} (phones, `);
      expect(plan.stdout).toMatch(
        /-- node drop_column_users_phone \(SchemaModificationNode\): .*\n.*DROP COLUMN "phone"/,
      );

      const back = await dataflow('rollback', runId, '--db', db.conn);
      expect(back.code, back.stderr).toBe(0);
      expect(back.stdout).toMatch(/^run [0-9a-f-]{36} succeeded in .*\n {2}drop_column_users_phone\s+succeeded/);
      expect(back.stdout).toContain('- column users.phone');

      // Dropping the column the run added kept its values (NULL here) in a prior backup.
      const listed = await dataflow('backups', '--db', db.conn);
      expect(listed.code, listed.stderr).toBe(0);
      const line = listed.stdout.split('\n')[2]!;
      expect(line).toMatch(
        /^[0-9a-f]{12} {2}[0-9a-f]{8} {2}drop_column_users_phone \(drop_column\) {2}users: phone {2}1 +\S+ \S+ +\d+ s +yes +no$/,
      );
      const purged = await dataflow('backups', '--db', db.conn, '--purge', line.slice(0, 12));
      expect(purged.stdout).toMatch(/^purged backup [0-9a-f]{12} \(users: phone, run [0-9a-f]{8}\)$/m);

      const drop = workflow(
        [sm('drop_nick', { operation: 'drop_column', column_name: 'nickname', backup_max_rows: 0 })],
        [],
        'no nicknames',
      );
      const dropped = await runWorkflow(drop, db, { mode: 'apply' });
      const refused = await dataflow('rollback', dropped.runId, '--db', db.conn);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^dataflow rollback: run [0-9a-f]{8} cannot be rolled back: the data it needs is gone\n {2}node "drop_nick": column users\.nickname: it was dropped with the values of 1 row\(s\), and no backup of them was kept; fix: /,
      );

      // A rollback that restores from a backup marks it restored; the run lists who rolled it back.
      const dropName = await runWorkflow(
        workflow([sm('drop_name', { operation: 'drop_column', column_name: 'name' })], [], 'no names'),
        db,
        { mode: 'apply' },
      );
      const reverse = await runWorkflow((await buildRollback(db, dropName.runId)).workflow, db, { mode: 'apply' });
      expect(reverse.status, reverse.error ?? '').toBe('succeeded');
      const [by, of] = [reverse.runId.slice(0, 8), dropName.runId.slice(0, 8)];
      const backups = (await dataflow('backups', '--db', db.conn)).stdout.split('\n');
      expect(backups[0]).toMatch(/ {2}complete {2}restored$/);
      expect(backups.find((l) => l.includes('drop_name (drop_column)'))).toMatch(new RegExp(`yes {7}by run ${by}$`));
      const runs = await dataflow('runs', '--db', db.conn);
      expect(runs.stdout).toMatch(new RegExp(`^${of} .*\n {2}rolled back by run ${by} at \\S+$`, 'm'));
    },
  );
});
