import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases, userSchema } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';
import { node, workflow } from '../../test/workflows.ts';
import { runWorkflow } from './run.ts';

const databases = freshDatabases();
// 486 orders without a total: the figure.
const fresh = (dialect: (typeof DIALECTS)[number]) =>
  databases(
    dialect,
    [
      'CREATE TABLE users (id integer PRIMARY KEY, name text)',
      "INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob')",
      'CREATE TABLE orders (id integer PRIMARY KEY, total_amount integer)',
      ...Array.from(
        { length: 5 },
        (_, k) =>
          `INSERT INTO orders (id, total_amount) VALUES ${Array.from({ length: 100 }, (_, i) => {
            const id = k * 100 + i + 1;
            return `(${id}, ${id <= 486 ? 'NULL' : id})`;
          }).join(', ')}`,
      ),
    ].join(';\n') + ';',
  );

/** Two independent nodes that cannot succeed, a node after the first, and one that can succeed. */
const email = node('add_email', 'SchemaModificationNode', {
  table: 'users',
  operation: 'add_column',
  column_name: 'email',
  column_type: 'varchar(255)',
  nullable: false,
});
const notNull = node('total_not_null', 'SchemaModificationNode', {
  table: 'orders',
  operation: 'add_constraint',
  constraint_type: 'not_null',
  column_name: 'total_amount',
});
const index = node('index_email', 'SchemaModificationNode', {
  table: 'users',
  operation: 'create_index',
  index_name: 'users_email_idx',
  columns: ['email'],
});
const fine = node('add_note', 'SchemaModificationNode', {
  table: 'users',
  operation: 'add_column',
  column_name: 'note',
  column_type: 'text',
  nullable: true,
});
const wf = workflow([email, index, notNull, fine], ['add_email.result->index_email.input']);

for (const dialect of DIALECTS) {
  describe(`plan reports every failing node (${dialect})`, () => {
    it('plans past a failure: both failures, the node after one not planned, the independent one planned', async () => {
      const db = await fresh(dialect);
      const before = await userSchema(db);
      const r = await runWorkflow(wf, db, { mode: 'plan' });
      expect(r.status).toBe('failed');
      expect(r.nodes.add_email!.status).toBe('failed');
      expect(r.nodes.add_email!.error!.message).toMatch(/"email".*rows/);
      expect(r.nodes.total_not_null!.status).toBe('failed');
      expect(r.nodes.total_not_null!.error!.message).toMatch(/486/);
      expect(r.nodes.index_email!.status).toBe('not_run');
      expect(r.nodes.index_email!.warnings.join()).toMatch(/not planned: it runs after node "add_email" \(failed\)/);
      expect(r.nodes.add_note!.status).toBe('succeeded');
      expect(r.nodes.add_note!.sql.map((s) => s.sql).join()).toMatch(/ADD COLUMN "note"/);
      expect(r.error).toMatch(/node "add_email".*; node "total_not_null"/);
      expect(await userSchema(db)).toEqual(before);
    });

    it('apply stops at the first failure; its preflight refuses naming both nodes', async () => {
      const db = await fresh(dialect);
      const before = await userSchema(db);
      const direct = await runWorkflow(wf, db, { mode: 'apply' });
      expect(direct.status).toBe('failed');
      expect(direct.nodes.add_email!.status).toBe('failed');
      expect(['index_email', 'total_not_null', 'add_note'].map((id) => direct.nodes[id]!.status)).toEqual([
        'not_run',
        'not_run',
        'not_run',
      ]);
      const refused = await runWorkflow(wf, db, { mode: 'apply', preflight: true });
      expect(refused.nodes.add_email!.status).toBe('failed');
      expect(refused.nodes.total_not_null!.status).toBe('failed');
      expect(refused.nodes.add_note!.status).toBe('not_run');
      expect(refused.error).toMatch(
        /node "add_email" cannot succeed on .*, so nothing was run: .*; node "total_not_null" cannot succeed on .*, so nothing was run: .*486/,
      );
      expect(await userSchema(db)).toEqual(before);
    });

    it('dataflow plan prints both errors and the SQL of the node that can run', async () => {
      const db = await fresh(dialect);
      const file = join(mkdtempSync(join(tmpdir(), 'df-plan-')), 'two-failures.dataflow.json');
      writeFileSync(file, JSON.stringify(wf));
      const r = await dataflow('plan', file, '--db', db.conn);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error: node "add_email", field "nullable" \(Nullable\): /);
      expect(r.stderr).toMatch(/error: node "total_not_null".*486/);
      expect(r.stdout).toMatch(/-- node index_email \(SchemaModificationNode\): not run/);
      expect(r.stdout).toMatch(/^ALTER TABLE "users" ADD COLUMN "note" .*;$/m);
    });
  });
}
