import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { findColumn, findTable } from '../../shared/schema.ts';
import type { RunResult } from '../../shared/run.ts';
import { dataflow, example } from '../../test/dataflow-cli.ts';

for (const dialect of DIALECTS) {
  describe(`dataflow CLI on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    const columns = async (table: string) =>
      findTable(await db.dialect.introspect(db.driver), table)!.columns.map((c) => c.name);

    it('demo-db creates the demo tables, then refuses to touch them without --force', async () => {
      const first = await dataflow('demo-db', db.conn, '--rows', '300');
      expect(first.stderr).not.toMatch(/error/i);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/orders\s+300 rows/);
      expect(first.stdout).not.toContain(':postgres@');
      const again = await dataflow('demo-db', db.conn, '--rows', '300');
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already has the demo table\(s\) users.*--force/);
      const forced = await dataflow('demo-db', db.conn, '--rows', '300', '--force');
      expect(forced.code).toBe(0);
      expect(await columns('orders')).toEqual(['id', 'user_id', 'subtotal', 'tax', 'shipping', 'created_at']);
    });

    it('plan prints each node and its statements and writes nothing', async () => {
      const r = await dataflow('plan', example('basic-add-column'), '--db', db.conn);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^-- node add_column \(SchemaModificationNode\): .+\nALTER TABLE "orders" ADD COLUMN "notes" .*;$/m,
      );
      expect(await columns('orders')).not.toContain('notes');
    });

    it('plan exits 1 when a change cannot succeed, naming the node', async () => {
      const r = await dataflow('plan', example('advanced-schema-modifications'), '--db', db.conn);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^-- node add_status \(SchemaModificationNode\)/m);
      expect(r.stderr).toMatch(/error: node "add_email", field "nullable" \(Nullable\): \[DF301\] .*rows/);
    });

    it('run --json applies the workflow and reports the diff; a second run is already applied', async () => {
      const r = await dataflow('run', example('basic-add-column'), '--db', db.conn, '--json');
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as RunResult;
      expect(result.status).toBe('succeeded');
      expect(result.nodes.add_column?.status).toBe('succeeded');
      expect(result.nodes.add_column?.sql.map((s) => s.sql).join('\n')).toMatch(
        /ALTER TABLE "orders" ADD COLUMN "notes"/,
      );
      expect(result.diff?.changes).toContainEqual(
        expect.objectContaining({ kind: 'column_added', table: 'orders', column: 'notes' }),
      );
      expect(r.stdout).not.toContain(':postgres@');
      expect(r.stderr).toMatch(/^start {2}add_column \(SchemaModificationNode\)$/m);
      expect(r.stderr).toMatch(/^done {3}add_column: succeeded in \d+ ms, 0 row\(s\)$/m);
      expect(findColumn(findTable(await db.dialect.introspect(db.driver), 'orders')!, 'notes')).toBeDefined();

      const again = await dataflow('run', example('basic-add-column'), '--db', db.conn);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(
        /^done {3}add_column: already applied in \d+ ms, 0 row\(s\)\n {7}column "notes" of "orders" exists already as text NULL$/m,
      );
      expect(again.stdout).toMatch(/^run \S+ succeeded in /);
      expect(again.stdout).toMatch(
        /^ {2}add_column {2}already applied {2}.* 0 row\(s\)\n {14}column "notes" of "orders" exists already as text NULL$/m,
      );
      expect(again.stdout).toMatch(/^schema unchanged$/m);
    });

    it('run --rehearse reports the changes and rolls them back', async () => {
      const r = await dataflow('run', example('backward-compatible-changes'), '--db', db.conn, '--rehearse');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/rehearsed \(rolled back\), succeeded/);
      expect(r.stdout).toMatch(/\+ column products\.description/);
      expect(await columns('products')).toEqual(['id', 'name', 'price']);
    });

    it('history lists the migrations a run recorded', async () => {
      expect((await dataflow('history', '--db', db.conn)).stdout).toMatch(/no migrations recorded/);
      expect((await dataflow('run', example('migration-tracking'), '--db', db.conn)).code).toBe(0);
      const h = await dataflow('history', '--db', db.conn, '--json');
      expect(h.code).toBe(0);
      expect(JSON.parse(h.stdout)).toEqual([
        expect.objectContaining({ name: 'add_user_phone_number', status: 'completed' }),
      ]);
      expect((await dataflow('history', '--db', db.conn)).stdout).toMatch(/^add_user_phone_number\s+completed/m);
    });
  });
}

describe('dataflow CLI on unusable input', () => {
  it('exits 2 for a bad connection string, a missing SQLite file or a missing --db', async () => {
    const bad = await dataflow('run', example('basic-add-column'), '--db', 'mysql://root:hunter2@localhost/x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--db: .*use sqlite:<path> or postgres:/);
    expect(bad.stderr).not.toContain('hunter2');
    const missing = await dataflow(
      'plan',
      example('basic-add-column'),
      '--db',
      `sqlite:${join(mkdtempSync(join(tmpdir(), 'dataflow-cli-')), 'nope.db')}`,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no SQLite database at .*nope\.db/);
    expect((await dataflow('history')).stderr).toMatch(/--db is required/);
    expect((await dataflow('demo-db', 'sqlite:x.db', '--rows', 'many')).code).toBe(2);
  });
});
