/**
 * The set-based introspection of both dialects reads the same model as the per-table code it
 * replaced (test/legacy-introspect/), on varied schemas: every shape the introspect tests cover,
 * and the odd ones (case-folded names, FKs without a column list or to a missing table, virtual
 * tables, generated columns, partitions, collations, INCLUDE, exclusion constraints, row counts
 * around every threshold), plus a schema of hundreds of tables.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { wideSchemaSql } from '../bench/support/wide-schema.ts';
import { introspect as pgIntrospect } from '../electron/db/postgres/introspect.ts';
import { introspect as sqliteIntrospect } from '../electron/db/sqlite/introspect.ts';
import type { DialectName } from '../shared/schema.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { introspect as pgLegacy } from './legacy-introspect/postgres.ts';
import { introspect as sqliteLegacy } from './legacy-introspect/sqlite.ts';

let db: (TestDatabase & { cleanup(): Promise<void> }) | null = null;
afterEach(async () => {
  await db?.cleanup();
  db = null;
});

async function same(dialect: DialectName, setup: string, inTransaction = false): Promise<void> {
  db = await createTestDatabase(dialect);
  await db.setup(setup);
  if (inTransaction) await db.driver.query('BEGIN');
  const legacy = dialect === 'sqlite' ? await sqliteLegacy(db.driver) : await pgLegacy(db.driver);
  const now = dialect === 'sqlite' ? await sqliteIntrospect(db.driver) : await pgIntrospect(db.driver);
  if (inTransaction) await db.driver.query('ROLLBACK');
  expect(now.tables.length).toBeGreaterThan(0);
  expect(now).toEqual(legacy);
}

const sqliteFill = (table: string, n: number, id = 'i') =>
  `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) INSERT INTO ${table} SELECT ${id}, 'x' FROM s`;

describe('sqlite: the set-based introspection reads what the per-table one read', () => {
  test('keys, checks, foreign keys, indexes, views, triggers', () =>
    same(
      'sqlite',
      `
      CREATE TABLE teams (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL);
      CREATE TABLE users (
        id INTEGER PRIMARY KEY, email VARCHAR (255) NOT NULL CONSTRAINT users_email_uq UNIQUE,
        name text DEFAULT 'it''s', score NUMERIC(10, 2) DEFAULT (1 + 1) CHECK (score >= 0),
        team_id int REFERENCES teams ON DELETE SET NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
        CONSTRAINT positive_team CHECK (team_id > 0 AND score < 100), UNIQUE (name, team_id));
      CREATE INDEX users_created ON users (created_at) WHERE created_at IS NOT NULL;
      CREATE INDEX users_lower_name ON users (lower(name), id DESC);
      CREATE VIEW team_users AS SELECT u.name, t.code FROM users u JOIN teams t ON t.id = u.team_id;
      CREATE VIEW team_codes AS SELECT code FROM team_users;
      CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN UPDATE users SET created_at = CURRENT_TIMESTAMP WHERE id = new.id; END;
      CREATE TABLE dataflow_migrations (name TEXT PRIMARY KEY);
      INSERT INTO teams (code) VALUES ('a'), ('b');
      INSERT INTO users (email, team_id) VALUES ('x@y', 1), ('z@y', 2), ('w@y', NULL);
      CREATE TABLE codes (code TEXT PRIMARY KEY, a INT CHECK (a > 0), b INT, CHECK (a < 10), CHECK (a <> 5));
      CREATE TABLE pairs (x TEXT NOT NULL, y TEXT NOT NULL, PRIMARY KEY (x, y)) WITHOUT ROWID;
      CREATE TABLE "Mixed Parent" ("Key A" INTEGER, "Key B" TEXT, PRIMARY KEY ("Key A", "Key B"));
      CREATE TABLE child (id INTEGER PRIMARY KEY, a INT, b TEXT, c INT, "rowid" INT,
        FOREIGN KEY (a, b) REFERENCES "MIXED PARENT", FOREIGN KEY (c) REFERENCES missing_parent (id) ON DELETE CASCADE,
        CONSTRAINT self_ref FOREIGN KEY (c) REFERENCES child (id));
      CREATE TABLE gen (a INT, b INT GENERATED ALWAYS AS (a * 2) VIRTUAL, c INT AS (a + 1) STORED, UNIQUE (a, c), UNIQUE (a, c));
      CREATE INDEX gen_expr ON gen (a + b, abs(c) COLLATE NOCASE DESC);
      CREATE UNIQUE INDEX gen_partial ON gen (c) WHERE a > 0;
      CREATE VIRTUAL TABLE docs USING fts5 (title, body);
      CREATE VIEW "Child View" AS SELECT * FROM CHILD JOIN "mixed parent" ON 1;
      CREATE TRIGGER gen_t BEFORE INSERT ON gen BEGIN SELECT 1; END;
    `,
    ));

  test('row counts at every threshold, with and without ANALYZE', () =>
    same(
      'sqlite',
      `
      CREATE TABLE at_limit (id INTEGER PRIMARY KEY, v TEXT); ${sqliteFill('at_limit', 10_000)};
      CREATE TABLE empty (id INTEGER PRIMARY KEY, v TEXT);
      CREATE TABLE gappy (id INTEGER PRIMARY KEY, v TEXT); ${sqliteFill('gappy', 20_000)}; DELETE FROM gappy WHERE id % 4 = 2;
      CREATE TABLE sparse (id INTEGER PRIMARY KEY, v TEXT); ${sqliteFill('sparse', 20_000, 'i * 1000000000000')};
      CREATE TABLE keyed (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID; ${sqliteFill('keyed', 20_000, "'k' || i")};
      CREATE TABLE analysed (id INTEGER PRIMARY KEY, v TEXT); ${sqliteFill('analysed', 15_000)};
      ANALYZE analysed;
    `,
    ));

  test('300 tables of the benchmark shape, inside a transaction', () =>
    same('sqlite', `BEGIN; ${wideSchemaSql('sqlite', 300)} COMMIT;`, true));
});

describe('postgres: the set-based introspection reads what the one-statement one read', () => {
  test('keys, checks, foreign keys, indexes, views, triggers, partitions, collations', () =>
    same(
      'postgres',
      `
      CREATE TABLE users (
        id serial PRIMARY KEY, name text NOT NULL, email varchar(255) UNIQUE, created_at timestamptz DEFAULT now(),
        status varchar(20) DEFAULT 'new', score integer DEFAULT -1, active boolean DEFAULT true, tags text[],
        price numeric(10,2) CHECK (price > 0), "Mixed Case" char(3) COLLATE "C", doubled int GENERATED ALWAYS AS (id * 2) STORED);
      CREATE TABLE orders (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, user_id int REFERENCES users (id) ON DELETE CASCADE, total numeric);
      ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID;
      CREATE INDEX orders_open ON orders (user_id) WHERE total > 0;
      CREATE INDEX orders_expr ON orders (lower(total::text), id);
      CREATE INDEX orders_incl ON orders (user_id) INCLUDE (total);
      CREATE VIEW user_emails AS SELECT id, email FROM users;
      CREATE VIEW emails_again AS SELECT email FROM user_emails;
      CREATE MATERIALIZED VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
      CREATE TRIGGER orders_touch BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch();
      CREATE TABLE dataflow_migrations (name text PRIMARY KEY);
      INSERT INTO users (name, email, price) SELECT 'u' || g, 'u' || g || '@x', g FROM generate_series(1, 25) g;
      CREATE TABLE pairs (a int, b text, PRIMARY KEY (a, b));
      CREATE TABLE pair_refs (id int, a int, b text, FOREIGN KEY (a, b) REFERENCES pairs ON DELETE SET NULL);
      CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE TABLE rooms (id int, during int4range, EXCLUDE USING gist (during WITH &&));
      CREATE TABLE "Odd Name" ("select" int PRIMARY KEY, "x y" text UNIQUE);
      CREATE SCHEMA other; CREATE TABLE other.hidden (id int);
    `,
    ));

  test('row counts: exact below the threshold, the estimate above, empty and never analysed', () =>
    same(
      'postgres',
      `
      CREATE TABLE big (id int PRIMARY KEY); INSERT INTO big SELECT generate_series(1, 120000); ANALYZE big;
      CREATE TABLE small (id int); INSERT INTO small SELECT generate_series(1, 1500);
      CREATE TABLE emptied (id int); INSERT INTO emptied VALUES (1); DELETE FROM emptied;
      CREATE TABLE never (id int);
    `,
    ));

  test('150 tables of the benchmark shape, inside a transaction', () =>
    same('postgres', wideSchemaSql('postgres', 150), true));
});
