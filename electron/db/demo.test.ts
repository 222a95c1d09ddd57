import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase } from '../../test/databases.ts';
import { findTable } from '../../shared/schema.ts';
import { DEMO_TABLES, DemoExistsError, createDemoDatabase, demoRowCounts } from './demo.ts';

const ABSENT = {
  users: ['phone_number', 'last_login', 'preferences', 'email_address'],
  orders: ['notes', 'processing_status', 'total_amount'],
  products: ['description', 'is_active'],
  contacts: ['email'],
  test_users: ['test_field'],
};

const COLUMNS = {
  users: ['id', 'name', 'email', 'deprecated_field', 'created_at'],
  orders: ['id', 'user_id', 'subtotal', 'tax', 'shipping', 'created_at'],
  products: ['id', 'name', 'price'],
  contacts: ['id', 'name', 'company'],
  test_users: ['id', 'name'],
};

describe('demoRowCounts', () => {
  it('scales every table from the number of orders', () => {
    expect(demoRowCounts()).toEqual({
      users: 10_000,
      orders: 100_000,
      products: 1000,
      contacts: 5000,
      test_users: 100,
    });
    expect(demoRowCounts(5)).toEqual({ users: 1, orders: 5, products: 1, contacts: 1, test_users: 100 });
    expect(() => demoRowCounts(0)).toThrow(/positive integer/);
  });
});

for (const dialect of DIALECTS) {
  describe(`createDemoDatabase on ${dialect}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    it('creates the guide tables, before its examples, with consistent rows', async () => {
      const db = await createTestDatabase(dialect);
      cleanup = db.cleanup;
      const counts = await createDemoDatabase(db, { rows: 1200 });
      expect(counts).toEqual({ users: 120, orders: 1200, products: 12, contacts: 60, test_users: 100 });

      const schema = await db.dialect.introspect(db.driver);
      for (const t of DEMO_TABLES) {
        const table = findTable(schema, t)!;
        expect(table.columns.map((c) => c.name)).toEqual(COLUMNS[t]);
        for (const absent of ABSENT[t]) expect(table.columns.map((c) => c.name)).not.toContain(absent);
        const { rows } = await db.driver.query<{ n: number }>(`SELECT count(*) AS n FROM ${db.dialect.quoteIdent(t)}`);
        expect(Number(rows[0]!.n)).toBe(counts[t]);
      }
      const orders = findTable(schema, 'orders')!;
      expect(orders.constraints.some((c) => c.kind === 'foreign_key' && c.references?.table === 'users')).toBe(true);
      expect(orders.columns.find((c) => c.name === 'subtotal')!.type).toMatch(/numeric\(10,\s*2\)/i);

      const q = async (sql: string) => Number(Object.values((await db.driver.query(sql)).rows[0]!)[0]);
      expect(await q('SELECT count(DISTINCT email) FROM users')).toBe(120);
      expect(await q('SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL')).toBe(0);
      expect(
        await q('SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE o.created_at < u.created_at'),
      ).toBe(0);
      expect(await q('SELECT count(*) FROM orders WHERE subtotal <= 0 OR tax < 0 OR shipping < 0')).toBe(0);
      expect(await q("SELECT count(*) FROM users WHERE email NOT LIKE '%@example.%'")).toBe(0);
    });

    it('refuses existing demo tables, and with force drops and recreates them and the tracking tables', async () => {
      const db = await createTestDatabase(dialect);
      cleanup = db.cleanup;
      await createDemoDatabase(db, { rows: 50 });
      const first = (await db.driver.query('SELECT name, email FROM users ORDER BY id')).rows;
      await expect(createDemoDatabase(db, { rows: 50 })).rejects.toThrow(DemoExistsError);
      await expect(createDemoDatabase(db, { rows: 50 })).rejects.toThrow(
        /users, orders, products, contacts, test_users.*--force/,
      );

      await db.setup(
        'CREATE TABLE dataflow_migrations (name varchar(200) PRIMARY KEY); ALTER TABLE users ADD COLUMN notes text',
      );
      const progress: string[] = [];
      await createDemoDatabase(db, {
        rows: 50,
        force: true,
        onProgress: (p) => progress.push(`${p.table}:${p.done}/${p.total}`),
      });
      expect(progress).toEqual(['users:5/5', 'orders:50/50', 'products:1/1', 'contacts:2/2', 'test_users:100/100']);
      const schema = await db.dialect.introspect(db.driver);
      expect(findTable(schema, 'dataflow_migrations')).toBeUndefined();
      expect(findTable(schema, 'users')!.columns.map((c) => c.name)).toEqual(COLUMNS.users);
      expect((await db.driver.query('SELECT name, email FROM users ORDER BY id')).rows).toEqual(first);
    });

    it('leaves nothing behind when it fails half-way', async () => {
      const db = await createTestDatabase(dialect);
      cleanup = db.cleanup;
      await db.setup('CREATE TABLE other (id integer PRIMARY KEY)');
      await expect(
        createDemoDatabase(db, {
          rows: 3000,
          onProgress: (p) => {
            if (p.table === 'orders') throw new Error('stop');
          },
        }),
      ).rejects.toThrow('stop');
      const schema = await db.dialect.introspect(db.driver);
      expect(schema.tables.map((t) => t.name)).toEqual(['other']);
    });
  });
}
