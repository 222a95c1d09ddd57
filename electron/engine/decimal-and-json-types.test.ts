/**
 * Values the product computes into a decimal(p,s) column are rounded to its scale on SQLite as
 * PostgreSQL's numeric does (the guide's zero-downtime total_amount, DataMigrationNode copies), and
 * JSON columns are TEXT with CHECK (json_valid(...)) on SQLite, so that the string '123' stays a
 * string. Real SQLite files and the real PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findTable } from '../../shared/schema.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { compareModels } from '../../shared/python/models.ts';
import { importPython } from '../../shared/python/parse.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import { createDemoDatabase } from '../db/demo.ts';
import { runWorkflow } from './run.ts';

type Db = TestDatabase & { cleanup(): Promise<void> };
const open: Db[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.cleanup();
});

async function fresh(dialect: (typeof DIALECTS)[number]): Promise<Db> {
  const db = await createTestDatabase(dialect);
  open.push(db);
  return db;
}

async function count(db: Db, sql: string): Promise<number> {
  const { rows } = await db.driver.query<{ n: number | string }>(sql);
  return Number(rows[0]?.n);
}

const zeroDowntime = () =>
  parseWorkflow(
    readFileSync(fileURLToPath(new URL('../../assets/examples/zero-downtime.dataflow.json', import.meta.url)), 'utf8'),
  ).workflow;

for (const dialect of DIALECTS) {
  describe(`decimal columns the product computes into (${dialect})`, () => {
    it("the zero-downtime example's total_amount holds the sum rounded to 2 decimals: no value differs from round(total_amount, 2)", async () => {
      const db = await fresh(dialect);
      await createDemoDatabase(db, { rows: 3000 });
      const r = await runWorkflow(zeroDowntime(), db, { mode: 'apply' });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.nodes.phase2_backfill!.rowsAffected).toBe(3000);
      expect(await count(db, 'SELECT count(*) AS n FROM orders WHERE total_amount <> round(total_amount, 2)')).toBe(0);
      expect(
        await count(
          db,
          'SELECT count(*) AS n FROM orders WHERE total_amount IS NULL OR total_amount <> round(subtotal + tax + shipping, 2)',
        ),
      ).toBe(0);
      if (dialect === 'sqlite') {
        // The sums themselves are floats that are not 2-decimal values: without the rounding, these would be stored.
        expect(
          await count(
            db,
            'SELECT count(*) AS n FROM orders WHERE subtotal + tax + shipping <> round(subtotal + tax + shipping, 2)',
          ),
        ).toBeGreaterThan(0);
        // An arithmetic calculation is never text: a plain round() (numeric-expression.ts).
        expect(r.nodes.phase2_backfill!.sql.find((s) => s.sql.startsWith('UPDATE'))?.sql).toContain(
          'SET "total_amount" = round((subtotal + tax + shipping), 2)',
        );
      }
    });

    it('a backfill calculation that names no column of the row (random()) is computed for each row', async () => {
      const db = await fresh(dialect);
      await db.setup(`CREATE TABLE tokens (id integer PRIMARY KEY, score numeric(30,2));
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO tokens (id) SELECT i FROM n`);
      const r = await runWorkflow(
        workflow([
          node('fill', 'DataBackfillNode', {
            table: 'tokens',
            update_field: 'score',
            calculation: 'round(abs(random()) * 1000)',
            batch_size: 20,
          }),
        ]),
        db,
        { mode: 'apply' },
      );
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(await count(db, 'SELECT count(*) AS n FROM tokens WHERE score IS NULL')).toBe(0);
      // One value per batch (3 batches) before: the subquery was computed once per statement.
      expect(await count(db, 'SELECT count(DISTINCT score) AS n FROM tokens')).toBeGreaterThan(40);
    });

    it('DataMigrationNode rounds copied floats to the target decimal scale, within a table and into another; integers and NULL as given', async () => {
      const db = await fresh(dialect);
      await db.setup(`CREATE TABLE readings (id integer PRIMARY KEY, raw double precision, amount numeric(10,2));
        CREATE TABLE archive (id integer PRIMARY KEY, amount numeric(8,3));
        INSERT INTO readings (id, raw) VALUES (1, 0.1 + 0.2), (2, 2.675), (3, 7), (4, NULL), (5, 1.23456)`);
      const r = await runWorkflow(
        workflow(
          [
            node('within', 'DataMigrationNode', {
              source_table: 'readings',
              target_table: 'readings',
              field_mapping: { raw: 'amount' },
            }),
            node('across', 'DataMigrationNode', {
              source_table: 'readings',
              target_table: 'archive',
              field_mapping: { id: 'id', raw: 'amount' },
            }),
          ],
          ['within.result->across.input'],
        ),
        db,
        { mode: 'apply' },
      );
      expect(r.status, r.error ?? '').toBe('succeeded');
      const rows = async (sql: string) =>
        (await db.driver.query<{ amount: number | string | null }>(sql)).rows.map((x) =>
          x.amount === null ? null : Number(x.amount),
        );
      const within = await rows('SELECT amount FROM readings ORDER BY id');
      expect(within.slice(0, 1)).toEqual([0.3]);
      expect(within.slice(2)).toEqual([7, null, 1.23]);
      // 2.675 is 2.67499999... as a double: both databases round what they are given.
      expect([2.67, 2.68]).toContain(within[1]);
      expect(await rows('SELECT amount FROM archive ORDER BY id')).toEqual([0.3, 2.675, 7, null, 1.235]);
      expect(await count(db, 'SELECT count(*) AS n FROM readings WHERE amount <> round(amount, 2)')).toBe(0);
    });
  });
}

describe('JSON columns on SQLite', () => {
  it('a models dict field is TEXT with CHECK (json_valid(...)): the string "123" stays a string, non-JSON is refused', async () => {
    const db = await fresh('sqlite');
    const { models, problems } = importPython(
      '@db.model\nclass Event:\n    kind: str\n    payload: dict\n    extra: Optional[dict] = None\n',
    );
    expect(problems).toEqual([]);
    const { workflow: sync } = compareModels(models, await db.dialect.introspect(db.driver));
    const r = await runWorkflow(sync, db, { mode: 'apply' });
    expect(r.status, r.error ?? '').toBe('succeeded');
    const events = findTable(await db.dialect.introspect(db.driver), 'events')!;
    expect(events.columns.filter((c) => ['payload', 'extra'].includes(c.name)).map((c) => [c.name, c.type])).toEqual([
      ['payload', 'text'],
      ['extra', 'text'],
    ]);
    expect(events.constraints.filter((k) => k.kind === 'check').map((k) => [k.name, k.expression])).toEqual([
      ['events_payload_check', 'json_valid("payload")'],
      ['events_extra_check', 'json_valid("extra")'],
    ]);
    await db.setup(`INSERT INTO events (kind, payload) VALUES ('a', '123'), ('b', '{"n": 1}')`);
    const { rows } = await db.driver.query<{ t: string }>('SELECT typeof(payload) AS t FROM events ORDER BY id');
    expect(rows.map((x) => x.t)).toEqual(['text', 'text']);
    await expect(db.setup(`INSERT INTO events (kind, payload) VALUES ('c', 'not json')`)).rejects.toThrow(
      /CHECK constraint failed: events_payload_check/,
    );
    // The models see the TEXT column with its check as their dict field: nothing to do.
    expect(compareModels(models, await db.dialect.introspect(db.driver)).changes).toEqual([]);
  });

  it('add_column jsonb on a table with rows is one ALTER with the named CHECK; the schema is as planned', async () => {
    const db = await fresh('sqlite');
    await db.setup("CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users (name) VALUES ('Ada')");
    const r = await runWorkflow(
      workflow([
        node('prefs', 'SchemaModificationNode', {
          table: 'users',
          operation: 'add_column',
          column_name: 'preferences',
          column_type: 'jsonb',
          default_value: '{}',
        }),
      ]),
      db,
      { mode: 'apply' },
    );
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(r.nodes.prefs!.sql.map((s) => s.sql)).toEqual([
      `ALTER TABLE "users" ADD COLUMN "preferences" TEXT DEFAULT '{}' CONSTRAINT "users_preferences_check" CHECK (json_valid("preferences"))`,
    ]);
    const users = findTable(await db.dialect.introspect(db.driver), 'users')!;
    expect(users.constraints.find((k) => k.kind === 'check')).toMatchObject({
      name: 'users_preferences_check',
      columns: ['preferences'],
      expression: 'json_valid("preferences")',
    });
    const added = r.diff?.changes.filter((c) => 'table' in c && c.table === 'users').map((c) => c.kind);
    expect(added).toEqual(['column_added', 'constraint_added']);
    await expect(db.setup(`UPDATE users SET preferences = '{broken'`)).rejects.toThrow(/CHECK constraint failed/);
  });
});
